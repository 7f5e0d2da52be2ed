import { Box, Typography } from "@mui/material";
import {
  Datagrid,
  DateField,
  Form,
  FunctionField,
  List,
  NumberInput,
  SaveButton,
  Show,
  SimpleShowLayout,
  TextField,
  TopToolbar,
  Button,
  minValue,
  useRecordContext,
} from "react-admin";
import { Rows } from "../kit/Rows";
import { submitted } from "../../submitted";
import { useSend } from "../../useApi";
import { useStockChanged } from "./hooks";
import type { PurchaseOrder } from "./types";

/** Purchase orders, made by the restock job from reorder policies: send each to its supplier, receive it. */
export function PurchaseOrderList() {
  return (
    <List title="Purchase orders" exporter={false} pagination={false}>
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="id" sortable={false} />
        <TextField source="supplier" sortable={false} />
        <TextField source="location" sortable={false} />
        <TextField source="status" sortable={false} />
        <DateField source="created_at" label="Created" showTime sortable={false} />
        <FunctionField label="Units" render={(order: PurchaseOrder) => order.lines.reduce((sum, line) => sum + line.quantity, 0)} />
      </Datagrid>
    </List>
  );
}

function SendButton() {
  const order = useRecordContext<PurchaseOrder>();
  const send = useSend();
  const changed = useStockChanged();
  if (!order || order.status !== "draft") return null;
  return (
    <Button
      label="Send to supplier"
      onClick={() => void submitted(() => send("POST", `/admin/inventory/purchase-orders/${order.id}/send`), changed(`${order.id} sent`))}
    />
  );
}

function ReceiveLines() {
  const order = useRecordContext<PurchaseOrder>();
  const send = useSend();
  const changed = useStockChanged();
  if (!order || order.status === "draft" || order.status === "received") return null;
  const save = (values: Record<string, unknown>) => {
    const lines = Object.fromEntries(
      Object.entries((values.lines ?? {}) as Record<string, number | null>).filter(([, quantity]) => Number(quantity) > 0),
    );
    return submitted(() => send("POST", `/admin/inventory/purchase-orders/${order.id}/receipts`, { lines, note: values.note ?? "" }), changed(`${order.id}: delivery received`));
  };
  return (
    <Box component="section" aria-labelledby="receive-heading">
      <Typography id="receive-heading" variant="h6" component="h2">
        Receive a delivery
      </Typography>
      <Form onSubmit={save}>
        <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap", alignItems: "flex-start" }}>
          {order.lines.map((line) => (
            <NumberInput key={line.sku} source={`lines.${line.sku}`} label={`${line.sku} units`} validate={minValue(0)} fullWidth={false} />
          ))}
          <SaveButton label="Receive" icon={<></>} alwaysEnable />
        </Box>
      </Form>
    </Box>
  );
}

export function PurchaseOrderShow() {
  return (
    <Show actions={<TopToolbar><SendButton /></TopToolbar>}>
      <SimpleShowLayout>
        <TextField source="id" />
        <TextField source="supplier" />
        <TextField source="location" />
        <TextField source="status" />
        <DateField source="created_at" label="Created" showTime />
        <FunctionField
          label={false}
          render={(order: PurchaseOrder) => (
            <Rows
              caption="Lines"
              rows={order.lines}
              keyOf={(line) => line.sku}
              columns={[
                { label: "SKU", cell: (line) => line.sku },
                { label: "Ordered", cell: (line) => line.quantity, numeric: true },
                { label: "Received", cell: (line) => line.received, numeric: true },
              ]}
            />
          )}
        />
        <ReceiveLines />
      </SimpleShowLayout>
    </Show>
  );
}
