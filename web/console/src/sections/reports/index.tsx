import Icon from "@mui/icons-material/BarChart";
import { Placeholder } from "../../components/Placeholder";
import type { Section } from "../../section";

export const reports: Section = {
  name: "reports",
  label: "Reports",
  permission: "reports",
  icon: Icon,
  to: "/reports",
  resources: [],
  routes: [{ path: "/reports", element: <Placeholder title="Reports" /> }],
};
