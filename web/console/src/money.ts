/** Money is integer minor units with its currency; the exponent comes from the currency (JPY 0, EUR 2),
 * never from a fixed ×100. Display through Intl, input parsed as text so no float touches an amount. */

export function exponent(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export function formatMoney(amount: number, currency: string, locale?: string): string {
  const digits = exponent(currency);
  return new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: digits }).format(
    amount / 10 ** digits,
  );
}

/** "12.5" EUR is 1250; "1200" JPY is 1200; null when the text is not an amount in that currency. */
export function toMinor(text: string, currency: string): number | null {
  const digits = exponent(currency);
  const match = /^\s*(\d+)(?:[.,](\d*))?\s*$/.exec(text);
  if (!match) return null;
  const fraction = match[2] ?? "";
  if (fraction.length > digits) return null;
  return Number(match[1] + fraction.padEnd(digits, "0"));
}

/** 1250 EUR is "12.50": the text an input shows for an amount. */
export function toMajorText(amount: number, currency: string): string {
  const digits = exponent(currency);
  if (digits === 0) return String(amount);
  const text = String(Math.abs(amount)).padStart(digits + 1, "0");
  return `${amount < 0 ? "-" : ""}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
