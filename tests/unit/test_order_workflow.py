"""The workflow's steps, the sweeper and fraud screening, with in-memory fakes: every step can run twice."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from commerce.domain.errors import DependencyFailed, InvalidState, NotFound
from commerce.domain.order import Order, OrderStatus, PaymentOutcome, StockState
from commerce.services.order_workflow import cancel_reason

from .checkout_world import PAYMENT_TIMEOUT, Shop, request


@pytest.fixture
def shop() -> Shop:
    world = Shop()
    world.stock.receive("RUN-40", "paris", 10, "initial")
    world.stock.receive("SOCK-1", "paris", 10, "initial")
    return world


def place(
    shop: Shop, lines: dict[str, int] | None = None, email: str = "ada@example.com", **kw: str
) -> Order:
    cart_id, token = shop.cart(lines or {"RUN-40": 2})
    return shop.checkout.guest(cart_id, token, request(email, **kw)).order


def paid_by_provider(shop: Shop, order: Order, risk_level: str | None = None) -> Order:
    """What the webhook does: the outcome recorded on the order."""
    assert order.payment_intent_id
    shop.payments.succeed(order.payment_intent_id, risk_level)
    current = shop.orders.get(order.id)
    assert current
    updated = current.with_payment_outcome(PaymentOutcome.SUCCEEDED, shop.clock(), risk_level)
    shop.orders.save(updated, current.version)
    return updated


def sales(shop: Shop) -> list[tuple[str, int]]:
    return [(m["reason"], m["quantity"]) for m in shop.stock.movements if m["reason"] in ("sale", "release")]


def test_confirming_a_paid_order_sells_its_reservation_once_however_often_it_runs(shop: Shop) -> None:
    order = paid_by_provider(shop, place(shop))

    first = shop.order_workflow.confirm(order.id)
    second = shop.order_workflow.confirm(order.id)

    assert first["status"] == second["status"] == "paid"
    assert first["events"] == second["events"]  # same event ids: consumers drop the repeat
    assert first["events"]["order_paid"]["type"] == "OrderPaid"
    assert first["events"]["fulfillment_requested"]["data"]["lines"] == [
        {"sku": "RUN-40", "location": "paris", "quantity": 2}
    ]
    stored = shop.orders.get(order.id)
    assert stored and stored.status is OrderStatus.PAID and stored.stock is StockState.SOLD
    assert shop.stock.on_hand[("RUN-40", "paris")] == 8 and shop.stock.reserved[("RUN-40", "paris")] == 0
    assert sales(shop) == [("sale", 2)]


def test_the_payment_outcome_that_arrives_before_the_workflow_waits_is_handed_over_at_once(
    shop: Shop,
) -> None:
    order = paid_by_provider(shop, place(shop), risk_level="normal")

    shop.order_workflow.await_payment(order.id, "token-1")

    kind, output = shop.workflow_engine.answers["token-1"]
    assert kind == "success"
    assert output["payment_outcome"] == "succeeded" and output["risk_level"] == "normal"


def test_a_failed_payment_that_arrived_first_fails_the_waiting_task(shop: Shop) -> None:
    order = place(shop)
    current = shop.orders.get(order.id)
    assert current
    shop.orders.save(current.with_payment_outcome(PaymentOutcome.FAILED, shop.clock()), current.version)

    shop.order_workflow.await_payment(order.id, "token-1")

    assert shop.workflow_engine.answers["token-1"] == ("failure", "PaymentFailed")


def test_without_an_outcome_the_task_token_is_parked_on_the_order(shop: Shop) -> None:
    order = place(shop)
    shop.order_workflow.await_payment(order.id, "token-1")
    stored = shop.orders.get(order.id)
    assert stored and stored.task_token == "token-1" and shop.workflow_engine.answers == {}


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        ({"lines": {"RUN-40": 6}}, "first_order_over_review_amount"),
        ({"billing_country": "DE"}, "billing_country_differs"),
        ({"risk_level": "elevated"}, "radar_risk_elevated"),
        ({"risk_level": "highest"}, "radar_risk_highest"),
    ],
)
def test_fraud_screening_holds_the_order_and_keeps_its_units_reserved(
    shop: Shop, setup: dict[str, object], reason: str
) -> None:
    lines = setup.get("lines")
    billing = setup.get("billing_country")
    order = place(
        shop,
        lines if isinstance(lines, dict) else None,
        **({"billing_country": str(billing)} if billing else {}),
    )
    risk = setup.get("risk_level")
    paid_by_provider(shop, order, risk if isinstance(risk, str) else None)

    result = shop.order_workflow.confirm(order.id, risk if isinstance(risk, str) else None)

    assert result["status"] == "on_hold" and reason in result["reasons"]
    stored = shop.orders.get(order.id)
    assert stored and stored.status is OrderStatus.ON_HOLD and stored.stock is StockState.RESERVED
    assert sales(shop) == []


def test_a_returning_customer_over_the_review_amount_is_not_held() -> None:
    shop = Shop()
    shop.stock.receive("RUN-40", "paris", 20, "initial")
    shop.stock.receive("SOCK-1", "paris", 10, "initial")
    place(shop, {"SOCK-1": 1})
    shop.clock.advance(timedelta(days=2))
    big = paid_by_provider(shop, place(shop, {"RUN-40": 6}))
    assert shop.order_workflow.confirm(big.id)["status"] == "paid"


def test_more_than_three_orders_from_one_email_in_ten_minutes_are_held(shop: Shop) -> None:
    orders = []
    for _ in range(4):
        orders.append(place(shop, {"SOCK-1": 1}))
        shop.clock.advance(timedelta(minutes=2))
    paid_by_provider(shop, orders[2])
    paid_by_provider(shop, orders[3])
    assert shop.order_workflow.confirm(orders[2].id)["status"] == "paid"  # the third is fine
    assert "many_orders_from_email" in shop.order_workflow.confirm(orders[3].id)["reasons"]


def test_approving_a_held_order_sells_it_and_rejecting_one_refunds_releases_and_cancels(shop: Shop) -> None:
    held = paid_by_provider(shop, place(shop, billing_country="DE"))
    rejected = paid_by_provider(shop, place(shop, {"SOCK-1": 1}, billing_country="DE"))
    shop.order_workflow.confirm(held.id)
    shop.order_workflow.confirm(rejected.id)

    assert shop.order_workflow.approve(held.id)["status"] == "paid"
    assert shop.order_workflow.approve(held.id)["status"] == "paid"
    result = shop.order_workflow.reject(rejected.id)

    assert result["status"] == "cancelled" and result["event"]["data"]["reason"] == "rejected_in_review"
    gone = shop.orders.get(rejected.id)
    assert gone and gone.status is OrderStatus.CANCELLED and gone.refunded == gone.totals.total.amount
    assert list(shop.payments.refunds) == [f"refund-order-{rejected.id}"]
    assert sales(shop) == [("sale", 2), ("release", 1)]


def test_compensation_cancels_the_payment_releases_the_stock_and_cancels_the_order_once(shop: Shop) -> None:
    order = place(shop)
    reason = cancel_reason("States.Timeout")

    first = shop.order_workflow.compensate(order.id, reason)
    second = shop.order_workflow.compensate(order.id, reason)

    assert first == second and first["status"] == "cancelled"
    assert first["event"]["data"] == {"order_id": order.id, "reason": "payment_timeout", "refunded": 0}
    assert order.payment_intent_id and shop.payments.intents[order.payment_intent_id].status == "canceled"
    assert shop.available("RUN-40") == 10 and sales(shop) == [("release", 2)]
    stored = shop.orders.get(order.id)
    assert stored and stored.stock is StockState.RELEASED and stored.task_token is None


def test_a_payment_that_succeeded_after_the_timeout_is_refunded_by_the_compensation(shop: Shop) -> None:
    order = place(shop)
    assert order.payment_intent_id
    shop.payments.succeed(order.payment_intent_id)

    result = shop.order_workflow.compensate(order.id, "payment_timeout")

    assert result["event"]["data"]["refunded"] == order.totals.total.amount
    assert shop.order_workflow.compensate(order.id, "payment_timeout") == result
    assert len(shop.payments.refunds) == 1


def test_compensation_leaves_a_sold_order_alone(shop: Shop) -> None:
    order = paid_by_provider(shop, place(shop))
    shop.order_workflow.confirm(order.id)
    result = shop.order_workflow.compensate(order.id, "workflow_failed")
    assert result["status"] == "paid"
    # Its sale is announced again (a step crashed after it, say), under the same event ids.
    assert result["events"] == shop.order_workflow.confirm(order.id)["events"]
    assert shop.payments.refunds == {}


def test_a_cancelled_order_cannot_be_confirmed(shop: Shop) -> None:
    order = place(shop)
    shop.order_workflow.compensate(order.id, "payment_timeout")
    with pytest.raises(InvalidState):
        shop.order_workflow.confirm(order.id)


def test_the_sweeper_times_out_a_waiting_workflow_and_compensates_an_orphan(shop: Shop) -> None:
    waiting = place(shop)
    shop.order_workflow.await_payment(waiting.id, "token-1")
    orphan = place(shop, {"SOCK-1": 3})  # its workflow never parked a token
    fresh_enough = shop.order_workflow.sweep(shop.clock() + PAYMENT_TIMEOUT)
    assert fresh_enough.timed_out == fresh_enough.cancelled == 0

    report = shop.order_workflow.sweep(shop.clock() + timedelta(hours=1))

    assert (report.timed_out, report.cancelled) == (1, 1)
    assert shop.workflow_engine.answers["token-1"] == ("failure", "PaymentTimeout")
    swept = shop.orders.get(orphan.id)
    assert swept and swept.status is OrderStatus.CANCELLED and swept.cancel_reason == "payment_timeout"
    assert shop.available("SOCK-1") == 10
    assert shop.events.types() == ["OrderCancelled"]


def test_an_expired_order_the_provider_cannot_settle_does_not_hold_up_the_others(shop: Shop) -> None:
    broken = place(shop)
    orphan = place(shop, {"SOCK-1": 3})
    real_retrieve = shop.payments.retrieve

    def retrieve(intent_id: str) -> Any:
        if intent_id == broken.payment_intent_id:
            raise NotFound(f"no such PaymentIntent {intent_id}")
        return real_retrieve(intent_id)

    shop.payments.retrieve = retrieve  # type: ignore[method-assign]
    report = shop.order_workflow.sweep(shop.clock() + timedelta(hours=1))

    assert (report.cancelled, report.failed) == (1, 1)
    swept = shop.orders.get(orphan.id)
    assert swept and swept.status is OrderStatus.CANCELLED
    left = shop.orders.get(broken.id)
    assert left and left.status is OrderStatus.PENDING_PAYMENT  # for the next run


def test_sweeping_again_changes_nothing_twice(shop: Shop) -> None:
    waiting = place(shop)
    shop.order_workflow.await_payment(waiting.id, "token-1")
    later = shop.clock() + timedelta(hours=1)
    shop.order_workflow.sweep(later)

    # The workflow has not compensated yet (the fake does not run it): the token is spent, so the sweeper
    # compensates itself, once.
    again = shop.order_workflow.sweep(later)
    third = shop.order_workflow.sweep(later)

    assert (again.cancelled, third.cancelled, third.skipped) == (1, 0, 0)
    assert sales(shop) == [("release", 2)]
    assert len(shop.events.published) == 1


def test_a_cancellation_whose_publish_never_happened_is_announced_by_the_sweeper_with_its_event_id(
    shop: Shop,
) -> None:
    orphan = place(shop)
    later = shop.clock() + timedelta(hours=1)
    shop.events.fail_next = DependencyFailed("EventBridge is down")  # as a crash right after the commit

    report = shop.order_workflow.sweep(later)

    stored = shop.orders.get(orphan.id)
    assert stored and stored.status is OrderStatus.CANCELLED and report.cancelled == 1
    assert shop.events.published == []
    (left,) = shop.orders.outbox.entries.values()  # written in the transaction that cancelled it
    shop.clock.advance(timedelta(minutes=5))
    assert shop.relay.sweep() == 1
    (event,) = shop.events.published
    assert event.event_id == left.event_id
    assert event.envelope() == shop.order_workflow.compensate(orphan.id, "payment_timeout")["event"]
    assert (event.type, event.data["order_id"], event.data["reason"]) == (
        "OrderCancelled",
        orphan.id,
        "payment_timeout",
    )
    assert shop.relay.sweep() == 0 and shop.orders.outbox.entries == {}


def test_a_compensation_writes_its_cancellation_with_the_release_and_publishes_it_right_after(
    shop: Shop,
) -> None:
    order = place(shop)

    result = shop.order_workflow.compensate(order.id, "payment_failed")

    assert [e.envelope() for e in shop.events.published] == [result["event"]]
    assert shop.orders.outbox.entries == {}  # delivered, so nothing left for the sweeper


def test_an_order_paid_in_time_is_not_swept(shop: Shop) -> None:
    order = paid_by_provider(shop, place(shop))
    shop.order_workflow.confirm(order.id)
    report = shop.order_workflow.sweep(shop.clock() + timedelta(hours=1))
    assert report == type(report)()
    stored = shop.orders.get(order.id)
    assert stored and replace(stored).status is OrderStatus.PAID
