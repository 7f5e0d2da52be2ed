"""The order's life after checkout as one table: every status, every move, who may make it, and what it does
with money, stock and events. `Order.moved_to` refuses anything the table does not hold; docs/
order-lifecycle.md is generated from it (`python -m local.tools.lifecycle_doc --write`) and a test fails
when the two disagree."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


class OrderStatus(enum.StrEnum):
    PENDING_PAYMENT = "pending_payment"
    ON_HOLD = "on_hold"  # paid, but fraud screening (or a payment that does not match) wants a person first
    PAID = "paid"
    CANCELLED = "cancelled"
    DISPUTED = "disputed"
    FULFILLING = "fulfilling"  # shipments booked, none handed to a carrier yet
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"  # every shipment is with a carrier (or delivered)
    DELIVERED = "delivered"  # every shipment delivered
    CANCELLING = "cancelling"  # a cancel committed: carrier bookings voided, then the refund, then cancelled


class Actor(enum.StrEnum):
    """Who causes a move: a person (buyer, staff), an outside party's signed message (stripe, carrier), or
    our own processes (the order workflow, the scheduled sweeper)."""

    BUYER = "buyer"
    STAFF = "staff"
    STRIPE = "stripe"
    CARRIER = "carrier"
    WORKFLOW = "workflow"
    SWEEPER = "sweeper"


@dataclass(frozen=True, slots=True)
class Transition:
    source: OrderStatus
    target: OrderStatus
    by: frozenset[Actor]
    why: str  # what happened
    money: str = "-"
    stock: str = "-"
    events: tuple[str, ...] = ()


S, A = OrderStatus, Actor
_SHIPPING = (S.FULFILLING, S.PARTIALLY_SHIPPED, S.SHIPPED)
_CANCEL_DONE = (
    "the pending refund sent to Stripe (idempotency key from the refund id), then recorded on the order"
)


def _moves() -> Iterable[Transition]:
    yield Transition(
        S.PENDING_PAYMENT,
        S.PAID,
        frozenset({A.WORKFLOW}),
        "payment succeeded, fraud screening clear",
        "captured",
        "reserved units sold",
        ("OrderPaid", "FulfillmentRequested"),
    )
    yield Transition(
        S.PENDING_PAYMENT,
        S.ON_HOLD,
        frozenset({A.WORKFLOW, A.STRIPE}),
        "payment succeeded but screening (or a payment that does not match the order) wants a person",
        "captured, held",
        "stays reserved",
    )
    yield Transition(
        S.PENDING_PAYMENT,
        S.CANCELLED,
        frozenset({A.WORKFLOW, A.SWEEPER}),
        "payment failed, was canceled or never came",
        "intent canceled (refunded in full if it went through)",
        "reserved units released",
        ("OrderCancelled",),
    )
    yield Transition(
        S.ON_HOLD,
        S.PAID,
        frozenset({A.STAFF, A.WORKFLOW}),
        "staff approved the held order",
        "-",
        "reserved units sold",
        ("OrderPaid", "FulfillmentRequested"),
    )
    yield Transition(
        S.ON_HOLD,
        S.CANCELLED,
        frozenset({A.STAFF, A.WORKFLOW}),
        "staff rejected the held order",
        "refunded in full",
        "reserved units released",
        ("OrderCancelled",),
    )
    yield Transition(
        S.PAID,
        S.FULFILLING,
        frozenset({A.WORKFLOW}),
        "shipments booked with the carrier",
        "-",
        "sold units moved to the shipping locations",
    )
    for source in (S.PAID, S.FULFILLING):
        yield Transition(
            source,
            S.CANCELLING,
            frozenset({A.BUYER, A.STAFF}),
            "cancel asked before any parcel left",
            "refund of what is left reserved in the ledger (pending)",
        )
    yield Transition(
        S.FULFILLING,
        S.PARTIALLY_SHIPPED,
        frozenset({A.CARRIER}),
        "first scan of some parcels",
        events=("OrderShipped",),
    )
    for source in (S.FULFILLING, S.PARTIALLY_SHIPPED):
        yield Transition(
            source, S.SHIPPED, frozenset({A.CARRIER}), "every parcel scanned", events=("OrderShipped",)
        )
    for source in _SHIPPING:
        yield Transition(
            source,
            S.DELIVERED,
            frozenset({A.CARRIER}),
            "every parcel delivered",
            events=("OrderDelivered",),
        )
    yield Transition(
        S.CANCELLING,
        S.CANCELLED,
        frozenset({A.BUYER, A.STAFF, A.SWEEPER}),
        "every carrier booking voided",
        _CANCEL_DONE,
        "sold units back on hand",
        ("OrderCancelled", "RefundIssued"),
    )
    for target in (S.PAID, *_SHIPPING, S.DELIVERED):
        yield Transition(
            S.CANCELLING,
            target,
            frozenset({A.BUYER, A.STAFF, A.SWEEPER}),
            "the carrier refused to void a booking (it has the parcel): back to what the shipments say",
            "pending refund given back; nothing refunded",
        )
    for source in (S.ON_HOLD, S.PAID, *_SHIPPING, S.DELIVERED):
        yield Transition(
            source,
            S.DISPUTED,
            frozenset({A.STRIPE}),
            "the buyer's bank opened a dispute",
            "disputed amount held by the bank",
            events=("OrderDisputed",),
        )
        yield Transition(
            S.DISPUTED,
            source,
            frozenset({A.STRIPE}),
            "the dispute closed, won or lost: back to the status before the dispute",
            "won: disputed amount back; lost: recorded as refunded by the bank (ledger, order), flagged",
            events=("OrderDisputeClosed",),
        )


TRANSITIONS: tuple[Transition, ...] = tuple(_moves())
_BY_MOVE: Mapping[tuple[OrderStatus, OrderStatus], Transition] = {
    (t.source, t.target): t for t in TRANSITIONS
}
FINAL = frozenset(s for s in OrderStatus if not any(t.source is s for t in TRANSITIONS))


def transition(source: OrderStatus, target: OrderStatus) -> Transition | None:
    return _BY_MOVE.get((source, target))


def allowed(source: OrderStatus, target: OrderStatus, by: Actor | None = None) -> bool:
    move = _BY_MOVE.get((source, target))
    return move is not None and (by is None or by in move.by)


def next_statuses(source: OrderStatus) -> frozenset[OrderStatus]:
    return frozenset(t.target for t in TRANSITIONS if t.source is source)


# the generated part of docs/order-lifecycle.md
BEGIN = "<!-- generated from commerce/domain/lifecycle.py: do not edit by hand -->"
END = "<!-- end of generated section -->"


def mermaid() -> str:
    lines = ["```mermaid", "stateDiagram-v2", f"    [*] --> {S.PENDING_PAYMENT.value}"]
    for t in TRANSITIONS:
        lines.append(f"    {t.source.value} --> {t.target.value}: {', '.join(sorted(t.by))}")
    lines += [f"    {s.value} --> [*]" for s in sorted(FINAL)]
    lines.append("```")
    return "\n".join(lines)


def markdown_table() -> str:
    rows = [
        "| from | to | who | when | money | stock | events |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for t in TRANSITIONS:
        events = ", ".join(f"`{e}`" for e in t.events) or "-"
        who = ", ".join(sorted(t.by))
        move = f"| `{t.source.value}` | `{t.target.value}` | {who}"
        rows.append(f"{move} | {t.why} | {t.money} | {t.stock} | {events} |")
    return "\n".join(rows)


def generated_section() -> str:
    return "\n\n".join([BEGIN, markdown_table(), mermaid(), END])
