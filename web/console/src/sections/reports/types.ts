import type { Money } from "../orders/types";

interface SalesFigures {
  revenue: Money;
  orders: number;
  average_order_value: Money;
  units: number;
  refunds: Money;
  discounts: Money;
}

export interface SalesReport {
  currency: string;
  total: SalesFigures;
  days: (SalesFigures & { day: string })[];
  top_products: { product_id: string; units_sold: number; revenue: Money }[];
}

export interface FunnelReport {
  total: { views: number; cart_adds: number; checkouts: number; paid: number };
  conversion: Record<string, string | null>;
}

export interface CampaignReport {
  currency: string;
  campaigns: { campaign: string; carts: number; orders: number; revenue: Money; conversion: string | null }[];
}

export interface InventoryReport {
  generated_at: string;
  locations: { location: string; units_on_hand: number; value_at_cost: Money[] }[];
  low_stock: string[];
  out_of_stock: string[];
}

/** The period and currency every report on the page reads. */
export interface Span {
  from: string;
  to: string;
  currency: string;
}
