import { Box, Button, List, ListItem, Typography } from "@mui/material";
import { Form, SaveButton, TextInput, required } from "react-admin";
import { Page } from "../../components/Page";
import { Link, useNavigate } from "react-router-dom";
import { useApi } from "../../useApi";
import type { Location } from "./types";

/** Inventory's start: find a SKU's stock; purchase orders, transfers and the stock locations. */
export function InventoryHome() {
  const navigate = useNavigate();
  const { data } = useApi<{ items: Location[] }>("/admin/locations");
  return (
    <Page title="Inventory">
        <Form onSubmit={(values: Record<string, unknown>) => navigate(`/inventory/${encodeURIComponent(String(values.sku).trim().toUpperCase())}`)}>
          <Box sx={{ display: "flex", gap: 2, alignItems: "center" }}>
            <TextInput source="sku" label="SKU" validate={required()} fullWidth={false} helperText="Such as TEE-ORG-M-BLK" />
            <SaveButton label="Show stock" icon={<></>} alwaysEnable />
          </Box>
        </Form>
        <Box sx={{ display: "flex", gap: 2, my: 2 }}>
          <Button component={Link} to="/purchase-orders" variant="outlined">
            Purchase orders
          </Button>
          <Button component={Link} to="/transfers" variant="outlined">
            Transfers
          </Button>
        </Box>
        <Typography variant="h6" component="h2">
          Stock locations
        </Typography>
        <List dense>
          {(data?.items ?? []).map((location) => (
            <ListItem key={location.id}>
              {location.name} · {location.id} · {location.kind}
            </ListItem>
          ))}
        </List>
    </Page>
  );
}
