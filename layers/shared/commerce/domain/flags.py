"""Flags on an order: something happened outside the shop's control that staff must look at.

Each new flag is announced once (`OrderFlagged`) and counted (`OrdersFlagged`, alarmed in template.yaml);
docs/fulfillment.md, "Flags", says what raises each and docs/operations.md what to do about it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from commerce.domain.events import DomainEvent
from commerce.domain.order import Order

FULFILLMENT_CONFLICT = "fulfillment_conflict"  # a carrier moved the parcel of a cancelled (cancelling) order
REFUND_OUTSIDE_SHOP = "refund_outside_shop"  # money left at Stripe that the order's status says should not
PAYMENT_MISMATCH = "payment_mismatch"  # the payment does not match the order
DISPUTE_LOST = "dispute_lost"  # the buyer's bank took the money back
FLAGS = (FULFILLMENT_CONFLICT, REFUND_OUTSIDE_SHOP, PAYMENT_MISMATCH, DISPUTE_LOST)

# Statuses in which the order's money is expected to go back and its parcel is expected to stay.
UNDONE_STATUSES = frozenset({"cancelled", "cancelling"})
_FLAG_EVENTS = uuid.UUID("5b0c9a7e-2f4d-4e61-a8c3-9d1e7b2f6a04")


@dataclass(frozen=True, slots=True)
class FlaggedOrder:
    """An order carrying flags, as staff's list of them shows it."""

    order_id: str
    flags: tuple[str, ...]
    created_at: datetime


def is_undone(order: Order) -> bool:
    """Cancelled, or being cancelled: nothing should ship, everything is (being) refunded."""
    return order.status.value in UNDONE_STATUSES


def flag_detail(order: Order, flag: str) -> str:
    """What the order's latest `flagged` entry for this flag says."""
    prefix = f"{flag}: "
    for entry in reversed(order.timeline):
        if entry.event == "flagged" and entry.detail.startswith(prefix):
            return entry.detail[len(prefix) :]
    return ""


def flagged_once(order: Order, now: datetime, flag: str, detail: str) -> Order:
    """The order flagged, unless its timeline says exactly this already (a replayed fact)."""
    if any(e.event == "flagged" and e.detail == f"{flag}: {detail}" for e in order.timeline):
        return order
    return order.flagged(now, flag, detail)


def flag_events(before: Order, after: Order, at: datetime) -> list[DomainEvent]:
    """One `OrderFlagged` per flag `after` carries that `before` did not; its id is the order's and the
    flag's, so announcing it again (a replay, a sweeper) is dropped by consumers."""
    return [
        DomainEvent(
            type="OrderFlagged",
            occurred_at=at,
            data={"order_id": after.id, "flag": flag, "detail": flag_detail(after, flag)},
            event_id=str(uuid.uuid5(_FLAG_EVENTS, f"{after.id}:{flag}")),
            correlation_id=after.id,
        )
        for flag in after.flags
        if flag not in before.flags
    ]
