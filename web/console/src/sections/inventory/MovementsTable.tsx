import { Box, Button } from "@mui/material";
import { useState } from "react";
import { Rows } from "../kit/Rows";
import { useApi } from "../../useApi";
import { when } from "./hooks";
import type { Movement } from "./types";

/** The SKU's ledger, newest first, paged by the API's cursor; the stock record's recent movements when the
 * API has no movements route. */
export function MovementsTable({ sku, recent }: { sku: string; recent: Movement[] }) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const { data, isError } = useApi<{ items: Movement[]; next_cursor: string | null }>(
    `/admin/inventory/${encodeURIComponent(sku)}/movements`,
    { limit: 20, cursor },
  );
  const rows = isError || !data ? recent : data.items;
  return (
    <>
      <Rows
        caption="Movements"
        rows={rows}
        keyOf={(movement, index) => `${movement.at}:${index}`}
        columns={[
          { label: "When", cell: (movement) => when(movement.at) },
          { label: "Location", cell: (movement) => movement.location },
          { label: "Reason", cell: (movement) => movement.reason },
          { label: "Quantity", cell: (movement) => movement.quantity, numeric: true },
          { label: "On hand change", cell: (movement) => movement.on_hand_change, numeric: true },
          { label: "Reference", cell: (movement) => movement.reference ?? "" },
          { label: "Note", cell: (movement) => movement.note },
        ]}
      />
      {data && !isError && (
        <Box sx={{ display: "flex", gap: 1 }}>
          <Button disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
            Newer
          </Button>
          <Button disabled={!data.next_cursor} onClick={() => setCursors([...cursors, data.next_cursor ?? undefined])}>
            Older
          </Button>
        </Box>
      )}
    </>
  );
}
