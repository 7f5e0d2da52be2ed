/** `GET /admin/attention`: each part null when the caller lacks its permission. */
export interface SalesLine {
  currency: string;
  orders: number;
  gross: number;
}

export interface Attention {
  sales: { today: SalesLine[]; week: SalesLine[] } | null;
  held_orders: {
    count: number;
    items: { id: string; email: string; created_at: string; total: number; currency: string; hold_reasons: string[] }[];
  } | null;
  disputes: { order_id: string; amount: number; currency: string; reason: string; status: string; due_by: string }[] | null;
  fulfillment_conflicts: { order_id: string; flags: string[]; created_at: string }[] | null;
  webhooks: { flagged_subscriptions: { id: string; url: string; status: string }[]; dead_lettered_deliveries: number } | null;
  stock: { low: { sku: string; available: number; reorder_point: number }[]; out: { sku: string }[] } | null;
}
