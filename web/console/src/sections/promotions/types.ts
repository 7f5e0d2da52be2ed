import type { Money } from "../orders/types";

export interface Promotion {
  id: string;
  code: string | null;
  kind: string;
  status: string;
  description: string;
  percent_bp: number;
  amounts: Record<string, number>;
  starts_at: string;
  ends_at: string | null;
  usage_limit: number | null;
  uses: number;
  discount_given: Money[];
}

export const KINDS = [
  { id: "percentage", name: "Percentage off" },
  { id: "fixed_amount", name: "Fixed amount off" },
  { id: "free_shipping", name: "Free shipping" },
];
