import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../api";
import { signIn, signOut } from "../auth";
import { Alert, Field, Loading, Page, Price } from "../components/ui";
import { t } from "../i18n";
import { prefs } from "../prefs";
import { session } from "../session";
import { useStore } from "../store";
import type { Address, Order, Profile, SavedAddress } from "../types";
import { AddressFields } from "./checkout";
import { statusText } from "./order";

export function AccountPage(): JSX.Element {
  const who = useStore(session);
  if (!who) {
    return (
      <Page title={t("account")}>
        <button type="button" class="primary" onClick={() => void signIn("/account")}>
          {t("signIn")}
        </button>
      </Page>
    );
  }
  return (
    <Page title={t("account")}>
      <p>{t("signedInAs", { email: who.email })}</p>
      <Orders />
      <ProfileForm />
      <Addresses />
      <MyData />
    </Page>
  );
}

function Orders(): JSX.Element {
  const [orders, setOrders] = useState<Order[] | null>(null);
  useEffect(() => {
    api<{ items: Order[] }>("/me/orders?limit=20", { signedIn: true })
      .then((found) => setOrders(found.items))
      .catch(() => setOrders([]));
  }, []);
  return (
    <section aria-labelledby="orders-heading">
      <h2 id="orders-heading">{t("orders")}</h2>
      {!orders ? (
        <Loading />
      ) : orders.length === 0 ? (
        <p>{t("noOrders")}</p>
      ) : (
        <ul class="orders">
          {orders.map((order) => (
            <li key={order.id}>
              <a href={`/orders/${order.id}`}>{t("orderTitle", { id: order.id })}</a> · {new Date(order.created_at).toLocaleDateString(prefs.value.locale)} ·{" "}
              <Price money={order.totals.total} /> · <span data-status={order.status}>{statusText(order.status)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ProfileForm(): JSX.Element {
  const [profile, setProfile] = useState<Profile | null>(null);
  const [name, setName] = useState("");
  const [consent, setConsent] = useState(false);
  const [message, setMessage] = useState<{ text: string; tone: "error" | "info" } | null>(null);
  useEffect(() => {
    api<Profile>("/me", { signedIn: true })
      .then((found) => {
        setProfile(found);
        setName(found.name ?? "");
        setConsent(found.marketing_consent.granted);
      })
      .catch((failure: Error) => setMessage({ text: failure.message, tone: "error" }));
  }, []);
  const save = async (event: Event) => {
    event.preventDefault();
    try {
      const { locale, currency } = prefs.value;
      setProfile(await api<Profile>("/me", { method: "PUT", signedIn: true, body: { name: name || null, marketing_consent: consent, locale, currency } }));
      setMessage({ text: t("saved"), tone: "info" });
    } catch (failure) {
      setMessage({ text: (failure as Error).message, tone: "error" });
    }
  };
  return (
    <section aria-labelledby="profile-heading">
      <h2 id="profile-heading">{t("profile")}</h2>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      {profile ? (
        <form onSubmit={(e) => void save(e)}>
          <Field name="profile-name" label={t("fullName")} value={name} autocomplete="name" onInput={setName} />
          <label class="check">
            <input type="checkbox" checked={consent} onChange={(e) => setConsent((e.target as HTMLInputElement).checked)} /> {t("marketingConsent")}
          </label>
          <button type="submit">{t("save")}</button>
        </form>
      ) : (
        <Loading />
      )}
    </section>
  );
}

function Addresses(): JSX.Element {
  const [addresses, setAddresses] = useState<SavedAddress[]>([]);
  const [draft, setDraft] = useState<Address>({ recipient_name: "", line1: "", city: "", postal_code: "", country: prefs.value.country });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const load = () =>
    api<{ items: SavedAddress[] }>("/me/addresses", { signedIn: true })
      .then((found) => setAddresses(found.items))
      .catch(() => undefined);
  useEffect(() => void load(), []);
  const add = async (event: Event) => {
    event.preventDefault();
    setErrors({});
    try {
      const body = Object.fromEntries(Object.entries(draft).filter(([, value]) => value));
      await api("/me/addresses", { method: "POST", signedIn: true, body });
      setDraft({ recipient_name: "", line1: "", city: "", postal_code: "", country: prefs.value.country });
      await load();
    } catch (failure) {
      if (!(failure instanceof ApiError)) throw failure;
      const fields = failure.fieldErrors();
      setErrors(Object.fromEntries(Object.entries(fields).map(([name, text]) => [`address.${name}`, text])));
    }
  };
  const remove = async (id: string) => {
    await api(`/me/addresses/${id}`, { method: "DELETE", signedIn: true });
    await load();
  };
  return (
    <section aria-labelledby="addresses-heading">
      <h2 id="addresses-heading">{t("addresses")}</h2>
      <ul class="addresses">
        {addresses.map((address) => (
          <li key={address.id}>
            {address.recipient_name}, {address.line1}, {address.postal_code} {address.city}, {address.country}{" "}
            <button type="button" class="link" onClick={() => void remove(address.id)}>
              {t("remove")}<span class="visually-hidden"> {address.line1}</span>
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={(e) => void add(e)}>
        <AddressFields legend={t("newAddress")} prefix="address" value={draft} errors={errors} onChange={setDraft} />
        <button type="submit">{t("addAddress")}</button>
      </form>
    </section>
  );
}

/** The customer's data: all of it as a file, or erased for good. */
function MyData(): JSX.Element {
  const [error, setError] = useState("");
  const download = async () => {
    const data = await api<unknown>("/me/export", { signedIn: true });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
    link.download = "my-data.json";
    link.click();
    URL.revokeObjectURL(link.href);
  };
  const erase = async () => {
    if (!confirm(t("eraseConfirm"))) return;
    try {
      await api("/me", { method: "DELETE", signedIn: true });
      signOut();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return (
    <section aria-labelledby="data-heading">
      <h2 id="data-heading">{t("myData")}</h2>
      {error ? <Alert>{error}</Alert> : null}
      <button type="button" onClick={() => void download()}>
        {t("exportData")}
      </button>{" "}
      <button type="button" class="danger" onClick={() => void erase()}>
        {t("eraseAccount")}
      </button>
    </section>
  );
}
