/** The API's staff view of an order (StaffOrderOut), and what its own page adds (`GET /admin/orders/{id}`). */
export interface Money {
  amount: number;
  currency: string;
}

export interface Order {
  id: string;
  status: string;
  currency: string;
  created_at: string;
  email: string;
  channel?: string | null;
  customer_id?: string | null;
  lines: { sku: string; name: string; quantity: number; unit_price: Money; line_total: Money }[];
  totals: { subtotal: Money; tax: Money; shipping: Money; discount: Money; total: Money };
  payment: { status: string; refunded: Money };
  timeline: { at: string; event: string; detail?: string }[];
  hold_reasons?: string[];
  risk_level?: string | null;
  cancel_reason?: string | null;
  dispute?: { reason: string; amount: Money; due_by?: string | null } | null;
  flags?: string[];
}

export interface OrderWhole extends Order {
  refunds: { id: string; amount: number; currency: string; status: string; reason: string; created_at: string }[];
  shipments: {
    id: string;
    status: string;
    carrier: string;
    tracking_number: string;
    tracking_url: string;
    label_available: boolean;
    lines: { sku: string; quantity: number }[];
  }[];
  returns: { id: string; status: string; lines: { sku: string; quantity: number }[]; created_at: string }[];
}

export const STATUSES = [
  "on_hold",
  "pending_payment",
  "paid",
  "fulfilling",
  "partially_shipped",
  "shipped",
  "delivered",
  "disputed",
  "cancelling",
  "cancelled",
];

/** "partially_shipped" reads "partially shipped". */
export function words(status: string): string {
  return status.replace(/_/g, " ");
}

/** What is left to refund on an order, in its minor units. */
export function refundable(order: Order): number {
  return order.totals.total.amount - order.payment.refunded.amount;
}
