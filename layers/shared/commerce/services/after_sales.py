"""After the sale: the buyer cancels before shipment, staff refund as a goodwill gesture.

Every refund goes through the refund ledger first (a conditional write that keeps the sum within what was
captured), then through the payment provider with an idempotency key derived from the refund id, so a
retried request refunds once. docs/fulfillment.md, "Cancellations and refunds".
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from commerce.domain.errors import Conflict, InvalidState, NotFound, TransientError, ValidationFailed
from commerce.domain.events import DomainEvent, order_event
from commerce.domain.money import Money
from commerce.domain.order import Order, OrderStatus, StockState
from commerce.domain.permissions import Authority
from commerce.domain.ports import (
    EventPublisher,
    OrderRepository,
    PaymentGateway,
    RefundLedger,
    Restock,
    Shipments,
    Workflow,
)
from commerce.domain.refunds import (
    CANCELLED_BY_CUSTOMER,
    RefundExceedsCaptured,
    captured,
    check_cancellable,
    check_refundable,
)

logger = logging.getLogger(__name__)

ATTEMPTS = 5
_REFUND_EVENTS = uuid.UUID("a4f0f7f5-41b9-4c55-9d0e-2a6a1de7c3b2")
_NOT_FOUND = "no such order"


@dataclass(frozen=True, slots=True)
class RefundResult:
    order: Order
    refund_id: str
    amount: int
    refunded: int  # the order's refunds so far, this one included


def refund_issued(
    order: Order, refund_id: str, amount: int, refunded: int, at: datetime, **extra: object
) -> DomainEvent:
    """One event per refund id: a retried request announces the same event, which consumers drop."""
    event_id = str(uuid.uuid5(_REFUND_EVENTS, f"{order.id}:{refund_id}"))
    data = {
        "order_id": order.id,
        "refund_id": refund_id,
        "amount": amount,
        "amount_refunded": refunded,
        "currency": order.currency,
        **extra,
    }
    return DomainEvent(type="RefundIssued", occurred_at=at, data=data, event_id=event_id)


class AfterSales:
    def __init__(
        self,
        orders: OrderRepository,
        ledger: RefundLedger,
        restock: Restock,
        payments: PaymentGateway,
        events: EventPublisher,
        clock: Callable[[], datetime],
        shipments: Shipments | None = None,
        fulfillment_workflow: Workflow | None = None,
    ) -> None:
        self._orders, self._ledger, self._restock = orders, ledger, restock
        self._payments, self._events, self._clock = payments, events, clock
        self._shipments, self._fulfillment_workflow = shipments, fulfillment_workflow

    def get(self, order_id: str) -> Order:
        order = self._orders.get(order_id)
        if order is None:
            raise NotFound(_NOT_FOUND)
        return order

    # ---- the buyer cancels
    def cancel(self, order: Order) -> Order:
        """Refunds what is left of the payment, puts the units back on hand, cancels the order and announces
        it. The caller has checked that the order is the buyer's. Asking again answers the same."""
        if order.status is OrderStatus.CANCELLED and order.cancel_reason == CANCELLED_BY_CUSTOMER:
            self._announce_cancellation(order)
            return order
        check_cancellable(order)
        refund_id = f"cancel-{order.id}"
        # A retry after a crash refunds what the first attempt reserved (the provider's idempotency key makes
        # it the same refund); otherwise all that is left of the capture.
        mine = self._ledger.reserved(order.id, refund_id)
        amount = mine if mine is not None else captured(order) - self._ledger.refunded(order.id)
        refunded = self._refund(order, refund_id, amount) if amount > 0 else self._ledger.refunded(order.id)
        for _ in range(ATTEMPTS):
            current = self.get(order.id)
            if current.status is OrderStatus.CANCELLED:
                break
            check_cancellable(current)
            cancelled = replace(
                current.cancelled(self._clock(), CANCELLED_BY_CUSTOMER),
                refunded=max(current.refunded, refunded),
                stock=StockState.RELEASED,
            )
            try:
                if current.stock is StockState.SOLD:
                    self._restock.restock(cancelled, current.version, CANCELLED_BY_CUSTOMER)
                else:
                    self._orders.save(cancelled, current.version)
            except Conflict:
                continue
            break
        else:
            raise TransientError(f"order {order.id} keeps changing; try again")
        final = self.get(order.id)
        self._stop_fulfillment(order.id)
        self._announce_cancellation(final, amount)
        logger.info("order cancelled by its buyer", extra={"order_id": order.id, "refunded": amount})
        return final

    def _stop_fulfillment(self, order_id: str) -> None:
        """Ends the order's fulfillment execution, if one waits (it succeeds as cancelled, no alarm)."""
        if self._shipments is None or self._fulfillment_workflow is None:
            return
        for milestone in ("shipped", "delivered"):
            token = self._shipments.token(order_id, milestone)
            if token:
                self._fulfillment_workflow.fail(
                    token, "OrderCancelled", "the buyer cancelled before shipment"
                )

    def _announce_cancellation(self, order: Order, amount: int | None = None) -> None:
        now = self._clock()
        events = [
            order_event(
                "OrderCancelled", order.id, now, {"reason": order.cancel_reason, "refunded": order.refunded}
            )
        ]
        if order.refunded:
            # The cancellation email already names the refund: `with_cancellation` tells notifications.
            refunded_now = order.refunded if amount is None else amount
            events.append(
                refund_issued(
                    order, f"cancel-{order.id}", refunded_now, order.refunded, now, with_cancellation=True
                )
            )
        self._events.publish(events)

    # ---- staff refund without a return (goodwill)
    def goodwill_refund(
        self, order_id: str, amount: int | None, key: str, reason: str, staff: str, *, authority: Authority
    ) -> RefundResult:
        """Refunds `amount` (all that is left when None). `key` (the request's Idempotency-Key) names the
        refund: the same key again refunds nothing more and answers the same. The order's refunds may
        come to what `authority` allows (its refund limit), no more."""
        if not key or len(key) > 100:
            raise ValidationFailed("an Idempotency-Key header of 1 to 100 characters is required")
        order = self.get(order_id)
        refund_id = f"goodwill-{key}"
        mine = self._ledger.reserved(order.id, refund_id)
        already = self._ledger.refunded(order.id)
        remaining = captured(order) - already
        wanted = mine if mine is not None else remaining if amount is None else amount
        if mine is None and amount is None and remaining <= 0:
            raise RefundExceedsCaptured(f"order {order.id} has been refunded in full already")
        if mine is None:
            authority.require_refund(Money(already + wanted, order.currency))
        check_refundable(order, wanted)
        refunded = self._refund(order, refund_id, wanted)
        return self._record(order.id, refund_id, wanted, refunded, f"goodwill by {staff}: {reason}")

    def require_refund_authority(self, order: Order, amount: int, authority: Authority) -> None:
        """Refuses (403) a refund that would take the order's refunds past what `authority` allows."""
        authority.require_refund(Money(self._ledger.refunded(order.id) + amount, order.currency))

    def refund_return(self, order_id: str, return_id: str, amount: int) -> RefundResult:
        """The refund of a received return (issue 5's returns)."""
        order = self.get(order_id)
        check_refundable(order, amount)
        refund_id = f"return-{return_id}"
        refunded = self._refund(order, refund_id, amount)
        return self._record(order.id, refund_id, amount, refunded, f"return {return_id}")

    def _refund(self, order: Order, refund_id: str, amount: int) -> int:
        if not order.payment_intent_id:
            raise InvalidState(f"order {order.id} has no payment to refund")
        refunded = self._ledger.reserve(order.id, refund_id, amount, captured(order))
        try:
            self._payments.refund(order.payment_intent_id, amount, idempotency_key=f"{order.id}-{refund_id}")
        except Exception:
            self._ledger.cancel(order.id, refund_id, amount)
            raise
        return refunded

    def _record(self, order_id: str, refund_id: str, amount: int, refunded: int, detail: str) -> RefundResult:
        now = self._clock()
        for _ in range(ATTEMPTS):
            order = self.get(order_id)
            if any(e.event == "refund_issued" and e.detail.startswith(refund_id) for e in order.timeline):
                break
            noted = replace(
                order.noted(now, "refund_issued", f"{refund_id}: {amount} {order.currency}, {detail}"),
                refunded=max(order.refunded, refunded),
            )
            try:
                self._orders.save(noted, order.version)
            except Conflict:
                continue
            break
        else:
            raise TransientError(f"order {order_id} keeps changing; try again")
        order = self.get(order_id)
        self._events.publish([refund_issued(order, refund_id, amount, refunded, now)])
        logger.info("refund issued", extra={"order_id": order_id, "refund_id": refund_id, "amount": amount})
        return RefundResult(order=order, refund_id=refund_id, amount=amount, refunded=refunded)
