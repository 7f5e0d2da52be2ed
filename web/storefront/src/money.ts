/** Amounts arrive as integers in the currency's minor unit; Intl knows each currency's exponent. */
export interface Money {
  amount: number;
  currency: string;
}

export function minorDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export function formatMoney(money: Money, locale: string): string {
  const digits = minorDigits(money.currency);
  return new Intl.NumberFormat(locale, { style: "currency", currency: money.currency }).format(
    money.amount / 10 ** digits,
  );
}
