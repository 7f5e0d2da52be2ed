import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, query } from "../api";
import { ProductGrid } from "../components/product_card";
import { Alert, Loading, Page } from "../components/ui";
import { t } from "../i18n";
import { prefs } from "../prefs";
import type { Category, ProductList } from "../types";

export function HomePage(): JSX.Element {
  const [categories, setCategories] = useState<Category[] | null>(null);
  const [featured, setFeatured] = useState<ProductList | null>(null);
  const [failed, setFailed] = useState("");
  useEffect(() => {
    const { locale, currency, country } = prefs.value;
    api<{ items: Category[] }>(`/categories${query({ locale })}`)
      .then((found) => setCategories(found.items))
      .catch((error: Error) => setFailed(error.message));
    api<ProductList>(`/products${query({ limit: 8, currency, country, locale })}`)
      .then(setFeatured)
      .catch((error: Error) => setFailed(error.message));
  }, []);
  return (
    <Page title={t("homeTitle")}>
      {failed ? <Alert>{failed}</Alert> : null}
      <section aria-labelledby="categories-heading">
        <h2 id="categories-heading">{t("categories")}</h2>
        {categories ? (
          <ul class="categories">
            {categories
              .filter((category) => !category.parent)
              .map((category) => (
                <li key={category.slug}>
                  <a href={`/c/${category.slug}`}>{category.name}</a>
                </li>
              ))}
          </ul>
        ) : (
          <Loading />
        )}
      </section>
      <section aria-labelledby="featured-heading">
        <h2 id="featured-heading">{t("featured")}</h2>
        {featured ? <ProductGrid products={featured.items} label={t("featured")} /> : <Loading />}
      </section>
    </Page>
  );
}
