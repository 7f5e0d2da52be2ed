import Icon from "@mui/icons-material/Hub";
import type { Section } from "../../section";
import { IntegrationsPage } from "./IntegrationsPage";

/** Integrations, for those allowed: webhooks and their deliveries, connectors, channel and ERP keys. */
export const integrations: Section = {
  name: "integrations",
  label: "Integrations",
  permission: "integrations",
  icon: Icon,
  to: "/integrations",
  resources: [],
  routes: [{ path: "/integrations", element: <IntegrationsPage /> }],
};
