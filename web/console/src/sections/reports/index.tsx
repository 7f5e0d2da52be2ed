import Icon from "@mui/icons-material/BarChart";
import type { Section } from "../../section";
import { ReportsPage } from "./ReportsPage";

/** Reports: sales, funnel, campaigns and stock, charted over a period in a reporting currency. */
export const reports: Section = {
  name: "reports",
  label: "Reports",
  permission: "reports",
  icon: Icon,
  to: "/reports",
  resources: [],
  routes: [{ path: "/reports", element: <ReportsPage /> }],
};
