import { exponent, toMajorText, toMinor } from "../../money";
import type { Price, Translation, Variant, VariantForm } from "./types";

/** Between the forms' shapes and the API's bodies; amounts stay integer minor units. */

export function attributesText(attributes: Record<string, string>): string {
  return Object.entries(attributes)
    .map(([name, value]) => `${name}=${value}`)
    .join(", ");
}

export function attributesOf(text: string | undefined): Record<string, string> {
  const pairs = (text ?? "")
    .split(",")
    .map((pair) => pair.split("="))
    .filter(([name, value]) => name?.trim() && value?.trim());
  return Object.fromEntries(pairs.map(([name, value]) => [name!.trim(), value!.trim()]));
}

export function pricesOf(texts: Record<string, string | undefined> | undefined, currencies: string[]): Price[] {
  return currencies.flatMap((currency) => {
    const text = texts?.[currency]?.trim();
    const amount = text ? toMinor(text, currency) : null;
    return amount === null ? [] : [{ currency, amount }];
  });
}

export function variantBody(variant: VariantForm, currencies: string[]) {
  return {
    attributes: attributesOf(variant.attributes),
    low_stock_threshold: Number(variant.low_stock_threshold ?? 5),
    prices: pricesOf(variant.price, currencies),
  };
}

export function variantForm(variant: Variant): VariantForm {
  return {
    sku: variant.sku,
    attributes: attributesText(variant.attributes),
    low_stock_threshold: variant.low_stock_threshold,
    price: Object.fromEntries(variant.prices.map((price) => [price.currency, toMajorText(price.amount, price.currency)])),
  };
}

/** Locales whose name is left empty are not sent: a translation needs at least a name. */
export function translationsOf(values: Record<string, Translation | undefined> | undefined): Record<string, Translation> {
  return Object.fromEntries(
    Object.entries(values ?? {}).filter((entry): entry is [string, Translation] => Boolean(entry[1]?.name?.trim())),
  );
}

export function imagesOf(text: string | undefined): string[] {
  return (text ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

/** A validator for a price input: an amount in the currency's minor unit (JPY has none). */
export function validPrice(currency: string) {
  return (text: string | undefined) => {
    if (!text?.trim()) return undefined;
    if (toMinor(text, currency) !== null) return undefined;
    const digits = exponent(currency);
    return digits === 0 ? `${currency} has no decimals: whole amounts only` : `Up to ${digits} decimals, such as 12.50`;
  };
}
