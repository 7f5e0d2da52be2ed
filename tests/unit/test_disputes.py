"""Disputes and money that left outside the shop, applied from Stripe events with in-memory fakes: a dispute
closes back into the status it opened from, a lost one and a refund made in Stripe's dashboard are recorded
once on the order and in the refund ledger, announced, and flagged where they contradict the order."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from commerce.domain.errors import InvalidState
from commerce.domain.notifications import EmailKind, email_kind
from commerce.domain.order import Order, OrderStatus, PaymentOutcome, StockState, TimelineEntry
from commerce.domain.payment_events import StripeEvent
from commerce.domain.refunds import RefundExceedsCaptured, check_cancellable
from commerce.services.outbox import OutboxRelay
from commerce.services.payment_events import Applied, PaymentEvents
from tests.fakes.carts import InMemoryCarts
from tests.fakes.events import InMemoryEvents
from tests.fakes.orders import InMemoryOrders, InMemoryStock, InMemoryWorkflow
from tests.fakes.payments import InMemoryPaymentEventLog, InMemoryPayments
from tests.fakes.refunds import InMemoryRefundLedger

from .order_builders import an_order as unpaid_order

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
DUE_BY = datetime(2026, 12, 21, 23, 59, 59, tzinfo=UTC)


def an_order(status: OrderStatus, total: int = 5000, **changes: Any) -> Order:
    """A paid order (its units sold) in `status`."""
    paid = {"payment_outcome": PaymentOutcome.SUCCEEDED, "stock": StockState.SOLD}
    return unpaid_order(status, total, **{**paid, **changes})


class World:
    def __init__(self, order: Order) -> None:
        self.orders = InMemoryOrders(InMemoryStock(), InMemoryCarts())
        self.orders.orders[order.id] = order
        self.orders.by_payment_intent["pi_1"] = order.id
        self.events = InMemoryEvents()
        self.ledger = InMemoryRefundLedger()
        self.payments = InMemoryPayments()
        self.service = PaymentEvents(
            self.orders,
            InMemoryPaymentEventLog(self.orders),
            InMemoryWorkflow(),
            OutboxRelay(self.orders.outbox, self.events, lambda: NOW),
            self.payments,
            clock=lambda: NOW,
            refund_ledger=self.ledger,
        )
        self.sent = 0

    @property
    def order(self) -> Order:
        return self.orders.orders["ord_1"]

    def stripe(self, kind: str, obj: dict[str, Any], event_id: str | None = None) -> Applied:
        self.sent += 1
        payload = {"id": event_id or f"evt_{self.sent}", "type": kind, "created": 1, "data": {"object": obj}}
        return self.service.handle(StripeEvent.parse(payload))

    def dispute(self, kind: str, status: str, event_id: str | None = None) -> Applied:
        dispute = {
            "id": "dp_1",
            "object": "dispute",
            "charge": "ch_1",
            "payment_intent": "pi_1",
            "amount": 5000,
            "currency": "eur",
            "reason": "product_not_received",
            "status": status,
            "evidence_details": {"due_by": int(DUE_BY.timestamp())},
        }
        return self.stripe(f"charge.dispute.{kind}", dispute, event_id)

    def refunded_at_stripe(self, cumulative: int, event_id: str | None = None) -> Applied:
        charge = {
            "id": "ch_1",
            "object": "charge",
            "payment_intent": "pi_1",
            "currency": "eur",
            "amount_refunded": cumulative,
        }
        return self.stripe("charge.refunded", charge, event_id)


# disputes
@pytest.mark.parametrize("outcome", ["won", "warning_closed"])
def test_a_won_dispute_gives_a_delivered_order_back_its_status_and_never_makes_it_cancellable(
    outcome: str,
) -> None:
    world = World(an_order(OrderStatus.DELIVERED))

    world.dispute("created", "needs_response")
    assert world.order.status is OrderStatus.DISPUTED
    assert world.order.status_before_dispute is OrderStatus.DELIVERED
    world.dispute("closed", outcome)

    assert world.order.status is OrderStatus.DELIVERED
    assert world.order.status_before_dispute is None
    with pytest.raises(InvalidState):
        check_cancellable(world.order)
    assert world.events.types() == ["OrderDisputed", "OrderDisputeClosed"]
    assert world.events.published[-1].data["order_status"] == "delivered"


def test_an_open_dispute_keeps_its_deadline_for_staff() -> None:
    world = World(an_order(OrderStatus.SHIPPED))

    world.dispute("created", "needs_response")

    case = world.order.dispute
    assert case is not None
    assert (case.dispute_id, case.reason, case.amount, case.due_by) == (
        "dp_1",
        "product_not_received",
        5000,
        DUE_BY,
    )
    assert world.events.published[0].data["due_by"] == DUE_BY.isoformat()


def test_a_lost_dispute_is_recorded_as_refunded_by_the_bank_once_and_refunds_nothing_itself() -> None:
    world = World(an_order(OrderStatus.SHIPPED))
    world.dispute("created", "needs_response")

    assert world.dispute("closed", "lost", "evt_lost") is Applied.APPLIED
    assert world.dispute("closed", "lost", "evt_lost") is Applied.DUPLICATE
    assert world.dispute("closed", "lost", "evt_lost_again") is Applied.NO_CHANGE

    assert world.order.status is OrderStatus.SHIPPED
    assert world.order.refunded == 5000
    assert world.order.flags == ("dispute_lost",)
    assert (world.ledger.refunded("ord_1"), world.ledger.refunded_by_bank("ord_1")) == (5000, 5000)
    assert world.payments.refunds == {}
    assert world.events.types() == ["OrderDisputed", "OrderDisputeClosed", "RefundIssued", "OrderFlagged"]
    issued = world.events.published[2].data
    assert (issued["refund_id"], issued["amount"], issued["source"]) == ("dispute-dp_1", 5000, "bank")


def test_after_a_lost_dispute_the_shop_can_refund_nothing_more() -> None:
    world = World(an_order(OrderStatus.DELIVERED))
    world.dispute("created", "needs_response")
    world.dispute("closed", "lost")

    with pytest.raises(RefundExceedsCaptured):
        world.ledger.reserve("ord_1", "goodwill-k", 1, 5000)


def test_a_dispute_lost_on_top_of_a_refund_records_only_what_the_capture_leaves_and_flags_it() -> None:
    world = World(an_order(OrderStatus.DELIVERED))
    world.ledger.reserve("ord_1", "goodwill-k", 2000, 5000)
    world.dispute("created", "needs_response")

    world.dispute("closed", "lost")

    assert world.ledger.refunded("ord_1") == 5000
    assert world.ledger.reserved("ord_1", "dispute-dp_1") == 3000
    assert world.order.refunded == 5000
    assert world.order.flags == ("dispute_lost",)


def test_an_order_disputed_before_it_kept_its_prior_status_closes_back_into_its_last_status() -> None:
    timeline = (
        TimelineEntry(NOW, "order_paid"),
        TimelineEntry(NOW, "fulfillment_started"),
        TimelineEntry(NOW, "order_delivered"),
        TimelineEntry(NOW, "dispute_opened", "fraudulent"),
    )
    world = World(an_order(OrderStatus.DISPUTED, timeline=timeline))

    world.dispute("closed", "won")

    assert world.order.status is OrderStatus.DELIVERED


def test_a_close_for_an_order_not_disputed_changes_nothing() -> None:
    world = World(an_order(OrderStatus.DELIVERED))

    assert world.dispute("closed", "won") is Applied.NO_CHANGE
    assert world.order.status is OrderStatus.DELIVERED


# money that left outside the shop
def test_a_refund_made_in_stripes_dashboard_is_recorded_once_and_later_refunds_stay_possible() -> None:
    world = World(an_order(OrderStatus.DELIVERED))

    assert world.refunded_at_stripe(3000, "evt_a") is Applied.APPLIED
    assert world.refunded_at_stripe(3000, "evt_a") is Applied.DUPLICATE
    assert world.refunded_at_stripe(3000, "evt_b") is Applied.NO_CHANGE

    assert world.order.refunded == 3000 and world.ledger.refunded("ord_1") == 3000
    assert world.order.flags == ()  # a partial refund of a delivered order is a gesture
    assert world.events.types() == ["RefundIssued"]
    assert world.events.published[0].data["source"] == "outside_shop"
    assert world.ledger.reserve("ord_1", "goodwill-1-cent", 1, 5000) == 3001


def test_stripe_reporting_more_than_the_capture_is_recorded_capped_and_flagged() -> None:
    world = World(an_order(OrderStatus.FULFILLING))

    world.refunded_at_stripe(9000)

    assert world.order.refunded == 5000 and world.ledger.refunded("ord_1") == 5000
    assert world.order.flags == ("refund_outside_shop",)
    assert world.events.types() == ["RefundIssued", "OrderFlagged"]
    assert world.events.published[0].data["amount"] == 5000
    details = [e.detail for e in world.order.timeline if e.event == "flagged"]
    assert any("more than the 5000 captured" in d for d in details)


def test_only_the_part_the_shop_did_not_refund_is_recorded_and_announced() -> None:
    world = World(an_order(OrderStatus.DELIVERED))
    world.ledger.reserve("ord_1", "goodwill-k", 1000, 5000)  # the shop's own, announced by the shop
    world.orders.orders["ord_1"] = replace(world.order, refunded=1000)

    assert world.refunded_at_stripe(1000) is Applied.NO_CHANGE
    world.refunded_at_stripe(2500)

    assert world.order.refunded == 2500 and world.ledger.refunded("ord_1") == 2500
    assert world.ledger.reserved("ord_1", "outside-ch_1-2500") == 1500
    assert [(e.type, e.data["amount"]) for e in world.events.published] == [("RefundIssued", 1500)]


def test_a_full_refund_of_an_order_that_is_shipping_is_flagged_for_staff() -> None:
    world = World(an_order(OrderStatus.SHIPPED))

    world.refunded_at_stripe(5000)

    assert world.order.refunded == 5000
    assert world.order.flags == ("refund_outside_shop",)
    assert world.events.types() == ["RefundIssued", "OrderFlagged"]


def test_a_refund_the_shop_made_but_never_put_on_the_order_is_taken_from_stripe_and_flagged() -> None:
    # A cancellation refunded at Stripe, then lost its race with the carrier's scan: the ledger holds it,
    # the order (now shipped) says nothing was refunded.
    world = World(an_order(OrderStatus.SHIPPED))
    world.ledger.reserve("ord_1", "cancel-ord_1", 5000, 5000)

    world.refunded_at_stripe(5000)

    assert world.order.refunded == 5000 == world.ledger.refunded("ord_1")
    assert world.order.flags == ("refund_outside_shop",)
    assert world.events.types() == ["OrderFlagged"]  # the refund is the shop's: no second RefundIssued


def test_a_cancelled_orders_refund_reported_by_stripe_is_recorded_without_a_flag() -> None:
    world = World(an_order(OrderStatus.CANCELLED))

    world.refunded_at_stripe(5000)

    assert world.order.refunded == 5000 and world.order.flags == ()
    assert world.events.types() == ["RefundIssued"]


def test_the_same_cumulative_amount_announces_the_same_event_id() -> None:
    first, second = World(an_order(OrderStatus.PAID)), World(an_order(OrderStatus.PAID))

    first.refunded_at_stripe(2000, "evt_x")
    second.refunded_at_stripe(2000, "evt_y")

    assert first.events.published[0].event_id == second.events.published[0].event_id


def test_the_buyer_gets_no_refund_email_for_money_their_bank_took_back() -> None:
    assert email_kind("RefundIssued", {"source": "bank", "amount": 5000}) is None
    assert email_kind("RefundIssued", {"source": "outside_shop", "amount": 5000}) is EmailKind.REFUND_ISSUED
