import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, query } from "../api";
import { ProductGrid } from "../components/product_card";
import { Alert, Loading, Page, TaxNote } from "../components/ui";
import { t } from "../i18n";
import { prefs } from "../prefs";
import type { Category, ProductList } from "../types";

const PAGE_SIZE = 12;

/** A category or a search, a page at a time with the API's cursors. */
export function ListingPage({ category, q, cursor }: { category?: string; q?: string; cursor: string | null }): JSX.Element {
  const [list, setList] = useState<ProductList | null>(null);
  const [name, setName] = useState(category ?? "");
  const [failed, setFailed] = useState("");
  useEffect(() => {
    const { locale, currency, country } = prefs.value;
    setList(null);
    api<ProductList>(`/products${query({ category, q, cursor, limit: PAGE_SIZE, currency, country, locale })}`)
      .then(setList)
      .catch((error: Error) => setFailed(error.message));
    if (category) {
      api<{ items: Category[] }>(`/categories${query({ locale })}`)
        .then((found) => setName(found.items.find((c) => c.slug === category)?.name ?? category))
        .catch(() => undefined);
    }
  }, [category, q, cursor]);
  const title = category ? name : t("searchResults", { q: q ?? "" });
  const here = category ? `/c/${category}` : `/search?q=${encodeURIComponent(q ?? "")}`;
  const joiner = here.includes("?") ? "&" : "?";
  return (
    <Page title={title}>
      <p>
        <TaxNote />
      </p>
      {failed ? <Alert>{failed}</Alert> : null}
      {!list ? (
        <Loading />
      ) : list.items.length === 0 ? (
        <p>{t("nothingFound")}</p>
      ) : (
        <ProductGrid products={list.items} label={title} />
      )}
      <nav class="paging" aria-label={t("pages")}>
        {cursor ? <a href={here}>{t("firstPage")}</a> : null}
        {list?.next_cursor ? (
          <a href={`${here}${joiner}cursor=${encodeURIComponent(list.next_cursor)}`} rel="next">
            {t("nextPage")}
          </a>
        ) : null}
      </nav>
    </Page>
  );
}
