"""Refunds and cancellations by the shop: what may be refunded, and when an order can still be cancelled."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from commerce.domain.errors import Conflict, InvalidState, ValidationFailed
from commerce.domain.events import DomainEvent
from commerce.domain.order import Order, OrderStatus, PaymentOutcome

CANCELLED_BY_CUSTOMER = "cancelled_by_customer"
CANCELLED_BY_STAFF = "cancelled_by_staff"

# Nothing has left a warehouse yet: the order can be cancelled and refunded in full.
CANCELLABLE = frozenset({OrderStatus.PAID, OrderStatus.FULFILLING})
SHIPPED_STATUSES = frozenset({OrderStatus.PARTIALLY_SHIPPED, OrderStatus.SHIPPED, OrderStatus.DELIVERED})
REFUNDABLE = frozenset(
    {
        OrderStatus.PAID,
        OrderStatus.FULFILLING,
        OrderStatus.PARTIALLY_SHIPPED,
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,
    }
)


@dataclass(frozen=True, slots=True)
class PendingRefund:
    """A refund committed in the ledger before the provider is asked: the sweeper finishes it after a crash.
    Its id names it at the provider too (idempotency key `<order id>-<refund id>`), so it is made once."""

    order_id: str
    refund_id: str  # cancel-<order id>, goodwill-<key>, return-<return id>
    amount: int
    payment_intent_id: str
    requested_at: datetime
    detail: str = ""  # for the order's timeline: who and why

    @property
    def idempotency_key(self) -> str:
        return f"{self.order_id}-{self.refund_id}"


@dataclass(frozen=True, slots=True)
class RefundCompletion:
    """What lands together once the provider refunded: `refund` marked sent (None: none was pending), `order`
    saved under `expected_version`, its units back on hand when `restock`, and `events` into the outbox."""

    refund: PendingRefund | None
    order: Order
    expected_version: int
    events: Sequence[DomainEvent]
    restock: bool = False


class RefundExceedsCaptured(
    Conflict, title="Refund exceeds what was captured", slug="refund-exceeds-captured"
): ...


class AlreadyShipped(InvalidState, title="Already shipped", slug="already-shipped"): ...


def captured(order: Order) -> int:
    """Minor units the provider took for the order: its total once the payment succeeded, else nothing."""
    return order.totals.total.amount if order.payment_outcome is PaymentOutcome.SUCCEEDED else 0


def check_cancellable(order: Order) -> None:
    """AlreadyShipped (409, with the reason) once a shipment left; InvalidState for any other status."""
    if order.status in SHIPPED_STATUSES:
        raise AlreadyShipped(
            f"order {order.id} is {order.status.value}: it can no longer be cancelled; "
            "ask for a return instead",
            reason=order.status.value,
        )
    if order.status not in CANCELLABLE:
        raise InvalidState(
            f"order {order.id} is {order.status.value}: only a paid order not yet shipped can be cancelled",
            reason=order.status.value,
        )


def check_refundable(order: Order, amount: int) -> None:
    if amount <= 0:
        raise ValidationFailed("a refund is at least one minor unit", field="amount")
    if order.status not in REFUNDABLE:
        raise InvalidState(f"order {order.id} is {order.status.value}: there is no payment of it to refund")


@dataclass(frozen=True, slots=True)
class RefundRecord:
    """One refund of an order as staff see it: `pending` (committed, the provider not yet confirmed),
    `refunded`, `refunded_outside_shop` (Stripe's dashboard) or `taken_by_bank` (a lost dispute)."""

    id: str
    amount: int
    status: str
    reason: str
    created_at: datetime
