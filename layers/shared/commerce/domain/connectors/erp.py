"""ERP: orders out (a sales order when paid, a cancellation when cancelled) and purchase orders out (when
sent to the supplier). Stock comes back in through `POST /integrations/erp/stock` (docs/erp-stock.md)."""

from __future__ import annotations

from collections.abc import Mapping

from commerce.domain.connectors.base import (
    Document,
    Facts,
    json_document,
    order_line,
    order_of,
    order_totals,
    unknown_settings,
)
from commerce.domain.events import DomainEvent


class Erp:
    name: str = "erp"
    description: str = "Sales orders (OrderPaid, OrderCancelled) and purchase orders (PurchaseOrderSent) out."
    consumes: frozenset[str] = frozenset({"OrderPaid", "OrderCancelled", "PurchaseOrderSent"})
    settings: Mapping[str, str] = {}

    def check(self, settings: Mapping[str, str]) -> dict[str, str]:
        unknown_settings(settings, self.settings)
        return {}

    def documents(self, event: DomainEvent, settings: Mapping[str, str], facts: Facts) -> list[Document]:
        if event.type == "PurchaseOrderSent":
            data = event.data
            return [
                json_document(
                    "erp.purchase_order",
                    f"po_{data['purchase_order_id']}",
                    {
                        "purchase_order_id": data["purchase_order_id"],
                        "sent_at": event.occurred_at.isoformat(),
                        "supplier": data.get("supplier"),
                        "location": data.get("location"),
                        "lines": list(data.get("lines", [])),
                    },
                )
            ]
        order = order_of(event, facts)
        if event.type == "OrderCancelled":
            return [
                json_document(
                    "erp.sales_order_cancelled",
                    f"so_{order.id}_cancelled",
                    {
                        "sales_order_id": f"so_{order.id}",
                        "order_id": order.id,
                        "cancelled_at": event.occurred_at.isoformat(),
                        "reason": order.cancel_reason or event.data.get("reason"),
                    },
                )
            ]
        tax_included = order.totals.tax_included
        return [
            json_document(
                "erp.sales_order",
                f"so_{order.id}",
                {
                    "order_id": order.id,
                    "channel": order.channel or "web",
                    "placed_at": order.created_at.isoformat(),
                    "paid_at": event.occurred_at.isoformat(),
                    "currency": order.currency,
                    "tax_included": tax_included,
                    "customer": {"customer_id": order.customer_id, "email": order.email},
                    "ship_to": dict(order.shipping_address),
                    "bill_to": dict(order.billing_address),
                    "lines": [order_line(line, tax_included) for line in order.lines],
                    # where each line's units were taken from, so the ERP books them out of that warehouse
                    "allocations": [
                        {"sku": r.sku, "location": r.location, "quantity": r.quantity}
                        for r in order.reservations
                    ],
                    "totals": order_totals(order),
                },
            )
        ]
