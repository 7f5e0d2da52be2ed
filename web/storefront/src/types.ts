import type { Money } from "./money";

export interface Variant {
  sku: string;
  attributes: Record<string, string>;
  price: Money;
  availability: "in_stock" | "low_stock" | "out_of_stock" | string;
}

export interface Product {
  id: string;
  slug: string;
  name: string;
  description: string;
  category: string;
  images: string[];
  variants: Variant[];
}

export interface ProductList {
  items: Product[];
  next_cursor: string | null;
}

export interface Category {
  slug: string;
  name: string;
  parent: string | null;
}

export interface Tax {
  name: string;
  rate: string;
  tax: Money;
}

export interface OrderLine {
  sku: string;
  name: string;
  quantity: number;
  unit_price: Money;
  line_total: Money;
  tax: Money;
}

export interface Totals {
  subtotal: Money;
  tax: Money;
  shipping: Money;
  discount: Money;
  total: Money;
  tax_included: boolean;
  tax_breakdown: Tax[];
}

export interface CartLine {
  sku: string;
  product_id: string;
  name: string;
  quantity: number;
  unit_price: Money;
  line_total: Money;
  available: boolean;
}

export interface Cart {
  id: string;
  currency: string;
  lines: CartLine[];
  totals: { subtotal: Money };
  country: string | null;
  discount_code: string | null;
  estimate: {
    country: string;
    totals: Totals;
    discounts: { description: string; amount: Money; code: string | null }[];
    delivery_days: number[] | null;
    discount_code_problem: { title: string; detail: string } | null;
  } | null;
  estimate_problem: { title: string; detail: string } | null;
  token?: string;
}

export interface ShippingOption {
  source: string;
  name: string;
  price: Money;
  min_days: number;
  max_days: number;
}

export interface ShippingRates {
  options: ShippingOption[];
  live_rates: string;
}

export interface Address {
  recipient_name: string;
  line1: string;
  line2?: string | null;
  city: string;
  region?: string | null;
  postal_code?: string | null;
  country: string;
  phone?: string | null;
}

export interface Checkout {
  order_id: string;
  order_token: string;
  status: string;
  totals: Totals;
  payment: { client_secret: string | null; payment_intent_id: string };
}

export interface Order {
  id: string;
  status: string;
  currency: string;
  created_at: string;
  lines: OrderLine[];
  totals: Totals;
  payment?: { status: string; refunded: Money };
  timeline?: { at: string; event: string; detail: string }[];
  cancel_reason?: string | null;
}

export interface Profile {
  customer_id: string;
  email: string | null;
  name: string | null;
  locale: string | null;
  currency: string | null;
  marketing_consent: { granted: boolean };
}

export interface SavedAddress extends Address {
  id: string;
  label: string | null;
  default_shipping: boolean;
  default_billing: boolean;
}
