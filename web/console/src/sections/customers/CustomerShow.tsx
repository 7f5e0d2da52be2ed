import { Alert, Box, Button, Link, TextField, Typography } from "@mui/material";
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
import { words, type Money } from "../orders/types";

interface OrderSummary {
  id: string;
  status: string;
  total: Money;
  created_at: string;
}

interface Whole {
  customer_id: string;
  email: string | null;
  name: string | null;
  locale: string | null;
  created_at: string;
  segment: string | null;
  marketing_consent?: { granted: boolean; changed_at: string | null } | null;
  lifetime_value: Money[];
  orders: OrderSummary[];
  disputes: OrderSummary[];
  returns: { id: string; order_id: string; status: string; reason: string; requested_at: string; refunded: number }[];
  notes: { id: string; at: string; author: string; text: string }[];
}

const orderLink = (id: string) => <Link href={`#/orders/${encodeURIComponent(id)}/show`}>{id}</Link>;

function orderRows(caption: string, rows: OrderSummary[]) {
  return (
    <Rows
      caption={caption}
      rows={rows}
      keyOf={(order) => order.id}
      columns={[
        { label: "Order", cell: (order) => orderLink(order.id) },
        { label: "Placed", cell: (order) => when(order.created_at) },
        { label: "Status", cell: (order) => words(order.status) },
        { label: "Total", cell: (order) => formatMoney(order.total.amount, order.total.currency), numeric: true },
      ]}
    />
  );
}

/** The customer's whole picture: who they are, segment and consent, lifetime value, orders, returns,
 * disputes, and the staff's notes. */
export function CustomerShow() {
  const { id = "" } = useParams();
  const { data: customer, error } = useApi<Whole>(`/admin/customers/${encodeURIComponent(id)}`);
  if (error) return <Alert severity="error" role="alert">{refusal(error)}</Alert>;
  if (!customer) return null;
  const consent = customer.marketing_consent;
  return (
    <>
      <Title title={customer.email ?? customer.customer_id} />
      <PageHeading>{customer.name || customer.email || customer.customer_id}</PageHeading>
      <Panel title="Profile">
        <Typography>Email: {customer.email ?? "—"}</Typography>
        <Typography>Customer since {when(customer.created_at)} · language {customer.locale ?? "—"}</Typography>
        <Typography>Segment: {customer.segment ? words(customer.segment) : "not computed yet"}</Typography>
        <Typography>
          Marketing consent:{" "}
          {consent ? `${consent.granted ? "given" : "not given"}${consent.changed_at ? ` (${when(consent.changed_at)})` : ""}` : "—"}
        </Typography>
        <Typography>
          Lifetime value:{" "}
          {customer.lifetime_value.map((value) => formatMoney(value.amount, value.currency)).join(", ") || "nothing yet"}
        </Typography>
      </Panel>
      <Panel title="Orders">{orderRows("Orders", customer.orders)}</Panel>
      <Panel title="Disputes">{orderRows("Disputed orders", customer.disputes)}</Panel>
      <Panel title="Returns">
        <Rows
          caption="Returns"
          rows={customer.returns}
          keyOf={(row) => row.id}
          columns={[
            { label: "Return", cell: (row) => row.id },
            { label: "Order", cell: (row) => orderLink(row.order_id) },
            { label: "Asked", cell: (row) => when(row.requested_at) },
            { label: "Status", cell: (row) => words(row.status) },
            { label: "Reason", cell: (row) => row.reason },
          ]}
        />
      </Panel>
      <Notes customerId={customer.customer_id} notes={customer.notes} />
    </>
  );
}

function Notes({ customerId, notes }: { customerId: string; notes: Whole["notes"] }) {
  const { permissions } = usePermissions<Access>();
  const { run, busy, error } = useAction();
  const [text, setText] = useState("");
  return (
    <Panel title="Notes" error={error}>
      <Rows
        caption="Notes by staff"
        rows={notes}
        keyOf={(note) => note.id}
        columns={[
          { label: "When", cell: (note) => when(note.at) },
          { label: "By", cell: (note) => note.author },
          { label: "Note", cell: (note) => note.text },
        ]}
      />
      {may(permissions, "customers:manage") ? (
        <Box
          component="form"
          sx={{ display: "flex", gap: 1, alignItems: "flex-start" }}
          onSubmit={(event) => {
            event.preventDefault();
            void run("POST", `/admin/customers/${encodeURIComponent(customerId)}/notes`, { text }, "Note added").then(
              (added) => added && setText(""),
            );
          }}
        >
          <TextField label="New note" multiline minRows={2} sx={{ flex: 1 }} value={text} onChange={(event) => setText(event.target.value)} />
          <Button type="submit" variant="contained" disabled={busy || !text.trim()}>
            Add note
          </Button>
        </Box>
      ) : null}
    </Panel>
  );
}
