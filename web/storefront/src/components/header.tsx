import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { signIn, signOut } from "../auth";
import { cart, lineCount, loadCart } from "../cart";
import { config } from "../config";
import { t } from "../i18n";
import { choose, prefs } from "../prefs";
import { COUNTRIES, countryName, currencyFor } from "../regions";
import { navigate } from "../router";
import { session } from "../session";
import { useStore } from "../store";

export function Header(): JSX.Element {
  const current = useStore(prefs);
  const who = useStore(session);
  const items = lineCount(useStore(cart));
  const [q, setQ] = useState("");
  const search = (event: Event) => {
    event.preventDefault();
    navigate(`/search?q=${encodeURIComponent(q)}`);
  };
  const country = (value: string) => {
    choose({ country: value, currency: currencyFor(value) });
    void loadCart();
  };
  return (
    <header class="site-header">
      <a class="skip" href="#main">
        {t("skip")}
      </a>
      <a class="brand" href="/">
        {t("shopName")}
      </a>
      <form role="search" class="search" onSubmit={search}>
        <label for="search-q" class="visually-hidden">
          {t("searchLabel")}
        </label>
        <input id="search-q" type="search" value={q} placeholder={t("searchPlaceholder")} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        <button type="submit">{t("search")}</button>
      </form>
      <div class="prefs">
        <label>
          <span class="visually-hidden">{t("language")}</span>
          <select value={current.locale} onChange={(e) => choose({ locale: (e.target as HTMLSelectElement).value })}>
            {config().locales.map((locale) => (
              <option key={locale} value={locale} lang={locale}>
                {new Intl.DisplayNames([locale], { type: "language" }).of(locale)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span class="visually-hidden">{t("shipTo")}</span>
          <select value={current.country} onChange={(e) => country((e.target as HTMLSelectElement).value)}>
            {COUNTRIES.map((code) => (
              <option key={code} value={code}>
                {countryName(code, current.locale)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span class="visually-hidden">{t("currency")}</span>
          <select value={current.currency} onChange={(e) => choose({ currency: (e.target as HTMLSelectElement).value })}>
            {config().currencies.map((code) => (
              <option key={code} value={code}>
                {code}
              </option>
            ))}
          </select>
        </label>
      </div>
      <nav aria-label={t("accountNav")} class="account-nav">
        <a href="/cart">
          {t("cart")} <span class="count">({items})</span>
        </a>
        {who ? (
          <>
            <a href="/account">{t("account")}</a>
            <button type="button" class="link" onClick={signOut}>
              {t("signOut")}
            </button>
          </>
        ) : (
          <button type="button" class="link" onClick={() => void signIn(location.pathname + location.search)}>
            {t("signIn")}
          </button>
        )}
      </nav>
    </header>
  );
}
