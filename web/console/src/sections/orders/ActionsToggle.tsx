import { Button } from "@mui/material";
import { useExpanded, useRecordContext } from "react-admin";
import type { Order } from "./types";

/** Opens the row's panel of actions: a button in reach of the keyboard, unlike the table's own expand icon. */
export function ActionsToggle() {
  const order = useRecordContext<Order>();
  const [expanded, toggle] = useExpanded("orders", order?.id ?? "");
  if (!order) return null;
  return (
    <Button
      size="small"
      aria-label={`Actions for order ${order.id}`}
      aria-expanded={expanded}
      aria-controls={`orders-${order.id}-expand`}
      onClick={(event) => {
        event.stopPropagation();
        toggle();
      }}
    >
      Actions
    </Button>
  );
}
