import { Box, Button, TextField } from "@mui/material";
import { useState } from "react";
import { Panel } from "../kit/Panel";
import { useApi } from "../../useApi";
import { refusal, useAction } from "../kit/request";
import { Rows } from "../kit/Rows";
import { ShownOnce } from "../kit/ShownOnce";
import { when } from "../kit/when";

interface Subscription {
  id: string;
  url: string;
  event_types: string[];
  description: string;
  status: string;
  paused_reason?: string | null;
  flagged: boolean;
  created_at: string;
}

interface Delivery {
  id: string;
  event_type: string;
  status: string;
  created_at: string;
  attempts: { number: number; status_code: number | null }[];
}

/** Webhook subscriptions: create (the signing secret shown once), pause, resume, delete; each one's deliveries
 * and a replay of any. */
export function Webhooks() {
  const { data, error } = useApi<{ items: Subscription[] }>("/admin/webhooks");
  const { run, busy, error: refused } = useAction();
  const [opened, setOpened] = useState<string | null>(null);
  const path = (id: string) => `/admin/webhooks/${encodeURIComponent(id)}`;
  return (
    <Panel title="Webhook subscriptions" error={refused ?? (error ? refusal(error) : null)}>
      <Rows
        caption="Subscriptions"
        rows={data?.items ?? []}
        keyOf={(row) => row.id}
        columns={[
          { label: "URL", cell: (row) => row.url },
          { label: "Events", cell: (row) => row.event_types.join(", ") || "all" },
          { label: "Status", cell: (row) => `${row.status}${row.flagged ? " (flagged: failing)" : ""}${row.paused_reason ? ` (${row.paused_reason})` : ""}` },
          {
            label: "Actions",
            cell: (row) => (
              <Box sx={{ display: "flex", gap: 1 }}>
                <Button size="small" disabled={busy} onClick={() => void run("POST", `${path(row.id)}/${row.status === "active" ? "pause" : "resume"}`)}>
                  {row.status === "active" ? "Pause" : "Resume"}
                </Button>
                <Button size="small" color="error" disabled={busy} onClick={() => void run("DELETE", path(row.id), undefined, "Subscription deleted")}>
                  Delete
                </Button>
                <Button size="small" aria-expanded={opened === row.id} onClick={() => setOpened(opened === row.id ? null : row.id)}>
                  Deliveries
                </Button>
              </Box>
            ),
          },
        ]}
      />
      {opened ? <Deliveries subscriptionId={opened} /> : null}
      <NewSubscription />
    </Panel>
  );
}

function Deliveries({ subscriptionId }: { subscriptionId: string }) {
  const { data, error } = useApi<{ items: Delivery[] }>(`/admin/webhooks/${encodeURIComponent(subscriptionId)}/deliveries`, { limit: 50 });
  const { run, busy, error: refused } = useAction();
  return (
    <Panel title={`Deliveries of ${subscriptionId}`} error={refused ?? (error ? refusal(error) : null)}>
      <Rows
        caption="Delivery log"
        rows={data?.items ?? []}
        keyOf={(row) => row.id}
        columns={[
          { label: "When", cell: (row) => when(row.created_at) },
          { label: "Event", cell: (row) => row.event_type },
          { label: "Status", cell: (row) => row.status },
          { label: "Attempts", cell: (row) => row.attempts.map((attempt) => attempt.status_code ?? "no answer").join(", "), numeric: true },
          {
            label: "Replay",
            cell: (row) => (
              <Button size="small" disabled={busy} onClick={() => void run("POST", `/admin/webhooks/deliveries/${encodeURIComponent(row.id)}/replay`, undefined, "Delivery replayed")}>
                Replay
              </Button>
            ),
          },
        ]}
      />
    </Panel>
  );
}

function NewSubscription() {
  const { run, busy, error } = useAction();
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState("");
  const [description, setDescription] = useState("");
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <Box
      component="form"
      aria-label="New webhook subscription"
      sx={{ display: "flex", gap: 1, flexWrap: "wrap", alignItems: "flex-start", mt: 2 }}
      onSubmit={(event) => {
        event.preventDefault();
        const event_types = events.split(",").map((type) => type.trim()).filter(Boolean);
        void run<{ secret: string }>("POST", "/admin/webhooks", { url, description, event_types: event_types.length ? event_types : null }, "Subscription created").then(
          (created) => created && setSecret(created.secret),
        );
      }}
    >
      <TextField size="small" label="Endpoint URL" type="url" required value={url} onChange={(event) => setUrl(event.target.value)} error={Boolean(error)} helperText={error ?? " "} />
      <TextField size="small" label="Event types (comma-separated, empty for all)" value={events} onChange={(event) => setEvents(event.target.value)} sx={{ minWidth: 320 }} />
      <TextField size="small" label="Description" value={description} onChange={(event) => setDescription(event.target.value)} />
      <Button type="submit" variant="contained" disabled={busy || !url}>
        Subscribe
      </Button>
      {secret ? <ShownOnce label="Signing secret" value={secret} /> : null}
    </Box>
  );
}
