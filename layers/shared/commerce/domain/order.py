"""An order: what was bought, for how much, and every state it went through, with the rules of each move."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from commerce.domain.errors import Conflict, InvalidState
from commerce.domain.lifecycle import Actor, allowed, next_statuses
from commerce.domain.lifecycle import OrderStatus as OrderStatus  # noqa: PLC0414 - re-exported
from commerce.domain.order_lines import OrderLine, OrderTotals
from commerce.domain.pricing import OrderPricing

# The timeline entries that record a move into a status a dispute may have opened from (an older won
# dispute's move to `paid` is not one: it was the mistake of reopening a shipped order).
_TIMELINE_STATUSES: Mapping[str, OrderStatus] = {
    "order_held": OrderStatus.ON_HOLD,
    "order_paid": OrderStatus.PAID,
    "fulfillment_started": OrderStatus.FULFILLING,
    **{
        f"order_{s.value}": s
        for s in (OrderStatus.PARTIALLY_SHIPPED, OrderStatus.SHIPPED, OrderStatus.DELIVERED)
    },
}
# A card declined while the order still waits for its payment (timeline entry; the buyer may try another).
PAYMENT_DECLINED = "payment_declined"
# Staff took a flag off (timeline entry `<flag>: <note> (by <staff>)`).
FLAG_RESOLVED = "flag_resolved"


class StockState(enum.StrEnum):
    """What the order's units are in the ledger: held for it, sold to it, or given back."""

    RESERVED = "reserved"
    SOLD = "sold"
    RELEASED = "released"


class PaymentOutcome(enum.StrEnum):
    """What the payment provider said, recorded on the order when it arrives (a webhook may beat the
    workflow to it)."""

    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELED = "canceled"
    # The order's PaymentIntent succeeded for another amount or currency than the order's total: the order
    # is held for staff, never paid, and nothing counts as captured.
    MISMATCHED = "mismatched"


@dataclass(frozen=True, slots=True)
class Reservation:
    """Units held for an order at one location until it is paid (a sale) or not (a release)."""

    sku: str
    location: str
    quantity: int


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at: datetime
    event: str  # e.g. order_placed, payment_succeeded, order_paid, order_cancelled
    detail: str = ""


@dataclass(frozen=True, slots=True)
class DisputeCase:
    """The buyer's bank disputes the payment: staff answer with evidence before `due_by`."""

    dispute_id: str
    reason: str
    amount: int  # minor units disputed, in the order's currency
    due_by: datetime | None = None  # Stripe's `evidence_details.due_by`


@dataclass(frozen=True, slots=True)
class Order:
    id: str
    status: OrderStatus
    currency: str
    lines: tuple[OrderLine, ...]
    totals: OrderTotals
    email: str
    shipping_address: Mapping[str, str]
    billing_address: Mapping[str, str]
    created_at: datetime
    reservations: tuple[Reservation, ...]
    reservation_expires_at: datetime
    order_token_hash: str
    customer_id: str | None = None
    cart_id: str | None = None
    payment_intent_id: str | None = None
    cancel_reason: str | None = None
    refunded: int = 0  # minor units refunded so far
    version: int = 0
    timeline: tuple[TimelineEntry, ...] = field(default_factory=tuple)
    stock: StockState = StockState.RESERVED
    task_token: str | None = None  # the workflow task waiting on this order (payment, then review)
    payment_outcome: PaymentOutcome | None = None
    risk_level: str | None = None  # Stripe Radar's, when the payment reported one
    hold_reasons: tuple[str, ...] = ()
    status_before_dispute: OrderStatus | None = None  # while disputed: what a closed dispute gives back
    dispute: DisputeCase | None = None  # the open dispute, or the last one closed
    tax_country: str | None = None
    pricing: OrderPricing | None = None  # invoice details: seller, tax region, discounts, shipping zone
    attribution: Mapping[str, str] = field(default_factory=dict)  # from its cart
    channel: str | None = None  # inventory: the sales channel it was taken on (None: older orders, `web`)
    flags: tuple[str, ...] = ()  # for staff attention: fulfillment_conflict, payment_mismatch, ...

    def can_become(self, status: OrderStatus, by: Actor | None = None) -> bool:
        return allowed(self.status, status, by)

    def moved_to(
        self, status: OrderStatus, now: datetime, event: str, detail: str = "", by: Actor | None = None
    ) -> Order:
        """The order in its next status; InvalidState (409, naming the current status) when the lifecycle
        table (commerce/domain/lifecycle.py) holds no such move, or not for `by`."""
        if not self.can_become(status, by):
            who = f" by {by.value}" if by is not None and status in next_statuses(self.status) else ""
            raise InvalidState(
                f"order {self.id} is {self.status.value}; it cannot become {status.value}{who}",
                current_status=self.status.value,
            )
        return replace(
            self,
            status=status,
            version=self.version + 1,
            timeline=(*self.timeline, TimelineEntry(now, event, detail)),
        )

    def noted(self, now: datetime, event: str, detail: str = "") -> Order:
        """The order with one more timeline entry and no change of status."""
        return replace(
            self, version=self.version + 1, timeline=(*self.timeline, TimelineEntry(now, event, detail))
        )

    def flagged(self, now: datetime, flag: str, detail: str = "") -> Order:
        """The order flagged for staff attention (each flag once), with a `flagged` timeline entry."""
        flags = self.flags if flag in self.flags else (*self.flags, flag)
        return replace(self.noted(now, "flagged", f"{flag}: {detail}"), flags=flags)

    def flag_resolved(self, now: datetime, flag: str, note: str, by: str) -> Order:
        """The flag taken off once staff have dealt with it, with a `flag_resolved` timeline entry (who and
        why). The same order again when this flag's latest entry already resolves it (a retried request, two
        people at once), so saying it twice is harmless; Conflict (409) when the order never carried it."""
        if flag not in self.flags:
            if self._latest_about(flag) == FLAG_RESOLVED:
                return self
            raise Conflict(f"order {self.id} carries no {flag} flag", flags=list(self.flags))
        flags = tuple(f for f in self.flags if f != flag)
        return replace(self.noted(now, FLAG_RESOLVED, f"{flag}: {note} (by {by})"), flags=flags)

    def _latest_about(self, flag: str) -> str | None:
        """The event of the newest `flagged` or `flag_resolved` timeline entry for this flag."""
        prefix = f"{flag}: "
        for entry in reversed(self.timeline):
            if entry.event in ("flagged", FLAG_RESOLVED) and entry.detail.startswith(prefix):
                return entry.event
        return None

    def cancelled(self, now: datetime, reason: str, by: Actor | None = None) -> Order:
        """Cancelled: reserved units given back, and sold ones too when it comes from `cancelling` (the
        caller writes them back on hand in the same transaction)."""
        order = self.moved_to(OrderStatus.CANCELLED, now, "order_cancelled", reason, by)
        released = self.stock is StockState.RESERVED or self.status is OrderStatus.CANCELLING
        stock = StockState.RELEASED if released else self.stock
        return replace(order, cancel_reason=reason, stock=stock, task_token=None)

    def cancelling(self, now: datetime, reason: str, by: Actor, detail: str = "") -> Order:
        """A cancel committed before any parcel left: its refund is pending, its bookings are voided next.
        `detail` (who asked and why, for staff) goes on the timeline after the reason."""
        note = f"{reason}: {detail}" if detail else reason
        order = self.moved_to(OrderStatus.CANCELLING, now, "cancel_requested", note, by)
        return replace(order, cancel_reason=reason)

    def cancel_withdrawn(self, now: datetime, status: OrderStatus, detail: str, by: Actor) -> Order:
        """Back from `cancelling` to `status` (what its shipments say): the carrier has a parcel already."""
        order = self.moved_to(status, now, "cancel_withdrawn", detail, by)
        return replace(order, cancel_reason=None)

    def paid(self, now: datetime) -> Order:
        """Paid and cleared: its reserved units become a sale."""
        if self.stock is not StockState.RESERVED:
            raise InvalidState(f"order {self.id} holds no reserved stock to sell")
        order = self.moved_to(OrderStatus.PAID, now, "order_paid")
        return replace(order, stock=StockState.SOLD, task_token=None)

    def held(self, now: datetime, reasons: tuple[str, ...]) -> Order:
        """Paid but held for a person to review; its units stay reserved meanwhile."""
        order = self.moved_to(OrderStatus.ON_HOLD, now, "order_held", ", ".join(reasons))
        return replace(order, hold_reasons=reasons, task_token=None)

    def with_payment_outcome(
        self, outcome: PaymentOutcome, now: datetime, risk_level: str | None = None
    ) -> Order:
        """The provider's answer recorded; the first one wins, so a late or replayed one changes nothing."""
        if self.payment_outcome is not None:
            return self
        order = self.noted(now, f"payment_{outcome.value}")
        return replace(order, payment_outcome=outcome, risk_level=risk_level or self.risk_level)

    @property
    def declined(self) -> bool:
        """Its last card was declined and nothing was paid since: the intent waits for another card."""
        attempts = [e.event for e in self.timeline if e.event.startswith("payment_")]
        return bool(attempts) and attempts[-1] == PAYMENT_DECLINED

    def waiting_on(self, task_token: str | None) -> Order:
        return replace(self, task_token=task_token, version=self.version + 1)

    # disputes
    def disputed(self, now: datetime, case: DisputeCase) -> Order:
        """Disputed, remembering the status to come back to when the dispute closes."""
        order = self.moved_to(OrderStatus.DISPUTED, now, "dispute_opened", case.reason, Actor.STRIPE)
        return replace(order, status_before_dispute=self.status, dispute=case)

    def dispute_closed(self, now: datetime, won: bool, detail: str) -> Order:
        """Back to the status before the dispute, won or lost: a dispute neither undoes a shipment nor
        makes an order cancellable again (the webhook records a lost one as refunded by the bank)."""
        back = self.status_before_dispute or self._status_from_timeline()
        order = self.moved_to(back, now, "dispute_won" if won else "dispute_lost", detail, Actor.STRIPE)
        return replace(order, status_before_dispute=None)

    def _status_from_timeline(self) -> OrderStatus:
        """For an order disputed before it kept `status_before_dispute`: its last status on the timeline."""
        for entry in reversed(self.timeline):
            status = _TIMELINE_STATUSES.get(entry.event)
            if status is not None:
                return status
        return OrderStatus.PAID

    def followed_while_disputed(self, status: OrderStatus, now: datetime, detail: str) -> Order:
        """A disputed order's shipments moved on: the status its dispute closes back into follows them (where
        that status could have moved so); itself otherwise."""
        before = self.status_before_dispute
        if self.status is not OrderStatus.DISPUTED or before is None or not allowed(before, status):
            return self
        return replace(self.noted(now, f"order_{status.value}", detail), status_before_dispute=status)

    @property
    def is_pending(self) -> bool:
        return self.status is OrderStatus.PENDING_PAYMENT
