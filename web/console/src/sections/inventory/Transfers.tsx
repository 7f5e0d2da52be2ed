import { Button, Datagrid, DateField, List, Show, SimpleShowLayout, TextField, TopToolbar, useRecordContext } from "react-admin";
import { submitted } from "../../submitted";
import { useSend } from "../../useApi";
import { useStockChanged } from "./hooks";
import type { Transfer } from "./types";

/** Transfers between locations: sent from a SKU's page, received here when the units arrive. */
export function TransferList() {
  return (
    <List title="Transfers" exporter={false}>
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="id" sortable={false} />
        <TextField source="sku" label="SKU" sortable={false} />
        <TextField source="source" label="From" sortable={false} />
        <TextField source="destination" label="To" sortable={false} />
        <TextField source="quantity" sortable={false} />
        <TextField source="status" sortable={false} />
        <DateField source="sent_at" label="Sent" showTime sortable={false} />
      </Datagrid>
    </List>
  );
}

function ReceiveButton() {
  const transfer = useRecordContext<Transfer>();
  const send = useSend();
  const changed = useStockChanged();
  if (!transfer || transfer.received_at) return null;
  return (
    <Button
      label="Receive transfer"
      onClick={() => void submitted(() => send("POST", `/admin/inventory/transfers/${transfer.id}/receive`), changed(`${transfer.id} received`))}
    />
  );
}

export function TransferShow() {
  return (
    <Show actions={<TopToolbar><ReceiveButton /></TopToolbar>}>
      <SimpleShowLayout>
        <TextField source="id" />
        <TextField source="sku" label="SKU" />
        <TextField source="source" label="From" />
        <TextField source="destination" label="To" />
        <TextField source="quantity" />
        <TextField source="status" />
        <DateField source="sent_at" label="Sent" showTime />
        <DateField source="received_at" label="Received" showTime emptyText="Not yet" />
      </SimpleShowLayout>
    </Show>
  );
}
