import Icon from "@mui/icons-material/Warehouse";
import { Placeholder } from "../../components/Placeholder";
import type { Section } from "../../section";

export const inventory: Section = {
  name: "inventory",
  label: "Inventory",
  permission: "inventory",
  icon: Icon,
  to: "/inventory",
  resources: [],
  routes: [{ path: "/inventory", element: <Placeholder title="Inventory" /> }],
};
