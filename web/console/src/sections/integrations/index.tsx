import Icon from "@mui/icons-material/Hub";
import { Placeholder } from "../../components/Placeholder";
import type { Section } from "../../section";

export const integrations: Section = {
  name: "integrations",
  label: "Integrations",
  permission: "integrations",
  icon: Icon,
  to: "/integrations",
  resources: [],
  routes: [{ path: "/integrations", element: <Placeholder title="Integrations" /> }],
};
