import Icon from "@mui/icons-material/ShoppingCart";
import type { Section } from "../../section";
import { OrderList } from "./OrderList";
import { OrderShow } from "./OrderShow";

/** Orders: the list by status, channel, date and email; an order whole, its review, refunds and cancel. */
export const orders: Section = {
  name: "orders",
  label: "Orders",
  permission: "orders:read",
  icon: Icon,
  to: "/orders",
  resources: [{ name: "orders", path: "/admin/orders", label: "Orders", list: OrderList, show: OrderShow }],
};
