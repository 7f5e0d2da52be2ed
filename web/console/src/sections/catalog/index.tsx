import Icon from "@mui/icons-material/Inventory2";
import { Placeholder } from "../../components/Placeholder";
import type { Section } from "../../section";

export const catalog: Section = {
  name: "catalog",
  label: "Catalog",
  permission: "catalog",
  icon: Icon,
  to: "/catalog",
  resources: [],
  routes: [{ path: "/catalog", element: <Placeholder title="Catalog" /> }],
};
