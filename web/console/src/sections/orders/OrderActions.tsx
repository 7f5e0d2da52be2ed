import { Alert, Box, Button, Stack, TextField, Typography } from "@mui/material";
import { useState } from "react";
import { usePermissions, useRecordContext } from "react-admin";
import { formatMoney, toMajorText, toMinor } from "../../money";
import type { Access } from "../../permissions";
import { may } from "../../permissions";
import { useAction } from "../kit/request";
import { refundable, words, type Order } from "./types";

const CANCELLABLE = ["pending_payment", "on_hold", "paid", "fulfilling"];

/** What staff may do to an order, as its status and their permissions allow: review a held order, refund
 * (within their limit for the currency), cancel, resolve its flags. */
export function OrderActions({ order: given }: { order?: Order }) {
  const record = useRecordContext<Order>();
  const order = given ?? record;
  const { permissions } = usePermissions<Access>();
  if (!order) return null;
  const manage = may(permissions, "orders:manage");
  return (
    <Stack spacing={2} sx={{ py: 1 }}>
      {manage && order.status === "on_hold" ? <Review order={order} /> : null}
      {may(permissions, "refunds") && refundable(order) > 0 && order.payment.status !== "pending" ? (
        <Refund order={order} access={permissions ?? null} />
      ) : null}
      {manage && CANCELLABLE.includes(order.status) ? <Cancel order={order} /> : null}
      {manage ? (order.flags ?? []).map((flag) => <ResolveFlag key={flag} order={order} flag={flag} />) : null}
    </Stack>
  );
}

function Review({ order }: { order: Order }) {
  const { run, busy, error } = useAction();
  const [reason, setReason] = useState("");
  const path = `/admin/orders/${encodeURIComponent(order.id)}`;
  return (
    <Box component="form" aria-label={`Review order ${order.id}`} onSubmit={(event) => event.preventDefault()}>
      <Typography>Held for review: {(order.hold_reasons ?? []).map((reason) => reason.replace(/_/g, " ")).join(", ") || "—"}</Typography>
      {error ? <Alert severity="error" role="alert">{error}</Alert> : null}
      <Stack direction="row" spacing={1} sx={{ mt: 1, alignItems: "center" }}>
        <Button variant="contained" disabled={busy} onClick={() => void run("POST", `${path}/approve`, undefined, "Order approved")}>
          Approve
        </Button>
        <TextField size="small" label="Reason to reject" value={reason} onChange={(event) => setReason(event.target.value)} />
        <Button
          color="error"
          variant="outlined"
          disabled={busy}
          onClick={() => void run("POST", `${path}/reject`, reason ? { reason } : {}, "Order rejected")}
        >
          Reject
        </Button>
      </Stack>
    </Box>
  );
}

function Refund({ order, access }: { order: Order; access: Access }) {
  const { run, busy, error } = useAction();
  const left = refundable(order);
  const [amount, setAmount] = useState(toMajorText(left, order.currency));
  const [reason, setReason] = useState("");
  const minor = toMinor(amount, order.currency);
  const limit = access?.refund_limits?.[order.currency];
  const unlimited = access?.refunds_unlimited || may(access, "refunds:any");
  const invalid = minor === null || minor <= 0 || minor > left;
  return (
    <Box
      component="form"
      aria-label={`Refund order ${order.id}`}
      onSubmit={(event) => {
        event.preventDefault();
        if (!invalid) void run("POST", `/admin/orders/${encodeURIComponent(order.id)}/refunds`, { amount: minor, reason }, "Refund made");
      }}
    >
      <Typography>
        Refund up to {formatMoney(left, order.currency)}.{" "}
        {unlimited
          ? "Your refunds have no limit."
          : limit !== undefined
            ? `Your limit per refund in ${order.currency} is ${formatMoney(limit, order.currency)}.`
            : `You have no refund limit set for ${order.currency}.`}
      </Typography>
      {error ? <Alert severity="error" role="alert">{error}</Alert> : null}
      <Stack direction="row" spacing={1} sx={{ mt: 1, alignItems: "flex-start" }}>
        <TextField
          size="small"
          label={`Amount to refund (${order.currency})`}
          value={amount}
          onChange={(event) => setAmount(event.target.value)}
          error={invalid}
          helperText={invalid ? `An amount above zero, at most ${toMajorText(left, order.currency)}` : " "}
          slotProps={{ htmlInput: { inputMode: "decimal" } }}
        />
        <TextField size="small" label="Reason for the refund" required value={reason} onChange={(event) => setReason(event.target.value)} />
        <Button type="submit" variant="contained" disabled={busy || invalid || !reason}>
          Refund
        </Button>
      </Stack>
    </Box>
  );
}

function Cancel({ order }: { order: Order }) {
  const { run, busy, error } = useAction();
  const [reason, setReason] = useState("");
  return (
    <Box
      component="form"
      aria-label={`Cancel order ${order.id}`}
      onSubmit={(event) => {
        event.preventDefault();
        void run("POST", `/admin/orders/${encodeURIComponent(order.id)}/cancel`, { reason }, "Order cancelled");
      }}
    >
      {error ? <Alert severity="error" role="alert">{error}</Alert> : null}
      <Stack direction="row" spacing={1} sx={{ alignItems: "center" }}>
        <TextField size="small" label="Reason to cancel" required value={reason} onChange={(event) => setReason(event.target.value)} />
        <Button type="submit" color="error" variant="outlined" disabled={busy || !reason}>
          Cancel order
        </Button>
      </Stack>
    </Box>
  );
}

/** Takes a flag off once it is dealt with; the note (what was done) goes on the order's timeline. */
function ResolveFlag({ order, flag }: { order: Order; flag: string }) {
  const { run, busy, error } = useAction();
  const [note, setNote] = useState("");
  const path = `/admin/orders/${encodeURIComponent(order.id)}/flags/${encodeURIComponent(flag)}/resolve`;
  return (
    <Box
      component="form"
      aria-label={`Resolve flag ${words(flag)}`}
      onSubmit={(event) => {
        event.preventDefault();
        void run("POST", path, { note }, "Flag resolved");
      }}
    >
      <Typography>Flagged: {words(flag)}</Typography>
      {error ? <Alert severity="error" role="alert">{error}</Alert> : null}
      <Stack direction="row" spacing={1} sx={{ mt: 1, alignItems: "center" }}>
        <TextField
          size="small"
          label={`What was done about ${words(flag)}`}
          required
          value={note}
          onChange={(event) => setNote(event.target.value)}
        />
        <Button type="submit" variant="outlined" disabled={busy || !note}>
          Mark resolved
        </Button>
      </Stack>
    </Box>
  );
}
