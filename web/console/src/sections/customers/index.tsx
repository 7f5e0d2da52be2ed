import Icon from "@mui/icons-material/People";
import type { Section } from "../../section";
import { CustomerList } from "./CustomerList";
import { CustomerShow } from "./CustomerShow";

/** Customers: search by email or name, and each one's whole picture with the staff's notes. */
export const customers: Section = {
  name: "customers",
  label: "Customers",
  permission: "customers:read",
  icon: Icon,
  to: "/customers",
  resources: [
    { name: "customers", path: "/admin/customers", id: "customer_id", label: "Customers", list: CustomerList, show: CustomerShow },
  ],
};
