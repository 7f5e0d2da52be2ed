import { Alert, Box, Typography } from "@mui/material";
import { Title } from "react-admin";
import { Rows } from "../kit/Rows";
import { formatMoney } from "../../money";
import { useApi } from "../../useApi";
import { Panel, RecordLink } from "./Panel";
import type { Attention, SalesLine } from "./types";

/** The column linking a row to its order's page (the Orders section's show view). */
function orderColumn<T>(id: (row: T) => string) {
  return { label: "Order", cell: (row: T) => <RecordLink to={`/orders/${encodeURIComponent(id(row))}/show`}>{id(row)}</RecordLink> };
}

function deadline(iso: string): string {
  const days = Math.ceil((new Date(iso).getTime() - Date.now()) / 86_400_000);
  const date = new Date(iso).toLocaleDateString("en-GB", { dateStyle: "medium" });
  return days < 0 ? `${date} (overdue)` : `${date} (in ${days} day${days === 1 ? "" : "s"})`;
}

function Sales({ lines, caption }: { lines: SalesLine[]; caption: string }) {
  return (
    <Rows
      caption={caption}
      rows={lines}
      keyOf={(line) => line.currency}
      none="no orders yet"
      columns={[
        { label: "Currency", cell: (line) => line.currency },
        { label: "Orders", cell: (line) => line.orders, numeric: true },
        { label: "Gross", cell: (line) => formatMoney(line.gross, line.currency), numeric: true },
      ]}
    />
  );
}

/** What needs a person today, each part only for those whose permissions cover it. */
export function TodayPage() {
  const { data, error, isPending } = useApi<Attention>("/admin/attention");
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="Today" />
      <Typography variant="h5" component="h1" gutterBottom>
        Today
      </Typography>
      {isPending && <Typography role="status">Loading what needs attention…</Typography>}
      {error && <Alert severity="warning">What needs attention could not be loaded: {error.message}</Alert>}
      {data && (
        <Box sx={{ display: "grid", gap: 2, gridTemplateColumns: "repeat(auto-fill, minmax(360px, 1fr))" }}>
          {data.sales && (
            <Panel id="sales" title="Sales" to="/reports" linkText="Reports">
              <Sales caption="Today" lines={data.sales.today} />
              <Sales caption="This week" lines={data.sales.week} />
            </Panel>
          )}
          {data.held_orders && (
            <Panel id="held" title={`Orders on hold for review (${data.held_orders.count})`} to="/orders" linkText="All orders">
              <Rows
                caption="Held orders"
                rows={data.held_orders.items}
                keyOf={(held) => held.id}
                columns={[
                  orderColumn((held: { id: string }) => held.id),
                  { label: "Customer", cell: (held) => held.email },
                  { label: "Total", cell: (held) => formatMoney(held.total, held.currency), numeric: true },
                  { label: "Why", cell: (held) => held.hold_reasons.join(", ") },
                ]}
              />
            </Panel>
          )}
          {data.disputes && (
            <Panel id="disputes" title="Open disputes" to="/orders" linkText="Orders">
              <Rows
                caption="Disputes"
                rows={data.disputes}
                keyOf={(dispute) => dispute.order_id}
                columns={[
                  orderColumn((dispute: { order_id: string }) => dispute.order_id),
                  { label: "Amount", cell: (dispute) => formatMoney(dispute.amount, dispute.currency), numeric: true },
                  { label: "Reason", cell: (dispute) => dispute.reason },
                  { label: "Answer by", cell: (dispute) => deadline(dispute.due_by) },
                ]}
              />
            </Panel>
          )}
          {data.fulfillment_conflicts && (
            <Panel id="conflicts" title="Fulfillment conflicts" to="/orders" linkText="Orders">
              <Rows
                caption="Conflicts"
                rows={data.fulfillment_conflicts}
                keyOf={(conflict) => conflict.order_id}
                columns={[
                  orderColumn((conflict: { order_id: string }) => conflict.order_id),
                  { label: "Flags", cell: (conflict) => conflict.flags.join(", ") },
                ]}
              />
            </Panel>
          )}
          {data.webhooks && (
            <Panel id="webhooks" title="Webhooks" to="/integrations" linkText="Integrations">
              <Typography>Dead-lettered deliveries: {data.webhooks.dead_lettered_deliveries}</Typography>
              <Rows
                caption="Flagged subscriptions"
                rows={data.webhooks.flagged_subscriptions}
                keyOf={(subscription) => subscription.id}
                columns={[
                  { label: "URL", cell: (subscription) => subscription.url },
                  { label: "Status", cell: (subscription) => subscription.status },
                ]}
              />
            </Panel>
          )}
          {data.stock && (
            <Panel id="stock" title="Stock" to="/inventory" linkText="Inventory">
              <Rows
                caption="Out of stock"
                rows={data.stock.out}
                keyOf={(item) => item.sku}
                columns={[{ label: "SKU", cell: (item) => <RecordLink to={`/inventory/${item.sku}`}>{item.sku}</RecordLink> }]}
              />
              <Rows
                caption="Low stock"
                rows={data.stock.low}
                keyOf={(item) => item.sku}
                columns={[
                  { label: "SKU", cell: (item) => <RecordLink to={`/inventory/${item.sku}`}>{item.sku}</RecordLink> },
                  { label: "Available", cell: (item) => item.available, numeric: true },
                  { label: "Reorder at", cell: (item) => item.reorder_point, numeric: true },
                ]}
              />
            </Panel>
          )}
        </Box>
      )}
    </Box>
  );
}
