import {
  DataTable,
  DateInput,
  FunctionField,
  List,
  SelectInput,
  TextInput,
  required,
} from "react-admin";
import { formatMoney } from "../../money";
import { CursorPagination } from "../kit/CursorPagination";
import { PageHeading } from "../kit/Panel";
import { ActionsToggle } from "./ActionsToggle";
import { OrderActions } from "./OrderActions";
import { STATUSES, words, type Order } from "./types";

// The API takes instants; a day from the date picker is its start, in UTC.
const instant = (day: string) => (day ? `${day}T00:00:00Z` : day);
const day = (value: string | null | undefined) => (value ? value.slice(0, 10) : "");

const filters = [
  <SelectInput
    key="status"
    source="status"
    label="Status"
    choices={STATUSES.map((status) => ({ id: status, name: words(status) }))}
    alwaysOn
    validate={required()}
  />,
  <TextInput key="email" source="email" label="Customer email" type="email" alwaysOn />,
  <TextInput key="channel" source="channel" label="Channel" />,
  <DateInput key="from" source="from" label="Placed from" parse={instant} format={day} />,
  <DateInput key="to" source="to" label="Placed before" parse={instant} format={day} />,
];

/** Orders by status (held for review first), newest first; a row opens to approve, refund or cancel. */
export function OrderList() {
  return (
    <>
      <PageHeading>Orders</PageHeading>
      <List
        resource="orders"
        filters={filters}
        filterDefaultValues={{ status: "on_hold" }}
        sort={{ field: "created_at", order: "DESC" }}
        title="Orders"
        exporter={false}
        pagination={<CursorPagination />}
      >
        <DataTable rowClick="show" expand={<OrderActions />} bulkActionButtons={false}>
          <DataTable.Col source="id" label="Order" disableSort />
          <DataTable.Col source="created_at" label="Placed" disableSort>
            <FunctionField<Order> render={(order) => new Date(order.created_at).toLocaleString()} />
          </DataTable.Col>
          <DataTable.Col source="email" label="Customer" disableSort />
          <DataTable.Col source="status" label="Status" disableSort>
            <FunctionField<Order> render={(order) => words(order.status)} />
          </DataTable.Col>
          <DataTable.Col source="channel" label="Channel" disableSort />
          <DataTable.Col source="totals" label="Total" align="right" disableSort>
            <FunctionField<Order> render={(order) => formatMoney(order.totals.total.amount, order.currency)} />
          </DataTable.Col>
          <DataTable.Col label="Actions">
            <ActionsToggle />
          </DataTable.Col>
        </DataTable>
      </List>
    </>
  );
}
