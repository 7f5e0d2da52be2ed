import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../api";
import { applyCode, cart, loadCart, removeCode, removeLine, setDestination, setLine, shippingRates } from "../cart";
import { TotalsTable } from "../components/totals";
import { Alert, Field, Loading, Page, Price } from "../components/ui";
import { t } from "../i18n";
import { prefs } from "../prefs";
import { COUNTRIES, countryName, needsRegion } from "../regions";
import { useStore } from "../store";
import type { ShippingRates } from "../types";

export function CartPage(): JSX.Element {
  const current = useStore(cart);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState("");
  useEffect(() => {
    loadCart()
      .catch((failure: Error) => setError(failure.message))
      .finally(() => setLoaded(true));
  }, []);
  const attempt = async (change: Promise<unknown>) => {
    setError("");
    try {
      await change;
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  if (!loaded) return <Loading />;
  if (!current || current.lines.length === 0) {
    return (
      <Page title={t("cart")}>
        <p>{t("cartEmpty")}</p>
        <a href="/">{t("keepShopping")}</a>
      </Page>
    );
  }
  const estimate = current.estimate;
  return (
    <Page title={t("cart")}>
      {error ? <Alert>{error}</Alert> : null}
      <table class="lines">
        <caption class="visually-hidden">{t("cartLines")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("product")}</th>
            <th scope="col">{t("quantity")}</th>
            <th scope="col">{t("lineTotal")}</th>
            <th scope="col"><span class="visually-hidden">{t("remove")}</span></th>
          </tr>
        </thead>
        <tbody>
          {current.lines.map((line) => (
            <tr key={line.sku}>
              <td>
                <a href={`/p/${line.product_id}`}>{line.name}</a> <span class="sku">{line.sku}</span>
                {line.available ? null : <span class="badge">{t("soldOut")}</span>}
              </td>
              <td>
                <input
                  type="number"
                  min={0}
                  max={99}
                  value={line.quantity}
                  aria-label={t("quantityOf", { name: line.name })}
                  onChange={(e) => void attempt(setLine(line.sku, Number((e.target as HTMLInputElement).value)))}
                />
              </td>
              <td><Price money={line.line_total} /></td>
              <td>
                <button type="button" class="link" onClick={() => void attempt(removeLine(line.sku))}>
                  {t("remove")}<span class="visually-hidden"> {line.name}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <DiscountCode code={current.discount_code} problem={estimate?.discount_code_problem?.detail} />
      <Destination country={current.country ?? prefs.value.country} />
      {estimate ? (
        <>
          {estimate.discounts.map((discount) => (
            <p key={discount.description} class="discount">
              {discount.description}: −<Price money={discount.amount} />
            </p>
          ))}
          <TotalsTable totals={estimate.totals} />
          {estimate.delivery_days ? <p>{t("deliveryDays", { min: estimate.delivery_days[0] ?? 0, max: estimate.delivery_days[1] ?? 0 })}</p> : null}
        </>
      ) : current.estimate_problem ? (
        <Alert>{current.estimate_problem.detail}</Alert>
      ) : null}
      <a class="button primary" href="/checkout">
        {t("checkout")}
      </a>
    </Page>
  );
}

function DiscountCode({ code, problem }: { code: string | null; problem?: string }): JSX.Element {
  const [value, setValue] = useState("");
  const [error, setError] = useState("");
  const apply = async (event: Event) => {
    event.preventDefault();
    setError("");
    try {
      await applyCode(value.trim().toUpperCase());
      setValue("");
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    }
  };
  if (code) {
    return (
      <div class="discount-code">
        <p>{t("codeApplied", { code })}</p>
        {problem ? <Alert>{problem}</Alert> : null}
        <button type="button" class="link" onClick={() => void removeCode()}>
          {t("removeCode")}
        </button>
      </div>
    );
  }
  return (
    <form class="discount-code inline" onSubmit={(e) => void apply(e)}>
      <Field name="discount-code" label={t("discountCode")} value={value} error={error} onInput={setValue} />
      <button type="submit">{t("apply")}</button>
    </form>
  );
}

function Destination({ country: initial }: { country: string }): JSX.Element {
  const [country, setCountry] = useState(initial);
  const [region, setRegion] = useState("");
  const [postal, setPostal] = useState("");
  const [rates, setRates] = useState<ShippingRates | null>(null);
  const [error, setError] = useState("");
  const update = async (event?: Event) => {
    event?.preventDefault();
    setError("");
    try {
      await setDestination(country, needsRegion(country) ? region : undefined);
      setRates(await shippingRates(country, postal || undefined));
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  useEffect(() => {
    shippingRates(country).then(setRates).catch(() => undefined);
  }, []);
  return (
    <section aria-labelledby="destination-heading" class="destination">
      <h2 id="destination-heading">{t("shipping")}</h2>
      <form class="inline" onSubmit={(e) => void update(e)}>
        <div class="field">
          <label for="destination-country">{t("country")}</label>
          <select id="destination-country" value={country} onChange={(e) => setCountry((e.target as HTMLSelectElement).value)}>
            {COUNTRIES.map((code) => (
              <option key={code} value={code}>{countryName(code, prefs.value.locale)}</option>
            ))}
          </select>
        </div>
        {needsRegion(country) ? <Field name="destination-region" label={t("region")} value={region} onInput={setRegion} /> : null}
        <Field name="destination-postal" label={t("postalCode")} value={postal} onInput={setPostal} />
        <button type="submit">{t("update")}</button>
      </form>
      {error ? <Alert>{error}</Alert> : null}
      {rates ? (
        <ul class="rates" aria-label={t("shippingRates")}>
          {rates.options.map((option) => (
            <li key={option.name}>
              {option.name}: <Price money={option.price} /> · {t("deliveryDays", { min: option.min_days, max: option.max_days })}
            </li>
          ))}
          {rates.live_rates === "unavailable" ? <li>{t("liveRatesDown")}</li> : null}
        </ul>
      ) : null}
    </section>
  );
}
