import type { JSX } from "preact";
import { t } from "../i18n";
import type { Product } from "../types";
import { Price, ProductImage } from "./ui";

export function lowestPrice(product: Product) {
  return product.variants.reduce((low, v) => (v.price.amount < low.price.amount ? v : low), product.variants[0]!).price;
}

export function soldOut(product: Product): boolean {
  return product.variants.every((variant) => variant.availability === "out_of_stock");
}

export function ProductCard({ product }: { product: Product }): JSX.Element {
  return (
    <li class="product-card">
      <a href={`/p/${product.id}`}>
        <ProductImage src={product.images[0]} alt={product.name} />
        <span class="name">{product.name}</span>
      </a>
      <span class="from">
        {product.variants.length ? <Price money={lowestPrice(product)} /> : null}
        {soldOut(product) ? <span class="badge">{t("soldOut")}</span> : null}
      </span>
    </li>
  );
}

export function ProductGrid({ products, label }: { products: Product[]; label: string }): JSX.Element {
  return (
    <ul class="product-grid" aria-label={label}>
      {products.map((product) => (
        <ProductCard key={product.id} product={product} />
      ))}
    </ul>
  );
}

/** A titled shelf of products beside the one shown (bought together, recently viewed); nothing when empty. */
export function ProductShelf({ id, title, products }: { id: string; title: string; products: Product[] }): JSX.Element | null {
  if (!products.length) return null;
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      <ProductGrid products={products} label={title} />
    </section>
  );
}
