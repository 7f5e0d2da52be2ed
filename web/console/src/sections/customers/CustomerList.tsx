import { DataTable, FunctionField, List, SelectInput, TextInput } from "react-admin";
import { formatMoney } from "../../money";
import { CursorPagination } from "../kit/CursorPagination";
import { PageHeading } from "../kit/Panel";
import type { Money } from "../orders/types";

export const SEGMENTS = ["new", "repeat", "lapsed", "high_value"].map((id) => ({ id, name: id.replace("_", " ") }));

interface Customer {
  customer_id: string;
  email?: string | null;
  name?: string | null;
  segment?: string | null;
  lifetime_value?: Money[];
}

const filters = [
  <TextInput key="q" source="q" label="Email or name" alwaysOn resettable />,
  <SelectInput key="segment" source="segment" label="Segment" choices={SEGMENTS} alwaysOn />,
];

/** Customers found by their email (exact) or the start of their name, or listed by segment. */
export function CustomerList() {
  return (
    <>
      <PageHeading>Customers</PageHeading>
      <List resource="customers" filters={filters} title="Customers" exporter={false} debounce={400} pagination={<CursorPagination />}>
        <DataTable rowClick="show" bulkActionButtons={false}>
          <DataTable.Col source="email" label="Email" disableSort />
          <DataTable.Col source="name" label="Name" disableSort />
          <DataTable.Col source="segment" label="Segment" disableSort />
          <DataTable.Col source="lifetime_value" label="Lifetime value" disableSort>
            <FunctionField<Customer>
              render={(customer) =>
                (customer.lifetime_value ?? []).map((value) => formatMoney(value.amount, value.currency)).join(", ")
              }
            />
          </DataTable.Col>
        </DataTable>
      </List>
    </>
  );
}
