/** The API's admin product (AdminProductOut) and what the console's product forms hold. */
export interface Price {
  amount: number;
  currency: string;
}

export interface Variant {
  sku: string;
  attributes: Record<string, string>;
  low_stock_threshold: number;
  prices: Price[];
}

export interface Translation {
  name: string;
  description?: string;
}

export interface Product {
  id: string;
  slug: string;
  category: string;
  status: "draft" | "active" | "archived";
  rank: number;
  images: string[];
  translations: Record<string, Translation>;
  variants: Variant[];
}

export interface Category {
  slug: string;
  name: string;
  parent: string | null;
}

/** A variant as its form holds it: attributes as "size=M, colour=navy", a price text per currency. */
export interface VariantForm {
  sku: string;
  attributes?: string;
  low_stock_threshold?: number;
  price?: Record<string, string | undefined>;
}
