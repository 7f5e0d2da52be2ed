"""Customer support: a ticket when a payment is disputed, a delivery fails, or a refund is over a
threshold (setting `refund_threshold`: minor units, per currency as `EUR:10000,USD:12000`, or one figure
for every currency; 10000 by default)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from commerce.domain.connectors.base import Document, Facts, json_document, order_of, unknown_settings
from commerce.domain.errors import ValidationFailed
from commerce.domain.events import DomainEvent

DEFAULT_REFUND_THRESHOLD = 10_000
ANY = "*"


def thresholds(text: str) -> dict[str, int]:
    """`"5000"` or `"EUR:5000,USD:6000,*:10000"` as {currency or "*": minor units}."""
    found: dict[str, int] = {}
    for part in (p.strip() for p in text.split(",") if p.strip()):
        currency, _, figure = part.rpartition(":")
        currency = currency.strip().upper() or ANY
        if not figure.strip().isdigit() or (
            currency != ANY and not (len(currency) == 3 and currency.isalpha())
        ):
            raise ValidationFailed(
                f"refund_threshold is minor units, alone or per currency (EUR:10000,USD:12000), not {part!r}"
            )
        found[currency] = int(figure)
    if not found:
        raise ValidationFailed("refund_threshold names at least one figure")
    return found


def refund_threshold(settings: Mapping[str, str], currency: str) -> int:
    chosen = thresholds(settings.get("refund_threshold", str(DEFAULT_REFUND_THRESHOLD)))
    return chosen.get(currency.upper(), chosen.get(ANY, DEFAULT_REFUND_THRESHOLD))


class Support:
    name: str = "support"
    description: str = (
        "A ticket on a dispute (OrderDisputed), a delivery failure or a refund over a threshold."
    )
    consumes: frozenset[str] = frozenset({"OrderDisputed", "ShipmentDeliveryFailed", "RefundIssued"})
    settings: Mapping[str, str] = {
        "refund_threshold": "minor units, alone or per currency: EUR:10000,USD:12000 (default 10000)"
    }

    def check(self, settings: Mapping[str, str]) -> dict[str, str]:
        unknown_settings(settings, self.settings)
        if "refund_threshold" in settings:
            thresholds(settings["refund_threshold"])
        return dict(settings)

    def documents(self, event: DomainEvent, settings: Mapping[str, str], facts: Facts) -> list[Document]:
        data = event.data
        if event.type == "RefundIssued":
            amount, currency = int(data["amount"]), str(data["currency"])
            if amount < refund_threshold(settings, currency):
                return []
            reason, priority = "large_refund", "normal"
            subject = f"Refund of {amount} (minor units, {currency}) on order {data['order_id']}"
            details: dict[str, Any] = {
                "refund_id": data.get("refund_id"),
                "amount": amount,
                "currency": currency,
            }
        elif event.type == "OrderDisputed":
            reason, priority = "dispute", "high"
            subject = (
                f"Payment disputed on order {data['order_id']}: {data.get('reason') or 'no reason given'}"
            )
            details = {
                "dispute_id": data.get("dispute_id"),
                "reason": data.get("reason"),
                "status": data.get("status"),
            }
        else:
            reason, priority = "delivery_failed", "high"
            subject = f"Delivery failed for order {data['order_id']} (shipment {data.get('shipment_id')})"
            details = {
                key: data.get(key)
                for key in ("shipment_id", "carrier", "tracking_number", "tracking_url", "lines")
            }
        order = order_of(event, facts)
        return [
            json_document(
                "support.ticket",
                f"ticket_{event.event_id}",
                {
                    "reason": reason,
                    "priority": priority,
                    "subject": subject,
                    "order_id": order.id,
                    "order_status": order.status.value,
                    "requester": {"customer_id": order.customer_id, "email": order.email},
                    "opened_at": event.occurred_at.isoformat(),
                    "details": details,
                },
            )
        ]
