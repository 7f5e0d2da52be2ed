import { Box, Button, TextField } from "@mui/material";
import { useState } from "react";
import { Panel } from "../kit/Panel";
import { useApi } from "../../useApi";
import { refusal, useAction } from "../kit/request";
import { Rows } from "../kit/Rows";
import { ShownOnce } from "../kit/ShownOnce";
import { when } from "../kit/when";

interface Channel {
  id: string;
  currency: string;
  locations: string[];
  has_api_key: boolean;
}

interface ErpKey {
  id: string;
  name: string;
  created_at: string;
  revoked_at?: string | null;
}

/** Sales channels and their API keys: a new key replaces the old and is shown once. */
export function Channels() {
  const { data, error } = useApi<{ items: Channel[] }>("/admin/channels");
  const { run, busy, error: refused } = useAction();
  const [issued, setIssued] = useState<{ channel: string; api_key: string } | null>(null);
  return (
    <Panel title="Channels" error={refused ?? (error ? refusal(error) : null)}>
      <Rows
        caption="Channels"
        rows={data?.items ?? []}
        keyOf={(row) => row.id}
        columns={[
          { label: "Channel", cell: (row) => row.id },
          { label: "Currency", cell: (row) => row.currency },
          { label: "Locations", cell: (row) => row.locations.join(", ") },
          { label: "API key", cell: (row) => (row.has_api_key ? "issued" : "none") },
          {
            label: "Action",
            cell: (row) => (
              <Button
                size="small"
                disabled={busy}
                onClick={() =>
                  void run<{ channel: string; api_key: string }>("POST", `/admin/channels/${encodeURIComponent(row.id)}/api-keys`).then(
                    (key) => key && setIssued(key),
                  )
                }
              >
                {row.has_api_key ? "Replace API key" : "Issue API key"}
              </Button>
            ),
          },
        ]}
      />
      {issued ? <ShownOnce label={`API key of ${issued.channel}`} value={issued.api_key} /> : null}
    </Panel>
  );
}

/** Keys the ERP signs in with: issued (shown once) and revoked here. */
export function ErpKeys() {
  const { data, error } = useApi<{ items: ErpKey[] }>("/admin/integrations/erp/keys");
  const { run, busy, error: refused } = useAction();
  const [name, setName] = useState("");
  const [issued, setIssued] = useState<string | null>(null);
  return (
    <Panel title="ERP keys" error={refused ?? (error ? refusal(error) : null)}>
      <Rows
        caption="ERP keys"
        rows={data?.items ?? []}
        keyOf={(row) => row.id}
        columns={[
          { label: "Name", cell: (row) => row.name },
          { label: "Created", cell: (row) => when(row.created_at) },
          {
            label: "Revoked",
            cell: (row) =>
              row.revoked_at ? (
                when(row.revoked_at)
              ) : (
                <Button size="small" color="error" disabled={busy} onClick={() => void run("DELETE", `/admin/integrations/erp/keys/${encodeURIComponent(row.id)}`, undefined, "Key revoked")}>
                  Revoke {row.name}
                </Button>
              ),
          },
        ]}
      />
      <Box
        component="form"
        aria-label="New ERP key"
        sx={{ display: "flex", gap: 1, alignItems: "center" }}
        onSubmit={(event) => {
          event.preventDefault();
          void run<{ api_key: string }>("POST", "/admin/integrations/erp/keys", { name }, "Key issued").then((key) => key && setIssued(key.api_key));
        }}
      >
        <TextField size="small" label="Key name" required value={name} onChange={(event) => setName(event.target.value)} />
        <Button type="submit" variant="contained" disabled={busy || !name}>
          Issue ERP key
        </Button>
      </Box>
      {issued ? <ShownOnce label="ERP key" value={issued} /> : null}
    </Panel>
  );
}
