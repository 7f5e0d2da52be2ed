/** Where the shop ships from the storefront, each country's usual currency, and how it expects prices. */
export const COUNTRIES = ["FR", "DE", "ES", "IT", "NL", "BE", "IE", "GB", "US", "CA", "JP"] as const;

const CURRENCY: Record<string, string> = { US: "USD", CA: "USD", JP: "JPY" };

export function currencyFor(country: string): string {
  return CURRENCY[country] ?? "EUR";
}

/** US and Canadian prices are shown before tax, which checkout adds; elsewhere prices include it. */
export function taxAdded(country: string): boolean {
  return country === "US" || country === "CA";
}

/** A state or province is part of the address, and of the tax, there. */
export function needsRegion(country: string): boolean {
  return country === "US" || country === "CA";
}

export function countryName(country: string, locale: string): string {
  return new Intl.DisplayNames([locale], { type: "region" }).of(country) ?? country;
}
