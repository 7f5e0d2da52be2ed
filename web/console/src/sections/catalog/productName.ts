import type { Product } from "./types";

/** The product's name in English, else in its first language, else its slug. */
export function productName(product: Product | undefined): string {
  if (!product) return "";
  const translations = Object.values(product.translations ?? {});
  return product.translations?.en?.name ?? translations[0]?.name ?? product.slug;
}
