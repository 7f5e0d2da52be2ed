"""After the sale: the buyer cancels before shipment, staff refund as a goodwill gesture, returns refunded.

Money leaves only from a committed state. A refund is first committed as pending in the refund ledger (a
conditional write that keeps the sum within what was captured), with the order's own move when there is one
(`cancelling`); then the provider refunds it with an idempotency key derived from the refund id; then one
transaction records it on the order, marks it sent, puts stock back and writes the events into the outbox.
A crash anywhere between is finished by the sweeper (`finish_pending`): no refund lost, none made twice.
docs/order-lifecycle.md and docs/fulfillment.md, "Cancellations and refunds".
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from commerce.domain.errors import (
    CommerceError,
    Conflict,
    DependencyFailed,
    InvalidState,
    NotFound,
    Throttled,
    TransientError,
    ValidationFailed,
)
from commerce.domain.events import DomainEvent
from commerce.domain.fulfillment import ShipmentStatus, order_status
from commerce.domain.lifecycle import Actor
from commerce.domain.money import Money
from commerce.domain.order import Order, OrderStatus, StockState
from commerce.domain.permissions import Authority
from commerce.domain.ports import (
    Carrier,
    CarrierBooking,
    OrderRepository,
    PaymentGateway,
    PendingRefunds,
    Period,
    RefundLedger,
    Shipments,
    Workflow,
)
from commerce.domain.refunds import (
    CANCELLED_BY_CUSTOMER,
    CANCELLED_BY_STAFF,
    AlreadyShipped,
    PendingRefund,
    RefundCompletion,
    RefundExceedsCaptured,
    captured,
    check_cancellable,
    check_refundable,
)
from commerce.services.order_workflow import order_cancelled
from commerce.services.outbox import OutboxRelay

logger = logging.getLogger(__name__)

ATTEMPTS = 5
PENDING_GRACE = timedelta(minutes=2)  # longer than any request takes: a younger one may still be running
_REFUND_EVENTS = uuid.UUID("a4f0f7f5-41b9-4c55-9d0e-2a6a1de7c3b2")
_NOT_FOUND = "no such order"
_WORTH_RETRYING = (DependencyFailed, Throttled, TransientError)
_CARRIER_HAS_IT = "the carrier has a parcel already"


@dataclass(frozen=True, slots=True)
class RefundResult:
    order: Order
    refund_id: str
    amount: int
    refunded: int  # the order's refunds so far, this one included


@dataclass(frozen=True, slots=True)
class PendingReport:
    """What a sweeper run finished: cancels completed or withdrawn, refunds completed, and failures."""

    cancelled: int = 0
    withdrawn: int = 0
    refunded: int = 0
    failed: int = 0


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


def _reason(by: Actor) -> str:
    return CANCELLED_BY_STAFF if by is Actor.STAFF else CANCELLED_BY_CUSTOMER


def _cancelled_before_shipment(order: Order) -> bool:
    """Cancelled by its buyer or by staff: a cancel asked again (a retry, or the other one's, lost in a race)
    answers it again; an order the shop cancelled for another reason (never paid) is refused."""
    return order.status is OrderStatus.CANCELLED and order.cancel_reason in (
        CANCELLED_BY_CUSTOMER,
        CANCELLED_BY_STAFF,
    )


class AfterSales:
    def __init__(
        self,
        orders: OrderRepository,
        ledger: RefundLedger,
        refunds: PendingRefunds,
        payments: PaymentGateway,
        relay: OutboxRelay,
        clock: Callable[[], datetime],
        shipments: Shipments | None = None,
        fulfillment_workflow: Workflow | None = None,
        carrier: Carrier | None = None,
    ) -> None:
        self._orders, self._ledger, self._refunds = orders, ledger, refunds
        self._payments, self._relay, self._clock = payments, relay, clock
        self._shipments, self._fulfillment_workflow, self._carrier = shipments, fulfillment_workflow, carrier

    def get(self, order_id: str) -> Order:
        order = self._orders.get(order_id)
        if order is None:
            raise NotFound(_NOT_FOUND)
        return order

    # cancelling: committed first, then the carrier, then the money
    def cancel(self, order: Order, by: Actor = Actor.BUYER, detail: str = "") -> Order:
        """Commits `cancelling` with the refund pending, voids the carrier bookings, refunds, then cancels
        with the units back on hand and `OrderCancelled` + `RefundIssued` in the outbox. AlreadyShipped (409,
        nothing refunded) when a parcel left or the carrier refuses a void. Asking again answers the same.
        `by` is the buyer or staff (`cancelled_by_staff`, with `detail` saying who and why)."""
        current = self.get(order.id)
        if current.status is not OrderStatus.CANCELLING:
            current = self._begin_cancel(current, by, detail)
        if current.status is OrderStatus.CANCELLED:
            return current
        return self._finish_cancel(current, by)

    def _begin_cancel(self, order: Order, by: Actor, detail: str) -> Order:
        """The order `cancelling` (or cancelled before shipment already: the same answer again)."""
        reason = _reason(by)
        for _ in range(ATTEMPTS):
            if order.status is OrderStatus.CANCELLING or _cancelled_before_shipment(order):
                return order
            check_cancellable(order)
            amount = captured(order) - self._ledger.refunded(order.id)
            why = f"cancelled: {detail}" if detail else "cancelled"
            refund = self._pending(order, f"cancel-{order.id}", amount, why) if amount > 0 else None
            cancelling = order.cancelling(self._clock(), reason, by, detail)
            try:
                self._refunds.begin(refund, captured(order), cancelling, order.version)
            except Conflict:  # the order moved (a scan, a fulfillment) or another refund took the amount
                order = self.get(order.id)
                continue
            logger.info("cancel committed", extra={"order_id": order.id, "refund": amount})
            return cancelling
        raise TransientError(f"order {order.id} keeps changing; try again")

    def _finish_cancel(self, order: Order, by: Actor) -> Order:
        refund_id = f"cancel-{order.id}"
        try:
            self._void_bookings(order.id)
        except AlreadyShipped:
            self._withdraw(order.id, by)
            raise AlreadyShipped(
                f"order {order.id}: {_CARRIER_HAS_IT}; nothing was refunded, ask for a return instead",
                reason="carrier_has_parcel",
            ) from None
        refund = self._refunds.get(order.id, refund_id)
        if refund is not None:
            self._send(refund, give_back_on_refusal=False)
        for _ in range(ATTEMPTS):
            current = self.get(order.id)
            if current.status is not OrderStatus.CANCELLING:
                break  # finished by another run (or withdrawn: the answer below says which)
            now = self._clock()
            cancelled = replace(
                current.cancelled(now, current.cancel_reason or CANCELLED_BY_CUSTOMER, by),
                refunded=max(current.refunded, self._ledger.refunded(order.id)),
            )
            events = [order_cancelled(cancelled, now)]
            if refund is not None:
                events.append(
                    refund_issued(
                        cancelled, refund_id, refund.amount, cancelled.refunded, now, with_cancellation=True
                    )
                )
            try:
                restock = current.stock is StockState.SOLD
                self._refunds.finish(RefundCompletion(refund, cancelled, current.version, events, restock))
            except Conflict:
                refund = self._refunds.get(order.id, refund_id)
                continue
            self._relay.deliver(events)
            logger.info("order cancelled", extra={"order_id": order.id, "refunded": cancelled.refunded})
            break
        else:
            raise TransientError(f"order {order.id} keeps changing; try again")
        final = self.get(order.id)
        if final.status is not OrderStatus.CANCELLED:
            raise InvalidState(f"order {order.id} is {final.status.value}", current_status=final.status.value)
        self._stop_fulfillment(order.id)
        return final

    def _void_bookings(self, order_id: str) -> None:
        """Asks the carrier to void every booking; AlreadyShipped if one has left (here or at the carrier)."""
        if self._shipments is None:
            return
        for shipment in self._shipments.for_order(order_id):
            if shipment.status is not ShipmentStatus.LABEL_CREATED:
                raise AlreadyShipped(f"shipment {shipment.id} is {shipment.status.value}")
            if self._carrier is not None:
                self._carrier.void(CarrierBooking(shipment.tracking_number, shipment.tracking_url))

    def _withdraw(self, order_id: str, by: Actor) -> None:
        """Back from `cancelling` to what the shipments say, the pending refund given back: the carrier has
        the parcel, nothing was refunded (the refund is only asked for once every booking is voided)."""
        for _ in range(ATTEMPTS):
            current = self.get(order_id)
            if current.status is not OrderStatus.CANCELLING:
                return
            shipments = self._shipments.for_order(order_id) if self._shipments else []
            back = order_status(shipments) if shipments else OrderStatus.PAID
            withdrawn = current.cancel_withdrawn(self._clock(), back, _CARRIER_HAS_IT, by)
            try:
                self._refunds.abandon(
                    self._refunds.get(order_id, f"cancel-{order_id}"), withdrawn, current.version
                )
            except Conflict:
                continue
            logger.warning("cancel withdrawn", extra={"order_id": order_id, "status": back.value})
            return
        raise TransientError(f"order {order_id} keeps changing; try again")

    def _stop_fulfillment(self, order_id: str) -> None:
        """Ends the order's fulfillment execution, if one waits (it succeeds as cancelled, no alarm)."""
        if self._shipments is None or self._fulfillment_workflow is None:
            return
        for milestone in ("shipped", "delivered"):
            token = self._shipments.token(order_id, milestone)
            if token:
                self._fulfillment_workflow.fail(
                    token, "OrderCancelled", "the order was cancelled before shipment"
                )

    # staff refund without a return (goodwill), and a received return's refund
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

        def begin() -> None:
            already = self._ledger.refunded(order.id)
            remaining = captured(order) - already
            if amount is None and remaining <= 0:
                raise RefundExceedsCaptured(f"order {order.id} has been refunded in full already")
            wanted = remaining if amount is None else amount
            authority.require_refund(Money(already + wanted, order.currency))
            check_refundable(order, wanted)
            detail = f"goodwill by {staff}: {reason}"
            self._refunds.begin(self._pending(order, refund_id, wanted, detail), captured(order), None, 0)

        return self._refund_once(order, refund_id, begin)

    def require_refund_authority(self, order: Order, amount: int, authority: Authority) -> None:
        """Refuses (403) a refund that would take the order's refunds past what `authority` allows."""
        authority.require_refund(Money(self._ledger.refunded(order.id) + amount, order.currency))

    def refund_return(self, order_id: str, return_id: str, amount: int) -> RefundResult:
        """The refund of a received return."""
        order = self.get(order_id)
        refund_id = f"return-{return_id}"

        def begin() -> None:
            check_refundable(order, amount)
            pending = self._pending(order, refund_id, amount, f"return {return_id}")
            self._refunds.begin(pending, captured(order), None, 0)

        return self._refund_once(order, refund_id, begin)

    def _refund_once(self, order: Order, refund_id: str, begin: Callable[[], None]) -> RefundResult:
        """The refund named `refund_id`: `begin` starts it unless it was started (or reserved) before, so the
        same name again refunds nothing more and answers the same."""
        if self._refunds.get(order.id, refund_id) is None:
            done = self._ledger.reserved(order.id, refund_id)
            if done is not None:
                return RefundResult(order, refund_id, done, self._ledger.refunded(order.id))
            begin()
        return self._complete(order.id, refund_id)

    def _pending(self, order: Order, refund_id: str, amount: int, detail: str) -> PendingRefund:
        if not order.payment_intent_id:
            raise InvalidState(
                f"order {order.id} has no payment to refund", current_status=order.status.value
            )
        return PendingRefund(order.id, refund_id, amount, order.payment_intent_id, self._clock(), detail)

    def _complete(self, order_id: str, refund_id: str) -> RefundResult:
        """Sends a pending refund to the provider, then records it: order, ledger and event in one write."""
        refund = self._refunds.get(order_id, refund_id)
        if refund is not None:
            self._send(refund, give_back_on_refusal=True)
        for _ in range(ATTEMPTS):
            if refund is None:
                break  # recorded by another run
            order = self.get(order_id)
            now = self._clock()
            noted = replace(
                order.noted(
                    now, "refund_issued", f"{refund_id}: {refund.amount} {order.currency}, {refund.detail}"
                ),
                refunded=max(order.refunded, self._ledger.refunded(order_id)),
            )
            event = refund_issued(noted, refund_id, refund.amount, noted.refunded, now)
            try:
                self._refunds.finish(RefundCompletion(refund, noted, order.version, [event]))
            except Conflict:
                refund = self._refunds.get(order_id, refund_id)
                continue
            self._relay.deliver([event])
            logger.info("refund issued", extra={"order_id": order_id, "refund_id": refund_id})
            break
        else:
            raise TransientError(f"order {order_id} keeps changing; try again")
        amount = self._ledger.reserved(order_id, refund_id) or 0
        return RefundResult(self.get(order_id), refund_id, amount, self._ledger.refunded(order_id))

    def _send(self, refund: PendingRefund, give_back_on_refusal: bool) -> None:
        """The provider refunds (its idempotency key makes a repeat the same refund). A refusal for good gives
        the reservation back when nothing else hangs on it; anything else leaves it for the sweeper."""
        try:
            self._payments.refund(
                refund.payment_intent_id, refund.amount, idempotency_key=refund.idempotency_key
            )
        except _WORTH_RETRYING:
            raise
        except CommerceError:
            if give_back_on_refusal:
                self._refunds.abandon(refund, None, 0)
            raise

    # the sweeper: what a crash left between the commit and the money, or the money and the record
    def finish_pending(
        self, now: datetime, grace: timedelta = PENDING_GRACE, limit: int = 50
    ) -> PendingReport:
        report = PendingReport()
        before = now - grace
        for order in self._orders.list_by_status(OrderStatus.CANCELLING, Period(), limit, None).items:
            started = next((e.at for e in reversed(order.timeline) if e.event == "cancel_requested"), before)
            if started > before:
                continue
            try:
                self._finish_cancel(order, Actor.SWEEPER)
                report = replace(report, cancelled=report.cancelled + 1)
            except AlreadyShipped:
                report = replace(report, withdrawn=report.withdrawn + 1)
            except Exception:  # one order's trouble must not stop the others; the next run tries again
                logger.exception("a pending cancel could not be finished", extra={"order_id": order.id})
                report = replace(report, failed=report.failed + 1)
        for refund in self._refunds.pending(before, limit):
            if refund.refund_id == f"cancel-{refund.order_id}":
                continue  # finished with its order above
            try:
                self._complete(refund.order_id, refund.refund_id)
                report = replace(report, refunded=report.refunded + 1)
            except Exception:  # as above
                logger.exception(
                    "a pending refund could not be finished", extra={"order_id": refund.order_id}
                )
                report = replace(report, failed=report.failed + 1)
        return report
