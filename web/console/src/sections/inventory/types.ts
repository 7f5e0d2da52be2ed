/** The API's stock shapes (StockOut, TransferOut, PurchaseOrderOut, LocationOut). */
export interface Level {
  location: string;
  on_hand: number;
  reserved: number;
  available: number;
}

export interface Movement {
  at: string;
  location: string;
  reason: string;
  quantity: number;
  on_hand_change: number;
  reference: string | null;
  note: string;
}

export interface ReorderPolicy {
  reorder_point: number;
  reorder_quantity: number;
  supplier: string;
  lead_time_days: number;
  location: string;
  unit_cost: { amount: number; currency: string } | null;
}

export interface Stock {
  sku: string;
  on_hand: number;
  reserved: number;
  available: number;
  locations: Level[];
  recent_movements: Movement[];
  reorder_policy: ReorderPolicy | null;
}

export interface Location {
  id: string;
  name: string;
  kind: string;
}

export interface Transfer {
  id: string;
  sku: string;
  source: string;
  destination: string;
  quantity: number;
  status: string;
  sent_at: string;
  received_at: string | null;
}

export interface PurchaseOrder {
  id: string;
  supplier: string;
  location: string;
  status: string;
  created_at: string;
  lines: { sku: string; quantity: number; received: number }[];
}
