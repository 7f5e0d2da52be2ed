import Icon from "@mui/icons-material/Warehouse";
import type { Section } from "../../section";
import { InventoryHome } from "./InventoryHome";
import { PurchaseOrderList, PurchaseOrderShow } from "./PurchaseOrders";
import { StockPage } from "./StockPage";
import { TransferList, TransferShow } from "./Transfers";

/** Stock per SKU and location, its ledger, receipts, adjustments, transfers, reorder policies, purchase
 * orders and hot-SKU shards. */
export const inventory: Section = {
  name: "inventory",
  label: "Inventory",
  permission: "inventory",
  icon: Icon,
  to: "/inventory",
  resources: [
    { name: "purchase-orders", path: "/admin/inventory/purchase-orders", label: "Purchase orders", list: PurchaseOrderList, show: PurchaseOrderShow },
    { name: "transfers", path: "/admin/inventory/transfers", label: "Transfers", list: TransferList, show: TransferShow },
  ],
  routes: [
    { path: "/inventory", element: <InventoryHome /> },
    { path: "/inventory/:sku", element: <StockPage /> },
  ],
};
