import { Alert, Button, Link, Stack, TextField, Typography } from "@mui/material";
import { useState } from "react";
import { Title, usePermissions } from "react-admin";
import { useParams } from "react-router-dom";
import { formatMoney } from "../../money";
import type { Access } from "../../permissions";
import { may } from "../../permissions";
import { PageHeading, Panel } from "../kit/Panel";
import { useApi } from "../../useApi";
import { refusal, useAction } from "../kit/request";
import { Rows } from "../kit/Rows";
import { when } from "../kit/when";
import { OrderActions } from "./OrderActions";
import { words, type OrderWhole } from "./types";

/** One order whole: what was bought, its timeline, payment and refunds, shipments and returns, and what staff
 * may do about it. */
export function OrderShow() {
  const { id = "" } = useParams();
  const { data: order, error } = useApi<OrderWhole>(`/admin/orders/${encodeURIComponent(id)}`);
  if (error) return <Alert severity="error" role="alert">{refusal(error)}</Alert>;
  if (!order) return null;
  const money = (amount: number) => formatMoney(amount, order.currency);
  return (
    <>
      <Title title={`Order ${order.id}`} />
      <PageHeading>Order {order.id}</PageHeading>
      <Panel title="Summary">
        <Typography data-status={order.status}>
          {words(order.status)} · placed {when(order.created_at)} by {order.email}
          {order.channel ? ` on ${order.channel}` : ""}
        </Typography>
        <Typography>
          Total {money(order.totals.total.amount)} · payment {words(order.payment.status)} · refunded{" "}
          {money(order.payment.refunded.amount)}
        </Typography>
        {order.cancel_reason ? <Typography>Cancelled: {order.cancel_reason}</Typography> : null}
        {order.dispute ? (
          <Typography>
            Disputed ({order.dispute.reason}) for {formatMoney(order.dispute.amount.amount, order.dispute.amount.currency)},
            answer by {when(order.dispute.due_by)}
          </Typography>
        ) : null}
        {order.flags?.length ? <Typography>Flags: {order.flags.map(words).join(", ")}</Typography> : null}
        <OrderActions order={order} />
      </Panel>
      <Panel title="Lines">
        <Rows
          caption="What was bought"
          rows={order.lines}
          keyOf={(line) => line.sku}
          columns={[
            { label: "SKU", cell: (line) => line.sku },
            { label: "Product", cell: (line) => line.name },
            { label: "Quantity", cell: (line) => line.quantity, numeric: true },
            { label: "Total", cell: (line) => money(line.line_total.amount), numeric: true },
          ]}
        />
      </Panel>
      <Panel title="Refunds">
        <Rows
          caption="Refunds"
          rows={order.refunds ?? []}
          keyOf={(refund) => refund.id}
          columns={[
            { label: "When", cell: (refund) => when(refund.created_at) },
            { label: "Amount", cell: (refund) => formatMoney(refund.amount, refund.currency), numeric: true },
            { label: "Status", cell: (refund) => words(refund.status) },
            { label: "Reason", cell: (refund) => refund.reason },
          ]}
        />
      </Panel>
      <Shipments order={order} />
      <Returns order={order} />
      <Panel title="Timeline">
        <Rows
          caption="What happened"
          rows={order.timeline}
          keyOf={(entry) => `${entry.at}${entry.event}`}
          columns={[
            { label: "When", cell: (entry) => when(entry.at) },
            { label: "Event", cell: (entry) => words(entry.event) },
            { label: "Detail", cell: (entry) => entry.detail ?? "" },
          ]}
        />
      </Panel>
    </>
  );
}

function Shipments({ order }: { order: OrderWhole }) {
  const { permissions } = usePermissions<Access>();
  const { run, busy, error } = useAction();
  async function label(id: string, method: "GET" | "POST") {
    const answer = await run<{ content_base64: string; content_type: string; format: string }>(
      method,
      `/admin/shipments/${encodeURIComponent(id)}/label`,
    );
    if (!answer) return;
    const bytes = Uint8Array.from(atob(answer.content_base64), (char) => char.charCodeAt(0));
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([bytes], { type: answer.content_type }));
    link.download = `label-${id}.${answer.format.toLowerCase()}`;
    link.click();
    URL.revokeObjectURL(link.href);
  }
  return (
    <Panel title="Shipments" error={error}>
      <Rows
        caption="Shipments"
        rows={order.shipments ?? []}
        keyOf={(shipment) => shipment.id}
        columns={[
          { label: "Shipment", cell: (shipment) => shipment.id },
          { label: "Status", cell: (shipment) => words(shipment.status) },
          {
            label: "Tracking",
            cell: (shipment) => (
              <Link href={shipment.tracking_url} target="_blank" rel="noreferrer">
                {shipment.carrier} {shipment.tracking_number}
              </Link>
            ),
          },
          { label: "Lines", cell: (shipment) => shipment.lines.map((line) => `${line.quantity} × ${line.sku}`).join(", ") },
          {
            label: "Label",
            cell: (shipment) =>
              shipment.label_available ? (
                <Button size="small" disabled={busy} onClick={() => void label(shipment.id, "GET")}>
                  Download label
                </Button>
              ) : may(permissions, "orders:manage") ? (
                <Button size="small" disabled={busy} onClick={() => void label(shipment.id, "POST")}>
                  Request label
                </Button>
              ) : (
                "none yet"
              ),
          },
        ]}
      />
    </Panel>
  );
}

function Returns({ order }: { order: OrderWhole }) {
  const { permissions } = usePermissions<Access>();
  return (
    <Panel title="Returns">
      <Rows
        caption="Returns"
        rows={order.returns ?? []}
        keyOf={(row) => row.id}
        columns={[
          { label: "Return", cell: (row) => row.id },
          { label: "Asked", cell: (row) => when(row.created_at) },
          { label: "Status", cell: (row) => words(row.status) },
          { label: "Lines", cell: (row) => row.lines.map((line) => `${line.quantity} × ${line.sku}`).join(", ") },
          {
            label: "Receive",
            cell: (row) =>
              row.status === "requested" && may(permissions, "orders:manage") ? <Receive returnId={row.id} /> : "",
          },
        ]}
      />
    </Panel>
  );
}

/** The parcel is back at a location: its units go back on hand and the refund due is paid. */
function Receive({ returnId }: { returnId: string }) {
  const { run, busy, error } = useAction();
  const [location, setLocation] = useState("");
  return (
    <Stack
      component="form"
      direction="row"
      spacing={1}
      onSubmit={(event) => {
        event.preventDefault();
        void run("POST", `/admin/returns/${encodeURIComponent(returnId)}/receive`, { location }, "Return received");
      }}
    >
      <TextField
        size="small"
        label={`Location receiving ${returnId}`}
        required
        value={location}
        onChange={(event) => setLocation(event.target.value)}
        error={Boolean(error)}
        helperText={error ?? " "}
      />
      <Button type="submit" size="small" disabled={busy || !location}>
        Receive
      </Button>
    </Stack>
  );
}
