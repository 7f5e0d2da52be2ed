import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError } from "../api";
import { cart, forgetCart, guestCartHeaders, loadCart, setContact } from "../cart";
import { TotalsTable } from "../components/totals";
import { Alert, Field, Loading, Page } from "../components/ui";
import { t } from "../i18n";
import { prefs } from "../prefs";
import { COUNTRIES, countryName, needsRegion } from "../regions";
import { navigate } from "../router";
import { session } from "../session";
import { useStore } from "../store";
import { loadStripe, type CardElement, type StripeJs } from "../stripe";
import type { Address, Checkout } from "../types";

/** An order placed and waiting for its payment: kept for this tab, so a reload pays the same order. */
interface Placed {
  order_id: string;
  order_token: string;
  client_secret: string;
  email: string;
  name: string;
  totals: Checkout["totals"];
}

const PLACED = "storefront.placed";
const emptyAddress = (country: string): Address => ({ recipient_name: "", line1: "", line2: "", city: "", region: "", postal_code: "", country, phone: "" });
const idempotencyKeys = new Map<string, string>();

/** The same request sent again (a double click, a retry after a network error) makes one order. */
function idempotencyKey(body: unknown): string {
  const text = JSON.stringify(body);
  if (!idempotencyKeys.has(text)) idempotencyKeys.set(text, crypto.randomUUID());
  return idempotencyKeys.get(text)!;
}

function cleaned(address: Address): Address {
  const out: Address = { ...address };
  for (const name of ["line2", "region", "postal_code", "phone"] as const) if (!out[name]) delete out[name];
  if (!needsRegion(out.country)) delete out.region;
  return out;
}

export function CheckoutPage(): JSX.Element {
  const [placed, setPlaced] = useState<Placed | null>(() => JSON.parse(sessionStorage.getItem(PLACED) ?? "null") as Placed | null);
  if (placed) return <Payment placed={placed} />;
  return (
    <Details
      onPlaced={(value) => {
        sessionStorage.setItem(PLACED, JSON.stringify(value));
        forgetCart();
        setPlaced(value);
      }}
    />
  );
}

function Details({ onPlaced }: { onPlaced: (placed: Placed) => void }): JSX.Element {
  const current = useStore(cart);
  const who = useStore(session);
  const [email, setEmail] = useState(who?.email ?? "");
  const [consent, setConsent] = useState(false);
  const [shipping, setShipping] = useState<Address>(() => emptyAddress(current?.country ?? prefs.value.country));
  const [sameBilling, setSameBilling] = useState(true);
  const [billing, setBilling] = useState<Address>(() => emptyAddress(prefs.value.country));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState("");
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void loadCart();
  }, []);
  if (!current) return <Loading />;
  if (current.lines.length === 0) {
    return (
      <Page title={t("checkout")}>
        <p>{t("cartEmpty")}</p>
      </Page>
    );
  }
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setProblem("");
    const body = {
      email,
      shipping_address: cleaned(shipping),
      billing_address: sameBilling ? null : cleaned(billing),
    };
    try {
      let placed: Checkout;
      if (who) {
        await api("/me", { method: "PUT", body: { marketing_consent: consent }, signedIn: true });
        placed = await api<Checkout>("/me/checkout", { method: "POST", body, signedIn: true, headers: { "Idempotency-Key": idempotencyKey(body) } });
      } else {
        await setContact(email, consent);
        const guestBody = { ...body, cart_id: current.id };
        placed = await api<Checkout>("/checkout", {
          method: "POST",
          body: guestBody,
          headers: { ...guestCartHeaders(), "Idempotency-Key": idempotencyKey(guestBody) },
        });
      }
      onPlaced({
        order_id: placed.order_id,
        order_token: placed.order_token,
        client_secret: placed.payment.client_secret ?? "",
        email,
        name: shipping.recipient_name,
        totals: placed.totals,
      });
    } catch (failure) {
      if (!(failure instanceof ApiError)) throw failure;
      const fields = failure.fieldErrors();
      setErrors(fields);
      if (Object.keys(fields).length === 0) setProblem(failure.message);
      else setProblem(t("fixFields"));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title={t("checkout")}>
      {problem ? <Alert>{problem}</Alert> : null}
      <form class="checkout" onSubmit={(e) => void submit(e)} noValidate>
        <fieldset>
          <legend>{t("contact")}</legend>
          <Field name="email" label={t("email")} type="email" value={email} error={errors.email} required autocomplete="email" onInput={setEmail} />
          <label class="check">
            <input type="checkbox" checked={consent} onChange={(e) => setConsent((e.target as HTMLInputElement).checked)} /> {t("marketingConsent")}
          </label>
        </fieldset>
        <AddressFields legend={t("shippingAddress")} prefix="shipping_address" value={shipping} errors={errors} onChange={setShipping} />
        <label class="check">
          <input type="checkbox" checked={sameBilling} onChange={(e) => setSameBilling((e.target as HTMLInputElement).checked)} /> {t("billingSame")}
        </label>
        {sameBilling ? null : <AddressFields legend={t("billingAddress")} prefix="billing_address" value={billing} errors={errors} onChange={setBilling} />}
        {current.estimate ? <TotalsTable totals={current.estimate.totals} /> : null}
        <button type="submit" class="primary" disabled={busy}>
          {t("continueToPayment")}
        </button>
      </form>
    </Page>
  );
}

interface AddressProps {
  legend: string;
  prefix: string;
  value: Address;
  errors: Record<string, string>;
  onChange: (address: Address) => void;
}

export function AddressFields({ legend, prefix, value, errors, onChange }: AddressProps): JSX.Element {
  const set = (name: keyof Address) => (text: string) => onChange({ ...value, [name]: text });
  const field = (name: keyof Address, label: string, required = false, autocomplete?: string) => (
    <Field
      name={`${prefix}.${name}`}
      label={label}
      value={String(value[name] ?? "")}
      error={errors[`${prefix}.${name}`]}
      required={required}
      autocomplete={autocomplete}
      onInput={set(name)}
    />
  );
  const countryId = `field-${prefix}-country`;
  const countryError = errors[`${prefix}.country`];
  return (
    <fieldset>
      <legend>{legend}</legend>
      {field("recipient_name", t("fullName"), true, "name")}
      {field("line1", t("line1"), true, "address-line1")}
      {field("line2", t("line2"), false, "address-line2")}
      {field("city", t("city"), true, "address-level2")}
      {needsRegion(value.country) ? field("region", t("region"), true, "address-level1") : null}
      {field("postal_code", t("postalCode"), true, "postal-code")}
      <div class={countryError ? "field invalid" : "field"}>
        <label for={countryId}>{t("country")}</label>
        <select
          id={countryId}
          name={`${prefix}.country`}
          value={value.country}
          aria-invalid={countryError ? "true" : undefined}
          aria-describedby={countryError ? `${countryId}-error` : undefined}
          onChange={(e) => set("country")((e.target as HTMLSelectElement).value)}
        >
          {COUNTRIES.map((code) => (
            <option key={code} value={code}>{countryName(code, prefs.value.locale)}</option>
          ))}
        </select>
        {countryError ? <p class="field-error" id={`${countryId}-error`}>{countryError}</p> : null}
      </div>
      {field("phone", t("phone"), false, "tel")}
    </fieldset>
  );
}

/** The card, in Stripe's element; a decline says so and the same order takes another card. */
function Payment({ placed }: { placed: Placed }): JSX.Element {
  const mount = useRef<HTMLDivElement>(null);
  const [stripe, setStripe] = useState<StripeJs | null>(null);
  const card = useRef<CardElement | null>(null);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    loadStripe(prefs.value.locale)
      .then((loaded) => {
        card.current = loaded.elements().create("card");
        if (mount.current) card.current.mount(mount.current);
        setStripe(loaded);
      })
      .catch((failure: Error) => setError(failure.message));
    return () => card.current?.destroy();
  }, []);
  const pay = async (event: Event) => {
    event.preventDefault();
    if (!stripe || !card.current) return;
    setBusy(true);
    setError("");
    const result = await stripe.confirmCardPayment(placed.client_secret, {
      payment_method: { card: card.current, billing_details: { name: placed.name, email: placed.email } },
    });
    setBusy(false);
    if (result.error) {
      setError(result.error.code === "card_declined" || result.error.decline_code ? t("declined") : (result.error.message ?? t("paymentFailed")));
      return;
    }
    sessionStorage.removeItem(PLACED);
    navigate(`/orders/${placed.order_id}?token=${encodeURIComponent(placed.order_token)}`);
  };
  return (
    <Page title={t("payment")}>
      <p>{t("orderNumber", { id: placed.order_id })}</p>
      <TotalsTable totals={placed.totals} />
      {error ? <Alert>{error}</Alert> : null}
      <form class="payment" onSubmit={(e) => void pay(e)}>
        <fieldset>
          <legend>{t("card")}</legend>
          <div id="card-element" ref={mount} class="card-element" />
        </fieldset>
        <button type="submit" class="primary" disabled={!stripe || busy}>
          {busy ? t("paying") : t("pay")}
        </button>
      </form>
    </Page>
  );
}
