import { Title } from "react-admin";
import { PageHeading, Panel } from "../kit/Panel";
import { useApi } from "../../useApi";
import { refusal } from "../kit/request";
import { Rows } from "../kit/Rows";
import { Channels, ErpKeys } from "./Keys";
import { Webhooks } from "./Webhooks";

interface Connector {
  name: string;
  description: string;
  consumes: string[];
}

/** What the shop tells other systems and how they sign in: webhooks, connectors, channel and ERP keys. */
export function IntegrationsPage() {
  return (
    <>
      <Title title="Integrations" />
      <PageHeading>Integrations</PageHeading>
      <Webhooks />
      <Connectors />
      <Channels />
      <ErpKeys />
    </>
  );
}

function Connectors() {
  const { data, error } = useApi<{ items: Connector[] }>("/admin/connectors");
  return (
    <Panel title="Connectors" error={error ? refusal(error) : null}>
      <Rows
        caption="Connectors a subscription can use"
        rows={data?.items ?? []}
        keyOf={(row) => row.name}
        columns={[
          { label: "Connector", cell: (row) => row.name },
          { label: "What it does", cell: (row) => row.description },
          { label: "Events it takes", cell: (row) => row.consumes.join(", ") },
        ]}
      />
    </Panel>
  );
}
