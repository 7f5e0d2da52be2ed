"""Money that left without the shop refunding it: a refund made in Stripe's dashboard (or one the shop lost
track of), a dispute lost to the buyer's bank. Recorded in the refund ledger first, under an id derived from
the fact, then on the order; a crash in between is finished by the provider's next delivery, which finds
the ledger entry and records the same amount. docs/fulfillment.md, "Money that left outside the shop".
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from commerce.domain.errors import Conflict, TransientError
from commerce.domain.events import DomainEvent
from commerce.domain.order import Order
from commerce.domain.ports import RefundLedger

ATTEMPTS = 5
_OUTSIDE_REFUNDS = uuid.UUID("9e3d1c52-7b4a-4f08-b6e2-1a5c8d3f0e77")
RECORDED = "refund_recorded"  # the order's timeline entry: "<refund id>: <amount> <currency>, <source>"


@dataclass(frozen=True, slots=True)
class OutsideRefund:
    refund_id: str  # outside-<charge>-<Stripe's cumulative amount>, or dispute-<dispute id>
    amount: int  # what the ledger holds under refund_id (0: nothing left to record within the capture)
    refunded: int  # the ledger's sum once it is recorded
    source: str  # outside_shop or bank
    by_bank: int = 0  # the ledger's part taken back by banks (lost disputes), which Stripe's refunds omit


def record_in_ledger(
    ledger: RefundLedger | None,
    order: Order,
    refund_id: str,
    wanted: Callable[[int, int], int],
    by_bank: bool = False,
) -> OutsideRefund:
    """Records `wanted(refunded, refunded_by_bank)` minor units (never more than the capture leaves) under
    `refund_id`, once. Without a ledger, the order's own sum stands in for it."""
    source = "bank" if by_bank else "outside_shop"
    captured = order.totals.total.amount
    if ledger is None:
        amount = max(0, min(wanted(order.refunded, 0), captured - order.refunded))
        return OutsideRefund(refund_id, amount, order.refunded + amount, source)
    for _ in range(ATTEMPTS):
        refunded = ledger.refunded(order.id)
        bank = ledger.refunded_by_bank(order.id)
        existing = ledger.reserved(order.id, refund_id)
        if existing is not None:
            return OutsideRefund(refund_id, existing, refunded, source, bank)
        amount = min(wanted(refunded, bank), captured - refunded)
        if amount <= 0:
            return OutsideRefund(refund_id, 0, refunded, source, bank)
        try:
            if ledger.record_outside(order.id, refund_id, amount, refunded, by_bank=by_bank):
                return OutsideRefund(
                    refund_id, amount, refunded + amount, source, bank + (amount if by_bank else 0)
                )
        except Conflict:
            continue
    raise TransientError(f"the refund ledger of order {order.id} keeps changing; retry")


def on_order(order: Order, refund: OutsideRefund, now: datetime, detail: str) -> Order:
    """The order with the recorded refund on it (its sum raised to the ledger's), once per refund id."""
    if refund.amount <= 0 or recorded_on(order, refund.refund_id):
        return order
    noted = order.noted(now, RECORDED, f"{refund.refund_id}: {refund.amount} {order.currency}, {detail}")
    return replace(noted, refunded=max(order.refunded, refund.refunded))


def recorded_on(order: Order, refund_id: str) -> bool:
    return any(e.event == RECORDED and e.detail.startswith(f"{refund_id}:") for e in order.timeline)


def refund_issued(
    order: Order, refund: OutsideRefund, at: datetime, payment_intent_id: str | None
) -> DomainEvent:
    """One event per refund id (so per charge and cumulative amount, or per dispute)."""
    data = {
        "order_id": order.id,
        "refund_id": refund.refund_id,
        "amount": refund.amount,
        "amount_refunded": order.refunded,
        "currency": order.currency,
        "source": refund.source,
        **({"payment_intent_id": payment_intent_id} if payment_intent_id else {}),
    }
    return DomainEvent(
        type="RefundIssued",
        occurred_at=at,
        data=data,
        event_id=str(uuid.uuid5(_OUTSIDE_REFUNDS, f"{order.id}:{refund.refund_id}")),
        correlation_id=order.id,
    )
