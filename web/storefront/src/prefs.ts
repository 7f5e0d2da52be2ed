import { config } from "./config";
import { currencyFor } from "./regions";
import { Store } from "./store";

/** The shopper's language, currency and shipping country: chosen once, kept in this browser. */
export interface Prefs {
  locale: string;
  currency: string;
  country: string;
}

const KEY = "storefront.prefs";

export const prefs = new Store<Prefs>({ locale: "en", currency: "EUR", country: "FR" });

/** Saved choices first; else the browser's languages (its Accept-Language) and the configured defaults. */
export function initialPrefs(): void {
  const { locales, defaultLocale, defaultCurrency, defaultCountry } = config();
  const saved = JSON.parse(localStorage.getItem(KEY) ?? "null") as Partial<Prefs> | null;
  const spoken = navigator.languages.map((tag) => tag.slice(0, 2).toLowerCase()).find((l) => locales.includes(l));
  prefs.set({
    locale: saved?.locale ?? spoken ?? defaultLocale,
    country: saved?.country ?? defaultCountry,
    currency: saved?.currency ?? defaultCurrency ?? currencyFor(defaultCountry),
  });
  document.documentElement.lang = prefs.value.locale;
}

export function choose(change: Partial<Prefs>): void {
  prefs.set({ ...prefs.value, ...change });
  localStorage.setItem(KEY, JSON.stringify(prefs.value));
  document.documentElement.lang = prefs.value.locale;
}
