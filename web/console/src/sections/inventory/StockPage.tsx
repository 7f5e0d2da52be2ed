import { Alert, Box, Typography } from "@mui/material";
import { useState } from "react";
import { Button } from "react-admin";
import { Page } from "../../components/Page";
import { useParams } from "react-router-dom";
import { Rows } from "../kit/Rows";
import { submitted } from "../../submitted";
import { useApi, useSend } from "../../useApi";
import { useStockChanged } from "./hooks";
import { MovementsTable } from "./MovementsTable";
import { AdjustForm, HotSkuForm, ReceiveForm, ReorderPolicyForm, TransferForm } from "./StockForms";
import type { Level, Stock } from "./types";

const LEVEL_COLUMNS = [
  { label: "Location", cell: (level: Level) => level.location },
  { label: "On hand", cell: (level: Level) => level.on_hand, numeric: true },
  { label: "Reserved", cell: (level: Level) => level.reserved, numeric: true },
  { label: "Available", cell: (level: Level) => level.available, numeric: true },
];

/** One SKU: its levels per location, its ledger, and what staff do to it. */
export function StockPage() {
  const sku = decodeURIComponent(useParams().sku ?? "");
  const { data: stock, error, isPending } = useApi<Stock>(`/admin/inventory/${encodeURIComponent(sku)}`);
  const [shards, setShards] = useState<Level[] | null>(null);
  const send = useSend();
  const changed = useStockChanged();
  const rebalance = () =>
    submitted(async () => setShards(((await send("POST", `/admin/inventory/${sku}/rebalance`)) as { locations: Level[] }).locations), changed(`${sku} rebalanced`));
  return (
    <Page title={`Stock of ${sku}`}>
        {error && <Alert severity="error">{error.message}</Alert>}
        {!isPending && stock && (
          <>
            <Typography aria-label="Totals">
              On hand <strong>{stock.on_hand}</strong> · reserved <strong>{stock.reserved}</strong> · available{" "}
              <strong data-testid="available">{stock.available}</strong>
            </Typography>
            <Rows caption="Levels per location" rows={stock.locations} keyOf={(level) => level.location} columns={LEVEL_COLUMNS} />
            <ReceiveForm sku={sku} />
            <AdjustForm sku={sku} />
            <TransferForm sku={sku} />
            <ReorderPolicyForm sku={sku} policy={stock.reorder_policy} />
            <HotSkuForm sku={sku} onShards={(answer) => setShards((answer as { locations: Level[] }).locations)} />
            <Box sx={{ mb: 2 }}>
              <Button label="Rebalance shards" onClick={() => void rebalance()} />
            </Box>
            {shards && <Rows caption="Shards" rows={shards} keyOf={(level, index) => `${level.location}:${index}`} columns={LEVEL_COLUMNS} />}
            <MovementsTable sku={sku} recent={stock.recent_movements} />
          </>
        )}
    </Page>
  );
}
