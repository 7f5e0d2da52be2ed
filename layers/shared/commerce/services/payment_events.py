"""Applying a verified Stripe event to its order, at most once, whatever order the events arrive in."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from commerce.domain.errors import Conflict
from commerce.domain.events import DomainEvent
from commerce.domain.flags import (
    DISPUTE_LOST,
    PAYMENT_MISMATCH,
    REFUND_OUTSIDE_SHOP,
    flag_events,
    flagged_once,
    is_undone,
)
from commerce.domain.order import PAYMENT_DECLINED, DisputeCase, Order, OrderStatus, PaymentOutcome
from commerce.domain.payment_events import (
    Dispute,
    DuplicateEvent,
    PaymentEventLog,
    PaymentNotice,
    Refund,
    StripeEvent,
    other_intent,
    payment_mismatch,
)
from commerce.domain.ports import OrderRepository, PaymentGateway, RefundLedger, Workflow
from commerce.services.order_workflow import payment_task_output
from commerce.services.outbox import OutboxRelay
from commerce.services.outside_refunds import (
    RECORDED,
    on_order,
    record_in_ledger,
    recorded_on,
    refund_issued,
)

MAX_ATTEMPTS = 5  # an order changes a handful of times at most; more conflicts than this is a bug
_EVENT_IDS = uuid.UUID("0d7f4b9e-93a4-4c7e-8c3b-5a1f0a6e2d41")


class Applied(enum.StrEnum):
    """What became of one provider event."""

    APPLIED = "applied"
    NO_CHANGE = "no_change"  # known event type, but the order is past it (a late or replayed message)
    DUPLICATE = "duplicate"
    UNKNOWN_ORDER = "unknown_order"
    IGNORED = "ignored"  # an event type the shop does not act on
    # A successful payment that does not pay its order (another intent, amount or currency): the order is
    # held or flagged for staff, never paid.
    PAYMENT_MISMATCH = "payment_mismatch"


class PaymentEvents:
    def __init__(
        self,
        orders: OrderRepository,
        log: PaymentEventLog,
        workflow: Workflow,
        relay: OutboxRelay,
        payments: PaymentGateway,
        clock: Callable[[], datetime],
        refund_ledger: RefundLedger | None = None,
    ) -> None:
        self._orders, self._log, self._workflow = orders, log, workflow
        self._relay, self._payments, self._clock = relay, payments, clock
        self._refund_ledger = refund_ledger  # every refund of the order's payment, and their sum

    def handle(self, event: StripeEvent) -> Applied:
        notice = event.payment_notice()
        if notice is not None:
            return self._payment(event, notice)
        refund = event.refund()
        if refund is not None:
            return self._refund(event, refund)
        dispute = event.dispute()
        if dispute is not None:
            return self._dispute(event, dispute)
        return Applied.IGNORED

    # payment intents
    def _payment(self, event: StripeEvent, notice: PaymentNotice) -> Applied:
        order = self._find(event)
        if order is None:
            return Applied.UNKNOWN_ORDER
        mismatch = payment_mismatch(order, notice)
        if mismatch is not None:
            return self._mismatched(event, order, notice, mismatch)
        if other_intent(order, notice):
            # Another intent failed or was canceled: it says nothing about the order's own payment.
            return Applied.NO_CHANGE if self._log.remember(event.id) else Applied.DUPLICATE
        if notice.retryable and order.is_pending and order.payment_outcome is None:
            # Stripe keeps the intent open after a decline: the buyer may pay it with another card until the
            # reservation expires, when the workflow's timeout cancels the order as a failed payment.
            return self._apply(
                event, order, lambda o: o.noted(self._clock(), PAYMENT_DECLINED, notice.failure_code or "")
            )
        risk_level = notice.risk_level or self._risk_level(event, notice)
        result = self._apply(
            event, order, lambda o: o.with_payment_outcome(notice.outcome, self._clock(), risk_level)
        )
        current = self._orders.get(order.id)
        if current is not None:
            self._resume_if_waiting(current)
            self._refund_if_too_late(current, notice)
        return result

    def _mismatched(self, event: StripeEvent, order: Order, notice: PaymentNotice, reason: str) -> Applied:
        """Money came in that does not pay the order. An order still waiting for its payment is held for
        staff (its units stay reserved, its workflow goes to review, never to the sale); any order is
        flagged. Another intent's payment changes no status: the order's own may still come."""
        now = self._clock()
        own_intent = not other_intent(order, notice)

        def held(current: Order) -> Order:
            if own_intent and current.is_pending and current.payment_outcome is None:
                hold = current.held(now, (f"{PAYMENT_MISMATCH}: {reason}",))
                # The payment task is still waiting: its token stays for the answer below.
                token = current.task_token
                current = replace(hold, payment_outcome=PaymentOutcome.MISMATCHED, task_token=token)
            return flagged_once(current, now, PAYMENT_MISMATCH, reason)

        result = self._apply(
            event, order, held, announce_change=lambda before, after: flag_events(before, after, now)
        )
        if result is not Applied.APPLIED:
            return result
        current = self._orders.get(order.id)
        waiting = current is not None and current.payment_outcome is PaymentOutcome.MISMATCHED
        if current is not None and waiting and current.task_token:
            # The workflow waiting on the payment goes to staff review (the state machine's `mismatched`).
            self._workflow.resume(current.task_token, payment_task_output(current))
        return Applied.PAYMENT_MISMATCH

    def _refund_if_too_late(self, order: Order, notice: PaymentNotice) -> None:
        """A payment that succeeds after its order was cancelled (the payment window closed while the buyer
        was paying) is given back. The key is the one the workflow's compensation refunds with, so the two
        paths refund once between them; charge.refunded then records it on the order."""
        if notice.outcome is not PaymentOutcome.SUCCEEDED or order.status is not OrderStatus.CANCELLED:
            return
        if order.refunded < notice.amount:
            self._payments.refund(
                notice.payment_intent_id, notice.amount, idempotency_key=f"refund-order-{order.id}"
            )

    def _risk_level(self, event: StripeEvent, notice: PaymentNotice) -> str | None:
        """Stripe sends the charge as an id in the intent's events; Radar's verdict needs one read."""
        if notice.outcome is not PaymentOutcome.SUCCEEDED or not isinstance(
            event.object.get("latest_charge"), str
        ):
            return None
        return self._payments.retrieve(notice.payment_intent_id).risk_level

    def _resume_if_waiting(self, order: Order) -> None:
        """Hands the answer to the workflow task waiting on the order. When the task has not stored its token
        yet, the answer stays on the order and the task takes it from there when it starts waiting."""
        if not (order.is_pending and order.task_token and order.payment_outcome):
            return
        if order.payment_outcome is PaymentOutcome.SUCCEEDED:
            self._workflow.resume(order.task_token, payment_task_output(order))
        else:
            self._workflow.fail(
                order.task_token,
                "PaymentFailed" if order.payment_outcome is PaymentOutcome.FAILED else "PaymentCanceled",
                f"payment {order.payment_outcome.value}",
            )

    # refunds
    def _refund(self, event: StripeEvent, refund: Refund) -> Applied:
        """Stripe's cumulative `amount_refunded` is the truth of what left: the part the ledger does not hold
        is a refund from outside the shop, recorded (capped at the capture), announced, and flagged where
        the order's status contradicts it (docs/fulfillment.md, "Money that left outside the shop")."""
        order = self._find(event)
        if order is None:
            return Applied.UNKNOWN_ORDER
        if refund.currency != order.currency:
            return self._apply(event, order, lambda current: current)
        now = self._clock()
        captured = order.totals.total.amount
        outside = record_in_ledger(
            self._refund_ledger,
            order,
            f"outside-{refund.charge_id}-{refund.amount_refunded}",
            # Stripe's sum counts the shop's refunds, not what a bank took back in a dispute.
            lambda refunded, by_bank: refund.amount_refunded - (refunded - by_bank),
        )

        def refunded(current: Order) -> Order:
            changed = on_order(current, outside, now, "refunded outside the shop")
            # A refund the shop made but never recorded on the order (a crash, a cancel that lost a race
            # with the carrier) is in the ledger already: Stripe's sum still raises the order's.
            stripe_total = min(refund.amount_refunded + outside.by_bank, captured)
            if changed.refunded < stripe_total:
                changed = replace(
                    changed.noted(
                        now,
                        RECORDED,
                        f"{outside.refund_id}: Stripe has refunded {refund.amount_refunded} "
                        f"{current.currency} in all",
                    ),
                    refunded=stripe_total,
                )
            # Refunded in full while the order still means to ship (or shipped): the money and the status
            # disagree. A partial refund is a gesture, a cancelled order's refund is expected.
            if (
                changed.refunded > current.refunded
                and changed.refunded >= captured
                and not is_undone(current)
            ):
                changed = flagged_once(
                    changed,
                    now,
                    REFUND_OUTSIDE_SHOP,
                    f"refunded in full at Stripe ({changed.refunded - current.refunded} {current.currency} "
                    f"the shop did not record) while the order is {current.status.value}",
                )
            if refund.amount_refunded > captured:
                changed = flagged_once(
                    changed,
                    now,
                    REFUND_OUTSIDE_SHOP,
                    f"Stripe reports {refund.amount_refunded} {current.currency} refunded, more than the "
                    f"{captured} captured",
                )
            return changed

        def announce(before: Order, after: Order) -> list[DomainEvent]:
            issued = [] if recorded_on(before, outside.refund_id) or outside.amount <= 0 else [outside]
            return [
                *(refund_issued(after, r, now, refund.payment_intent_id) for r in issued),
                *flag_events(before, after, now),
            ]

        return self._apply(event, order, refunded, announce_change=announce)

    # disputes
    def _dispute(self, event: StripeEvent, dispute: Dispute) -> Applied:
        order = self._find(event)
        if order is None:
            return Applied.UNKNOWN_ORDER
        now = self._clock()
        lost = (
            record_in_ledger(
                self._refund_ledger,
                order,
                f"dispute-{dispute.dispute_id}",
                lambda refunded, by_bank: dispute.amount or order.totals.total.amount,
                by_bank=True,
            )
            if dispute.lost
            else None
        )

        def moved(current: Order) -> Order:
            if dispute.opened:
                if not current.can_become(OrderStatus.DISPUTED):
                    return current
                case = DisputeCase(dispute.dispute_id, dispute.reason, dispute.amount, dispute.due_by)
                return current.disputed(now, case)
            closed = current
            if current.status is OrderStatus.DISPUTED:
                closed = current.dispute_closed(now, dispute.won, dispute.status)
            if lost is None:
                return closed
            # Lost: the bank gave the money back to the buyer. The order records it as a refund (none of
            # ours follows) and keeps the status it had: a shipped parcel stays shipped.
            closed = on_order(closed, lost, now, f"taken back by the bank ({dispute.status})")
            taken = dispute.amount or current.totals.total.amount
            return flagged_once(
                closed, now, DISPUTE_LOST, f"{taken} {current.currency} lost in dispute {dispute.dispute_id}"
            )

        def announce(before: Order, after: Order) -> list[DomainEvent]:
            kind = "OrderDisputed" if dispute.opened else "OrderDisputeClosed"
            data = {
                "order_id": after.id,
                "dispute_id": dispute.dispute_id,
                "status": dispute.status,
                "reason": dispute.reason,
                "order_status": after.status.value,
                **({"due_by": dispute.due_by.isoformat()} if dispute.due_by else {}),
            }
            events = [self._domain_event(kind, event, data)]
            if lost is not None and lost.amount > 0 and not recorded_on(before, lost.refund_id):
                events.append(refund_issued(after, lost, now, dispute.payment_intent_id))
            return [*events, *flag_events(before, after, now)]

        return self._apply(event, order, moved, announce_change=announce)

    # the at-most-once core
    def _apply(
        self,
        event: StripeEvent,
        order: Order,
        change: Callable[[Order], Order],
        announce: Callable[[Order], list[DomainEvent]] | None = None,
        announce_change: Callable[[Order, Order], list[DomainEvent]] | None = None,
    ) -> Applied:
        """Saves the changed order with the event's record and its domain events (from the changed order, or
        from the order before and after the change) in one transaction, retrying on a concurrent change of
        the order; then delivers the events from the outbox."""
        for _ in range(MAX_ATTEMPTS):
            changed = change(order)
            try:
                if changed is order:
                    return Applied.NO_CHANGE if self._log.remember(event.id) else Applied.DUPLICATE
                events = (
                    announce_change(order, changed)
                    if announce_change
                    else announce(changed)
                    if announce
                    else []
                )
                self._log.apply(event.id, changed, order.version, events)
            except DuplicateEvent:
                # Applied before: a replay changes nothing and publishes nothing. Whatever a crash kept from
                # the bus is in the outbox, which the sweeper publishes with the same event ids.
                return Applied.DUPLICATE
            except Conflict:
                reread = self._orders.get(order.id)
                if reread is None:
                    return Applied.UNKNOWN_ORDER
                order = reread
                continue
            self._relay.deliver(events)
            return Applied.APPLIED
        raise Conflict(f"order {order.id} kept changing while event {event.id} was applied")

    def _find(self, event: StripeEvent) -> Order | None:
        if event.order_id:
            order = self._orders.get(event.order_id)
            if order is not None:
                return order
        if event.payment_intent_id:
            return self._orders.find_by_payment_intent(event.payment_intent_id)
        return None

    def _domain_event(self, kind: str, event: StripeEvent, data: dict[str, Any]) -> DomainEvent:
        # Derived from the provider's event id: a replay announces the same event, which consumers drop.
        event_id = str(uuid.uuid5(_EVENT_IDS, f"{kind}:{event.id}"))
        order_id = data.get("order_id")
        return DomainEvent(
            type=kind,
            occurred_at=self._clock(),
            data=data,
            event_id=event_id,
            correlation_id=str(order_id) if order_id else None,
        )
