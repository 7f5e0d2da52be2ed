import Icon from "@mui/icons-material/ShoppingCart";
import { Placeholder } from "../../components/Placeholder";
import type { Section } from "../../section";

export const orders: Section = {
  name: "orders",
  label: "Orders",
  permission: "orders:read",
  icon: Icon,
  to: "/orders",
  resources: [],
  routes: [{ path: "/orders", element: <Placeholder title="Orders" /> }],
};
