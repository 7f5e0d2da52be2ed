import type { JSX } from "preact";
import { t } from "../i18n";
import type { Totals } from "../types";
import { Price } from "./ui";

/** The server's totals, as it computed them: tax shown inside the total or added to it, by region. */
export function TotalsTable({ totals }: { totals: Totals }): JSX.Element {
  return (
    <table class="totals">
      <caption class="visually-hidden">{t("totals")}</caption>
      <tbody>
        <tr>
          <th scope="row">{t("subtotal")}</th>
          <td><Price money={totals.subtotal} /></td>
        </tr>
        {totals.discount.amount ? (
          <tr>
            <th scope="row">{t("discount")}</th>
            <td>−<Price money={totals.discount} /></td>
          </tr>
        ) : null}
        <tr>
          <th scope="row">{t("shipping")}</th>
          <td><Price money={totals.shipping} /></td>
        </tr>
        <tr>
          <th scope="row">{totals.tax_included ? t("taxIncludedAmount") : t("taxAddedAmount")}</th>
          <td><Price money={totals.tax} /></td>
        </tr>
        <tr class="total">
          <th scope="row">{t("total")}</th>
          <td><Price money={totals.total} /></td>
        </tr>
      </tbody>
    </table>
  );
}
