import { Box, Typography } from "@mui/material";
import type { ReactNode } from "react";
import { Form, NumberInput, SaveButton, SelectInput, TextInput, minValue, required } from "react-admin";
import { config } from "../../config";
import { toMajorText, toMinor } from "../../money";
import { submitted } from "../../submitted";
import { useSend } from "../../useApi";
import { useLocations, useStockChanged } from "./hooks";
import type { ReorderPolicy } from "./types";

/** What every stock form needs: the API, the after-change refresh, the locations to choose from. */
function useStockAction() {
  return { send: useSend(), changed: useStockChanged(), locations: useLocations() };
}

const REASONS = ["damaged", "lost", "found", "recount", "expired", "other"].map((id) => ({ id, name: id }));

function StockForm({
  title,
  action,
  record,
  onSubmit,
  children,
}: {
  title: string;
  action: string;
  record?: Record<string, unknown>;
  onSubmit: (values: Record<string, unknown>) => Promise<Record<string, unknown> | undefined>;
  children: ReactNode;
}) {
  const id = `${action.replace(/\W+/g, "-").toLowerCase()}-heading`;
  return (
    <Box component="section" aria-labelledby={id} sx={{ my: 2 }}>
      <Typography id={id} variant="h6" component="h2">
        {title}
      </Typography>
      <Form record={record} onSubmit={onSubmit}>
        <Box sx={{ display: "flex", gap: 2, alignItems: "flex-start", flexWrap: "wrap" }}>
          {children}
          <SaveButton label={action} icon={<></>} alwaysEnable sx={{ mt: 1 }} />
        </Box>
      </Form>
    </Box>
  );
}

/** Receive units at a location (POST .../receipts). */
export function ReceiveForm({ sku }: { sku: string }) {
  const { send, changed, locations } = useStockAction();
  return (
    <StockForm
      title="Receive stock"
      action="Receive"
      onSubmit={(values) => submitted(() => send("POST", `/admin/inventory/${sku}/receipts`, values), changed(`${String(values.quantity)} units of ${sku} received`))}
    >
      <SelectInput source="location" choices={locations} validate={required()} fullWidth={false} />
      <NumberInput source="quantity" validate={[required(), minValue(1)]} fullWidth={false} />
      <TextInput source="note" fullWidth={false} />
    </StockForm>
  );
}

/** More or fewer units than the ledger says, with the reason (POST .../adjustments). */
export function AdjustForm({ sku }: { sku: string }) {
  const { send, changed, locations } = useStockAction();
  return (
    <StockForm
      title="Adjust stock"
      action="Adjust"
      onSubmit={(values) => submitted(() => send("POST", `/admin/inventory/${sku}/adjustments`, values), changed(`${sku} adjusted`))}
    >
      <SelectInput source="location" choices={locations} validate={required()} fullWidth={false} />
      <NumberInput source="quantity" validate={required()} helperText="Negative for fewer units" fullWidth={false} />
      <SelectInput source="reason" choices={REASONS} validate={required()} fullWidth={false} />
      <TextInput source="note" fullWidth={false} />
    </StockForm>
  );
}

/** Send units from one location to another (POST /admin/inventory/transfers); received on its own page. */
export function TransferForm({ sku }: { sku: string }) {
  const { send, changed, locations } = useStockAction();
  return (
    <StockForm
      title="Transfer"
      action="Send transfer"
      onSubmit={(values) => submitted(() => send("POST", "/admin/inventory/transfers", { ...values, sku }), changed(`Transfer of ${sku} sent`))}
    >
      <SelectInput source="source" label="From" choices={locations} validate={required()} fullWidth={false} />
      <SelectInput source="destination" label="To" choices={locations} validate={required()} fullWidth={false} />
      <NumberInput source="quantity" validate={[required(), minValue(1)]} fullWidth={false} />
    </StockForm>
  );
}

/** When to restock and from whom (PUT .../reorder-policy); the unit cost in its currency's minor units. */
export function ReorderPolicyForm({ sku, policy }: { sku: string; policy: ReorderPolicy | null }) {
  const { send, changed, locations } = useStockAction();
  const currencies = config().currencies.map((id) => ({ id, name: id }));
  const record = policy
    ? {
        ...policy,
        unit_cost_text: policy.unit_cost ? toMajorText(policy.unit_cost.amount, policy.unit_cost.currency) : "",
        unit_cost_currency: policy.unit_cost?.currency ?? config().currencies[0],
      }
    : { lead_time_days: 7, unit_cost_currency: config().currencies[0] };
  const save = (values: Record<string, unknown>) => {
    const { unit_cost_text, unit_cost_currency, unit_cost: _old, ...rest } = values;
    const currency = String(unit_cost_currency ?? "");
    const amount = unit_cost_text ? toMinor(String(unit_cost_text), currency) : null;
    if (unit_cost_text && amount === null) return Promise.resolve({ unit_cost_text: `Not an amount in ${currency}` });
    const body = { ...rest, unit_cost: amount === null ? null : { amount, currency } };
    return submitted(() => send("PUT", `/admin/inventory/${sku}/reorder-policy`, body), changed(`Reorder policy of ${sku} saved`));
  };
  return (
    <StockForm title="Reorder policy" action="Save policy" record={record} onSubmit={save}>
      <NumberInput source="reorder_point" label="Reorder at" validate={[required(), minValue(0)]} fullWidth={false} />
      <NumberInput source="reorder_quantity" label="Order quantity" validate={[required(), minValue(1)]} fullWidth={false} />
      <TextInput source="supplier" validate={required()} helperText="Its id, such as linen-co" fullWidth={false} />
      <NumberInput source="lead_time_days" label="Lead time (days)" validate={[required(), minValue(0)]} fullWidth={false} />
      <SelectInput source="location" label="Delivered to" choices={locations} validate={required()} fullWidth={false} />
      <TextInput source="unit_cost_text" label="Unit cost" fullWidth={false} />
      <SelectInput source="unit_cost_currency" label="Cost currency" choices={currencies} fullWidth={false} />
    </StockForm>
  );
}

/** A SKU selling fast enough to need its stock split over several items (PUT .../hot), and a rebalance. */
export function HotSkuForm({ sku, onShards }: { sku: string; onShards: (locations: unknown) => void }) {
  const send = useSend();
  const changed = useStockChanged();
  const save = (values: Record<string, unknown>) =>
    submitted(async () => onShards(await send("PUT", `/admin/inventory/${sku}/hot`, values)), changed(`${sku} split into ${String(values.shards)} shards`));
  return (
    <StockForm title="Hot SKU shards" action="Set shards" record={{ shards: 1 }} onSubmit={save}>
      <NumberInput source="shards" validate={[required(), minValue(1)]} helperText="1: not hot; up to 32" fullWidth={false} />
    </StockForm>
  );
}
