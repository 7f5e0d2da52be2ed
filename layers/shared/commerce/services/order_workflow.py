"""The order workflow's steps (called by the state machine), the payment outcome (called by the webhook),
staff review, and the sweeper. Every step reads the order and acts only if that is still to be done, and
writes under the order's version, so a retried or duplicated step changes nothing twice. A cancellation
writes its OrderCancelled into the outbox in the transaction that cancels the order and releases its units;
the relay publishes it right after, and the sweeper's run whatever a crash left (same event id)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from commerce.domain.channels import DEFAULT_CHANNEL
from commerce.domain.errors import Conflict, InvalidState, NotFound, TransientError
from commerce.domain.events import DomainEvent, order_event
from commerce.domain.fraud import FraudPolicy, screen
from commerce.domain.order import Order, OrderStatus, PaymentOutcome, StockState
from commerce.domain.ports import OrderRepository, PaymentGateway, StockLedger, Workflow
from commerce.services.outbox import OutboxRelay

# A child of the "commerce" logger Powertools configures (POWERTOOLS_SERVICE_NAME): same JSON lines.
logger = logging.getLogger(__name__)

ATTEMPTS = 4
RECENT_ORDERS = 50

# Why an order was cancelled, from the error the state machine caught.
REASONS = {
    "PaymentFailed": "payment_failed",
    "PaymentCanceled": "payment_canceled",
    "PaymentTimeout": "payment_timeout",
    "States.Timeout": "payment_timeout",
    "OrderRejected": "rejected_in_review",
}


def payment_task_output(order: Order) -> dict[str, Any]:
    """What the payment task answers (the webhook sends the same): the outcome and Radar's risk level."""
    outcome = order.payment_outcome or PaymentOutcome.SUCCEEDED
    return {
        "order_id": order.id,
        "payment_outcome": outcome.value,
        "payment_intent_id": order.payment_intent_id,
        "risk_level": order.risk_level,
    }


def cancel_reason(error: str | None) -> str:
    return REASONS.get(error or "", "workflow_failed")


@dataclass(frozen=True, slots=True)
class SweepReport:
    timed_out: int = 0  # waiting workflows told their payment timed out (they compensate)
    cancelled: int = 0  # orders the sweeper compensated itself
    skipped: int = 0
    failed: int = 0  # orders that raised: left for the next run, the others swept all the same


def order_placed(order: Order) -> DomainEvent:
    return order_event(
        "OrderPlaced",
        order.id,
        order.created_at,
        {
            "customer_id": order.customer_id,
            "currency": order.currency,
            "total": order.totals.total.amount,
            "lines": [{"sku": line.sku, "quantity": line.quantity} for line in order.lines],
        },
    )


def order_paid(order: Order, at: datetime) -> DomainEvent:
    return order_event(
        "OrderPaid",
        order.id,
        at,
        {
            "currency": order.currency,
            "total": order.totals.total.amount,
            "payment_intent_id": order.payment_intent_id,
            # analytics: what the sales aggregates count; no personal data
            "channel": order.channel or DEFAULT_CHANNEL,  # inventory: the order's sales channel
            "campaign": order.attribution.get("utm_campaign"),
            "discount": order.totals.discount.amount,
            "customer_id": order.customer_id,
            "lines": [
                {"sku": line.sku, "quantity": line.quantity, "line_total": line.line_total.amount}
                for line in order.lines
            ],
        },
    )


def fulfillment_requested(order: Order, at: datetime) -> DomainEvent:
    lines = [{"sku": r.sku, "location": r.location, "quantity": r.quantity} for r in order.reservations]
    return order_event("FulfillmentRequested", order.id, at, {"lines": lines})


def order_cancelled(order: Order, at: datetime) -> DomainEvent:
    return order_event(
        "OrderCancelled", order.id, at, {"reason": order.cancel_reason, "refunded": order.refunded}
    )


class OrderWorkflow:
    def __init__(
        self,
        orders: OrderRepository,
        ledger: StockLedger,
        payments: PaymentGateway,
        workflow: Workflow,
        relay: OutboxRelay,
        clock: Callable[[], datetime],
        fraud: FraudPolicy,
    ) -> None:
        self._orders = orders
        self._ledger = ledger
        self._payments = payments
        self._workflow = workflow
        self._relay = relay
        self._clock = clock
        self._fraud = fraud

    # state machine steps
    def placed(self, order_id: str) -> dict[str, Any]:
        """The OrderPlaced event for the state machine to publish."""
        return {"event": order_placed(self._order(order_id)).envelope()}

    def await_payment(self, order_id: str, task_token: str) -> None:
        """Parks the task token on the order; if the payment's outcome is already known (the webhook beat
        the workflow here), answers the task with it at once."""
        order = self._order(order_id)
        if order.status is OrderStatus.CANCELLED:
            self._workflow.fail(task_token, "PaymentCanceled", "the order was cancelled meanwhile")
            return
        if not order.is_pending:  # confirmed already: a redelivered step; confirming again changes nothing
            self._workflow.resume(task_token, payment_task_output(order))
            return
        order = self._orders.set_task_token(order_id, task_token)
        if order.payment_outcome is not None:
            self._deliver(order)

    def confirm(self, order_id: str, risk_level: str | None = None) -> dict[str, Any]:
        """Screens a paid order: held for review, or its reservation sold and the order paid."""
        for _ in range(ATTEMPTS):
            order = self._order(order_id)
            if order.status is OrderStatus.PAID:
                return self._paid_result(order)
            if order.status is OrderStatus.ON_HOLD:
                return {"status": order.status.value}
            if not order.is_pending:
                raise InvalidState(f"order {order_id} is {order.status.value}; it cannot be confirmed")
            risk = risk_level or order.risk_level
            recent = self._orders.recent_orders_for_email(order.email, RECENT_ORDERS)
            reasons = screen(order, recent, risk, self._fraud)
            now = self._clock()
            try:
                if reasons:
                    held = replace(order.held(now, reasons), risk_level=risk)
                    self._orders.save(held, order.version)
                    logger.info(
                        "order held for review", extra={"order_id": order_id, "reasons": list(reasons)}
                    )
                    return {"status": held.status.value, "reasons": list(reasons)}
                paid = replace(order.paid(now), risk_level=risk)
                self._ledger.sell(paid, order.version)
                logger.info("order paid", extra={"order_id": order_id})
                return self._paid_result(paid)
            except Conflict:
                continue  # changed meanwhile (the webhook, the sweeper): read it again
        raise TransientError(f"order {order_id} keeps changing; retry")

    def await_review(self, order_id: str, task_token: str) -> None:
        order = self._order(order_id)
        if order.status is not OrderStatus.ON_HOLD:
            raise InvalidState(f"order {order_id} is {order.status.value}, not on hold")
        self._orders.set_task_token(order_id, task_token)

    def approve(self, order_id: str) -> dict[str, Any]:
        """After review: the held order's reservation sold and the order paid."""
        for _ in range(ATTEMPTS):
            order = self._order(order_id)
            if order.status is OrderStatus.PAID:
                return self._paid_result(order)
            paid = order.paid(self._clock())
            try:
                self._ledger.sell(paid, order.version)
                return self._paid_result(paid)
            except Conflict:
                continue
        raise TransientError(f"order {order_id} keeps changing; retry")

    def reject(self, order_id: str) -> dict[str, Any]:
        """After review: refunded, its units given back, cancelled."""
        return self.compensate(order_id, "rejected_in_review")

    def compensate(self, order_id: str, reason: str) -> dict[str, Any]:
        """Undoes an order that will not be paid: its payment cancelled (or refunded, if it went through),
        its units released, the order cancelled. Each part is skipped once done."""
        order = self._order(order_id)
        if order.status is OrderStatus.PAID:
            # Sold: a refund is a return, not a compensation. A step that crashed after the sale lands here,
            # so the sale's events come back for the state machine to announce (same ids: no repeats).
            return self._paid_result(order)
        # Disputed, or on its way (fulfillment statuses, stock sold): a cancellation or a return undoes it.
        if order.status is OrderStatus.DISPUTED or order.stock is StockState.SOLD:
            return {"status": order.status.value}
        if reason == REASONS["PaymentTimeout"] and order.declined:
            reason = REASONS["PaymentFailed"]  # the window for another card closed on a declined one
        refunded = self._settle_payment(order)
        for _ in range(ATTEMPTS):
            order = self._order(order_id)
            if order.status is OrderStatus.CANCELLED:
                return self._cancelled_result(order)
            if not order.can_become(OrderStatus.CANCELLED):
                return {"status": order.status.value}
            cancelled = replace(
                order.cancelled(self._clock(), reason), refunded=max(order.refunded, refunded)
            )
            events = [self._cancelled_event(cancelled)]
            try:
                if order.stock is StockState.RESERVED:
                    self._ledger.release(cancelled, order.version, reason, events)
                else:
                    self._orders.save(cancelled, order.version, events)
            except Conflict:
                continue
            logger.info("order cancelled", extra={"order_id": order_id, "reason": reason})
            self._relay.deliver(events)
            return self._cancelled_result(cancelled)
        raise TransientError(f"order {order_id} keeps changing; retry")

    # the sweeper
    def sweep(self, now: datetime, limit: int = 100) -> SweepReport:
        """Orders still waiting for payment after their reservation expired: their workflow is told the
        payment timed out, or, with no workflow waiting, they are compensated here (the cancellation's
        event goes into the outbox with it)."""
        report = SweepReport()
        for order_id in self._orders.expired_reservations(now, limit):
            try:
                outcome = self._sweep_one(order_id)
            except Exception:  # one order the provider or the table refuses must not hold up the others
                logger.warning("expired order not swept", extra={"order_id": order_id}, exc_info=True)
                outcome = "failed"
            if outcome:
                report = replace(report, **{outcome: getattr(report, outcome) + 1})
        return report

    def _sweep_one(self, order_id: str) -> str | None:
        """What became of one expired order: a SweepReport field's name, or None when nothing moved."""
        order = self._orders.get(order_id)
        if order is None or not order.is_pending:
            return "skipped"
        if order.task_token and self._workflow.fail(
            order.task_token, "PaymentTimeout", "the reservation expired before the payment came"
        ):
            return "timed_out"
        if self.compensate(order_id, "payment_timeout")["status"] == OrderStatus.CANCELLED.value:
            return "cancelled"
        return None

    # plumbing
    def _order(self, order_id: str) -> Order:
        order = self._orders.get(order_id)
        if order is None:
            raise NotFound(f"no order {order_id}")
        return order

    def _deliver(self, order: Order) -> None:
        assert order.task_token and order.payment_outcome
        if order.payment_outcome in (PaymentOutcome.SUCCEEDED, PaymentOutcome.MISMATCHED):
            self._workflow.resume(order.task_token, payment_task_output(order))
        elif order.payment_outcome is PaymentOutcome.FAILED:
            self._workflow.fail(order.task_token, "PaymentFailed", "the payment failed")
        else:
            self._workflow.fail(order.task_token, "PaymentCanceled", "the payment was canceled")

    def _settle_payment(self, order: Order) -> int:
        """Cancels the order's PaymentIntent, or refunds it if it succeeded; the amount refunded."""
        if not order.payment_intent_id:
            return 0
        intent = self._payments.retrieve(order.payment_intent_id)
        if intent.status not in ("succeeded", "canceled"):
            try:
                intent = self._payments.cancel_intent(intent.id)
            except InvalidState:
                intent = self._payments.retrieve(intent.id)  # it succeeded meanwhile
        if intent.status != "succeeded":
            return 0
        amount = order.totals.total.amount
        if order.payment_outcome is PaymentOutcome.MISMATCHED:
            amount = intent.amount  # all the intent took, whatever it was: the order's total it was not
        self._payments.refund(intent.id, amount, idempotency_key=f"refund-order-{order.id}")
        logger.info("payment refunded", extra={"order_id": order.id, "amount": amount})
        return amount if intent.currency == order.currency else 0

    def _paid_result(self, order: Order) -> dict[str, Any]:
        at = next((e.at for e in reversed(order.timeline) if e.event == "order_paid"), self._clock())
        return {
            "status": OrderStatus.PAID.value,
            "events": {
                "order_paid": order_paid(order, at).envelope(),
                "fulfillment_requested": fulfillment_requested(order, at).envelope(),
            },
        }

    def _cancelled_event(self, order: Order) -> DomainEvent:
        at = next((e.at for e in reversed(order.timeline) if e.event == "order_cancelled"), self._clock())
        return order_cancelled(order, at)

    def _cancelled_result(self, order: Order) -> dict[str, Any]:
        return {"status": OrderStatus.CANCELLED.value, "event": self._cancelled_event(order).envelope()}
