import { Box, MenuItem, TextField, Typography } from "@mui/material";
import { useState } from "react";
import { Title } from "react-admin";
import { config } from "../../config";
import { exponent, formatMoney } from "../../money";
import { PageHeading, Panel } from "../kit/Panel";
import { useApi } from "../../useApi";
import { refusal } from "../kit/request";
import { Rows } from "../kit/Rows";
import { Bars, Figure, Lines } from "./charts";
import type { CampaignReport, FunnelReport, InventoryReport, SalesReport, Span } from "./types";

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** A major-unit number for a chart's axis: 1250 EUR is 12.5. */
const major = (amount: number, currency: string) => amount / 10 ** exponent(currency);

/** Sales, the funnel, campaigns and stock, over one period, in one reporting currency. */
export function ReportsPage() {
  const today = new Date();
  const [span, setSpan] = useState<Span>({
    from: isoDay(new Date(today.getTime() - 29 * 86_400_000)),
    to: isoDay(today),
    currency: config().currencies[0] ?? "EUR",
  });
  return (
    <>
      <Title title="Reports" />
      <PageHeading>Reports</PageHeading>
      <Box component="form" aria-label="Period and currency" sx={{ display: "flex", gap: 2, mb: 2 }}>
        <TextField type="date" label="From" value={span.from} onChange={(event) => setSpan({ ...span, from: event.target.value })} slotProps={{ inputLabel: { shrink: true } }} />
        <TextField type="date" label="To" value={span.to} onChange={(event) => setSpan({ ...span, to: event.target.value })} slotProps={{ inputLabel: { shrink: true } }} />
        <TextField select label="Reporting currency" value={span.currency} onChange={(event) => setSpan({ ...span, currency: event.target.value })} sx={{ minWidth: 200 }}>
          {config().currencies.map((currency) => (
            <MenuItem key={currency} value={currency}>
              {currency}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      <Sales span={span} />
      <Funnel span={span} />
      <Campaigns span={span} />
      <Stock />
    </>
  );
}

function Sales({ span }: { span: Span }) {
  const { data, error } = useApi<SalesReport>("/admin/reports/sales", { ...span });
  const money = (amount: number) => formatMoney(amount, data?.currency ?? span.currency);
  const days = (data?.days ?? []).map((day) => ({ day: day.day, revenue: major(day.revenue.amount, day.revenue.currency) }));
  return (
    <Panel title="Sales" error={error ? refusal(error) : null}>
      {data ? (
        <>
          <Typography>
            {money(data.total.revenue.amount)} from {data.total.orders} orders · average {money(data.total.average_order_value.amount)} ·{" "}
            {data.total.units} units · refunds {money(data.total.refunds.amount)} · discounts {money(data.total.discounts.amount)}
          </Typography>
          <Figure caption={`Revenue per day, in ${data.currency}`}>
            <Lines data={days} x="day" y="revenue" label={`Revenue (${data.currency})`} />
          </Figure>
          <Rows
            caption="Top products"
            rows={data.top_products}
            keyOf={(row) => row.product_id}
            columns={[
              { label: "Product", cell: (row) => row.product_id },
              { label: "Units sold", cell: (row) => row.units_sold, numeric: true },
              { label: "Revenue", cell: (row) => formatMoney(row.revenue.amount, row.revenue.currency), numeric: true },
            ]}
          />
        </>
      ) : null}
    </Panel>
  );
}

function Funnel({ span }: { span: Span }) {
  const { data, error } = useApi<FunnelReport>("/admin/reports/funnel", { from: span.from, to: span.to });
  const steps = data
    ? [
        { step: "Views", count: data.total.views },
        { step: "Added to cart", count: data.total.cart_adds },
        { step: "Checkouts", count: data.total.checkouts },
        { step: "Paid", count: data.total.paid },
      ]
    : [];
  return (
    <Panel title="Funnel" error={error ? refusal(error) : null}>
      {data ? (
        <>
          <Figure caption="Shoppers at each step">
            <Bars data={steps} x="step" y="count" label="Shoppers" />
          </Figure>
          <Typography>
            View to paid: {data.conversion.view_to_paid ?? "—"} · cart to checkout: {data.conversion.cart_to_checkout ?? "—"} ·
            checkout to paid: {data.conversion.checkout_to_paid ?? "—"}
          </Typography>
        </>
      ) : null}
    </Panel>
  );
}

function Campaigns({ span }: { span: Span }) {
  const { data, error } = useApi<CampaignReport>("/admin/reports/campaigns", { ...span });
  const bars = (data?.campaigns ?? []).map((row) => ({ campaign: row.campaign, revenue: major(row.revenue.amount, row.revenue.currency) }));
  return (
    <Panel title="Campaigns" error={error ? refusal(error) : null}>
      {data ? (
        <>
          {bars.length ? (
            <Figure caption={`Revenue per campaign, in ${data.currency}`}>
              <Bars data={bars} x="campaign" y="revenue" label={`Revenue (${data.currency})`} />
            </Figure>
          ) : null}
          <Rows
            caption="Campaigns"
            rows={data.campaigns}
            keyOf={(row) => row.campaign}
            columns={[
              { label: "Campaign", cell: (row) => row.campaign },
              { label: "Carts", cell: (row) => row.carts, numeric: true },
              { label: "Orders", cell: (row) => row.orders, numeric: true },
              { label: "Revenue", cell: (row) => formatMoney(row.revenue.amount, row.revenue.currency), numeric: true },
              { label: "Conversion", cell: (row) => row.conversion ?? "—", numeric: true },
            ]}
          />
        </>
      ) : null}
    </Panel>
  );
}

function Stock() {
  const { data, error } = useApi<InventoryReport>("/admin/reports/inventory");
  return (
    <Panel title="Inventory" error={error ? refusal(error) : null}>
      {data ? (
        <>
          <Figure caption="Units on hand per location">
            <Bars data={data.locations} x="location" y="units_on_hand" label="Units on hand" />
          </Figure>
          <Rows
            caption="Value at cost per location"
            rows={data.locations}
            keyOf={(row) => row.location}
            columns={[
              { label: "Location", cell: (row) => row.location },
              { label: "Units on hand", cell: (row) => row.units_on_hand, numeric: true },
              { label: "Value at cost", cell: (row) => row.value_at_cost.map((money) => formatMoney(money.amount, money.currency)).join(", "), numeric: true },
            ]}
          />
          <Typography>Low stock: {data.low_stock.join(", ") || "none"}</Typography>
          <Typography>Out of stock: {data.out_of_stock.join(", ") || "none"}</Typography>
        </>
      ) : null}
    </Panel>
  );
}
