import Icon from "@mui/icons-material/People";
import { Placeholder } from "../../components/Placeholder";
import type { Section } from "../../section";

export const customers: Section = {
  name: "customers",
  label: "Customers",
  permission: "customers:read",
  icon: Icon,
  to: "/customers",
  resources: [],
  routes: [{ path: "/customers", element: <Placeholder title="Customers" /> }],
};
