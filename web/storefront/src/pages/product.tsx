import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, ApiError, query } from "../api";
import { setLine } from "../cart";
import { ProductShelf } from "../components/product_card";
import { Alert, Field, Loading, Page, Price, ProductImage, TaxNote } from "../components/ui";
import { t } from "../i18n";
import { prefs } from "../prefs";
import { session } from "../session";
import type { Product, Variant } from "../types";

const RELATED = 4;

function variantLabel(variant: Variant): string {
  return Object.values(variant.attributes).join(" / ") || variant.sku;
}

async function products(ids: string[]): Promise<Product[]> {
  const { locale, currency, country } = prefs.value;
  const found = await Promise.all(
    ids.slice(0, RELATED).map((id) =>
      api<Product>(`/products/${encodeURIComponent(id)}${query({ locale, currency, country })}`).catch(() => null),
    ),
  );
  return found.filter((product): product is Product => product !== null);
}

export function ProductPage({ id }: { id: string }): JSX.Element {
  const [product, setProduct] = useState<Product | null>(null);
  const [sku, setSku] = useState("");
  const [quantity, setQuantity] = useState(1);
  const [message, setMessage] = useState<{ text: string; tone: "error" | "info" } | null>(null);
  const [together, setTogether] = useState<Product[]>([]);
  const [recent, setRecent] = useState<Product[]>([]);
  useEffect(() => {
    const { locale, currency, country } = prefs.value;
    api<Product>(`/products/${encodeURIComponent(id)}${query({ locale, currency, country })}`)
      .then((found) => {
        setProduct(found);
        const first = found.variants.find((v) => v.availability !== "out_of_stock") ?? found.variants[0];
        setSku(first?.sku ?? "");
      })
      .catch((error: Error) => setMessage({ text: error.message, tone: "error" }));
    api<{ items: { product_id: string }[] }>(`/products/${encodeURIComponent(id)}/recommendations${query({ limit: RELATED })}`)
      .then((found) => products(found.items.map((item) => item.product_id)))
      .then(setTogether)
      .catch(() => undefined);
    if (session.value) {
      api<{ items: { product_id: string }[] }>(`/me/recently-viewed/${encodeURIComponent(id)}`, { method: "PUT", signedIn: true })
        .then((found) => products(found.items.map((item) => item.product_id).filter((other) => other !== id)))
        .then(setRecent)
        .catch(() => undefined);
    }
  }, [id]);
  if (!product) return message ? <Alert>{message.text}</Alert> : <Loading />;
  const variant = product.variants.find((v) => v.sku === sku);
  const add = async () => {
    try {
      await setLine(sku, quantity);
      setMessage({ text: t("added", { name: product.name }), tone: "info" });
    } catch (error) {
      setMessage({ text: (error as Error).message, tone: "error" });
    }
  };
  return (
    <Page title={product.name}>
      <div class="product">
        <div class="gallery">
          {product.images.map((src, i) => (
            <ProductImage key={src} src={src} alt={i === 0 ? product.name : `${product.name} (${i + 1})`} />
          ))}
          {product.images.length === 0 ? <ProductImage src={undefined} alt={product.name} /> : null}
        </div>
        <div class="buy">
          <p>{product.description}</p>
          {variant ? (
            <p class="product-price">
              <Price money={variant.price} /> <TaxNote />
            </p>
          ) : null}
          <fieldset class="variants">
            <legend>{t("chooseVariant")}</legend>
            {product.variants.map((v) => (
              <label key={v.sku} class="variant">
                <input type="radio" name="variant" value={v.sku} checked={v.sku === sku} onChange={() => setSku(v.sku)} />
                {variantLabel(v)} <span class={`availability ${v.availability}`}>{t(v.availability === "in_stock" ? "inStock" : v.availability === "low_stock" ? "lowStock" : "soldOut")}</span>
              </label>
            ))}
          </fieldset>
          {variant && variant.availability !== "out_of_stock" ? (
            <div class="add">
              <label for="quantity">{t("quantity")}</label>
              <input id="quantity" type="number" min={1} max={99} value={quantity} onInput={(e) => setQuantity(Number((e.target as HTMLInputElement).value) || 1)} />
              <button type="button" class="primary" onClick={() => void add()}>
                {t("addToCart")}
              </button>
            </div>
          ) : variant ? (
            <StockAlert sku={variant.sku} />
          ) : null}
          {message ? <Alert tone={message.tone}>{message.text} {message.tone === "info" ? <a href="/cart">{t("viewCart")}</a> : null}</Alert> : null}
        </div>
      </div>
      <ProductShelf id="together" title={t("boughtTogether")} products={together} />
      <ProductShelf id="recent" title={t("recentlyViewed")} products={recent} />
    </Page>
  );
}

/** Sold out: the shopper leaves an email and is told once when it is back. */
function StockAlert({ sku }: { sku: string }): JSX.Element {
  const [email, setEmail] = useState(session.value?.email ?? "");
  const [error, setError] = useState("");
  const [done, setDone] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      await api(`/stock-alerts`, { method: "POST", body: { sku, email, locale: prefs.value.locale } });
      setDone(true);
    } catch (failure) {
      setError(failure instanceof ApiError ? (failure.fieldErrors().email ?? failure.message) : (failure as Error).message);
    }
  };
  if (done) return <Alert tone="info">{t("alertSaved")}</Alert>;
  return (
    <form class="stock-alert" onSubmit={(e) => void submit(e)}>
      <p>{t("soldOutTell")}</p>
      <Field name="alert-email" label={t("email")} type="email" value={email} error={error} required autocomplete="email" onInput={setEmail} />
      <button type="submit">{t("tellMe")}</button>
    </form>
  );
}
