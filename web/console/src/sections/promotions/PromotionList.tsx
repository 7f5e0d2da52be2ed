import { Button } from "@mui/material";
import { CreateButton, DataTable, FunctionField, List, TopToolbar, useRecordContext } from "react-admin";
import { formatMoney } from "../../money";
import { PageHeading } from "../kit/Panel";
import { useAction } from "../kit/request";
import { KINDS, type Promotion } from "./types";

function offer(promotion: Promotion): string {
  if (promotion.kind === "percentage") return `${promotion.percent_bp / 100} % off`;
  if (promotion.kind === "free_shipping") return "free shipping";
  return Object.entries(promotion.amounts)
    .map(([currency, amount]) => formatMoney(amount, currency))
    .join(" / ");
}

/** Pause an active promotion, resume a paused one; a refusal shows beside the button. */
function PauseOrResume() {
  const promotion = useRecordContext<Promotion>();
  const { run, busy, error } = useAction();
  if (!promotion) return null;
  const next = promotion.status === "active" ? "pause" : "resume";
  const path = `/admin/promotions/${encodeURIComponent(promotion.id)}/${next}`;
  return (
    <Button
      size="small"
      disabled={busy}
      aria-label={`${next === "pause" ? "Pause" : "Resume"} ${promotion.code ?? promotion.id}`}
      title={error ?? undefined}
      color={error ? "error" : "primary"}
      onClick={(event) => {
        event.stopPropagation();
        void run("POST", path, undefined, next === "pause" ? "Promotion paused" : "Promotion resumed");
      }}
    >
      {next === "pause" ? "Pause" : "Resume"}
    </Button>
  );
}

/** Every promotion with what it gives and how much it has been used. */
export function PromotionList() {
  return (
    <>
      <PageHeading>Promotions</PageHeading>
      <List
        resource="promotions"
        title="Promotions"
        exporter={false}
        pagination={false}
        actions={
          <TopToolbar>
            <CreateButton label="New promotion" />
          </TopToolbar>
        }
      >
        <DataTable bulkActionButtons={false} rowClick={false}>
          <DataTable.Col source="code" label="Code or id" disableSort>
            <FunctionField<Promotion> render={(promotion) => promotion.code ?? promotion.id} />
          </DataTable.Col>
          <DataTable.Col source="kind" label="Kind" disableSort>
            <FunctionField<Promotion> render={(promotion) => KINDS.find((kind) => kind.id === promotion.kind)?.name ?? promotion.kind} />
          </DataTable.Col>
          <DataTable.Col source="offer" label="Offer" disableSort>
            <FunctionField<Promotion> render={offer} />
          </DataTable.Col>
          <DataTable.Col source="description" label="Description" disableSort />
          <DataTable.Col source="status" label="Status" disableSort />
          <DataTable.Col source="uses" label="Used" align="right" disableSort>
            <FunctionField<Promotion>
              render={(promotion) => `${promotion.uses}${promotion.usage_limit ? ` of ${promotion.usage_limit}` : ""}`}
            />
          </DataTable.Col>
          <DataTable.Col source="discount_given" label="Discount given" align="right" disableSort>
            <FunctionField<Promotion>
              render={(promotion) =>
                promotion.discount_given.map((money) => formatMoney(money.amount, money.currency)).join(", ") || "—"
              }
            />
          </DataTable.Col>
          <DataTable.Col label="Action">
            <PauseOrResume />
          </DataTable.Col>
        </DataTable>
      </List>
    </>
  );
}
