import { Button, Chip } from "@mui/material";
import {
  CreateButton,
  Datagrid,
  FunctionField,
  List,
  SelectInput,
  TextField,
  TextInput,
  TopToolbar,
} from "react-admin";
import { Link } from "react-router-dom";
import { formatMoney } from "../../money";
import { STATUSES, useCategoryChoices } from "./choices";
import { productName } from "./productName";
import type { Product } from "./types";

function ListActions() {
  return (
    <TopToolbar>
      <Button component={Link} to="/categories" size="small">
        Categories
      </Button>
      <CreateButton label="New product" />
    </TopToolbar>
  );
}

/** Prices of the first variant, one per currency: what a person scans a list for. */
function prices(product: Product): string {
  return (product.variants[0]?.prices ?? []).map((price) => formatMoney(price.amount, price.currency)).join(" · ");
}

export function ProductList() {
  const categories = useCategoryChoices();
  const filters = [
    <TextInput key="q" source="q" label="Search products" alwaysOn resettable />,
    <SelectInput key="status" source="status" label="Status" choices={STATUSES} alwaysOn />,
    <SelectInput key="category" source="category" label="Category" choices={categories} alwaysOn />,
  ];
  return (
    <List title="Catalog" filters={filters} actions={<ListActions />} exporter={false} sort={{ field: "rank", order: "ASC" }}>
      <Datagrid rowClick="edit" bulkActionButtons={false}>
        <FunctionField label="Name" render={(product: Product) => productName(product)} />
        <TextField source="slug" sortable={false} />
        <TextField source="category" sortable={false} />
        <FunctionField
          label="Status"
          render={(product: Product) => (
            <Chip size="small" label={product.status} color={product.status === "active" ? "success" : "default"} />
          )}
        />
        <FunctionField label="Variants" render={(product: Product) => product.variants.length} />
        <FunctionField label="Prices" render={prices} />
      </Datagrid>
    </List>
  );
}
