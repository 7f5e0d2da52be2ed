"""Cancellation before shipment and goodwill refunds, with in-memory fakes."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from commerce.adapters.memory_notifications import InMemoryRefundLedger, InMemoryRestock
from commerce.adapters.memory_returns import InMemoryReturns
from commerce.domain.errors import Forbidden
from commerce.domain.order import Order, OrderStatus, StockState
from commerce.domain.permissions import DEFAULT_ROLES, roles_from
from commerce.domain.refunds import AlreadyShipped, RefundExceedsCaptured
from commerce.domain.returns import Return, ReturnLine, ReturnStatus
from commerce.services.after_sales import AfterSales
from commerce.services.returns import Returns

from .checkout_world import Shop
from .test_order_workflow import paid_by_provider, place

ROLES = roles_from(DEFAULT_ROLES)
ADMIN = ROLES.authority({"admin"})


class World:
    def __init__(self) -> None:
        self.shop = Shop()
        self.shop.stock.receive("RUN-40", "paris", 10, "initial")
        self.ledger = InMemoryRefundLedger()
        self.after_sales = AfterSales(
            orders=self.shop.orders,
            ledger=self.ledger,
            restock=InMemoryRestock(self.shop.orders, self.shop.stock),
            payments=self.shop.payments,
            events=self.shop.events,
            clock=self.shop.clock,
        )

    def paid(self, quantity: int = 2) -> Order:
        order = place(self.shop, {"RUN-40": quantity})
        paid_by_provider(self.shop, order)
        assert self.shop.order_workflow.confirm(order.id)["status"] == "paid"
        current = self.shop.orders.get(order.id)
        assert current is not None
        return current

    def moved(self, order: Order, status: OrderStatus) -> Order:
        moved = replace(order, status=status, version=order.version + 1)
        self.shop.orders.save(moved, order.version)
        return moved


@pytest.fixture
def world() -> World:
    return World()


def test_cancelling_a_paid_order_refunds_it_in_full_puts_the_units_back_and_announces_it(
    world: World,
) -> None:
    order = world.paid(quantity=2)
    assert world.shop.available("RUN-40") == 8

    cancelled = world.after_sales.cancel(order)

    assert cancelled.status is OrderStatus.CANCELLED and cancelled.stock is StockState.RELEASED
    assert cancelled.refunded == order.totals.total.amount
    assert list(world.shop.payments.refunds.values()) == [
        (order.payment_intent_id, order.totals.total.amount)
    ]
    assert world.shop.available("RUN-40") == 10
    assert world.shop.events.types()[-2:] == ["OrderCancelled", "RefundIssued"]


def test_cancelling_twice_refunds_once(world: World) -> None:
    order = world.paid()
    world.after_sales.cancel(order)
    again = world.after_sales.cancel(world.after_sales.get(order.id))

    assert again.status is OrderStatus.CANCELLED
    assert len(world.shop.payments.refunds) == 1
    assert world.shop.available("RUN-40") == 10


@pytest.mark.parametrize(
    "status", [OrderStatus.PARTIALLY_SHIPPED, OrderStatus.SHIPPED, OrderStatus.DELIVERED]
)
def test_an_order_that_shipped_cannot_be_cancelled_and_the_refusal_says_why(
    world: World, status: OrderStatus
) -> None:
    order = world.moved(world.paid(), status)

    with pytest.raises(AlreadyShipped) as refused:
        world.after_sales.cancel(order)

    assert refused.value.status == 409 and refused.value.extensions["reason"] == status.value
    assert world.shop.payments.refunds == {}


def test_a_goodwill_refund_is_partial_and_a_second_with_the_same_key_refunds_nothing_more(
    world: World,
) -> None:
    order = world.paid()
    first = world.after_sales.goodwill_refund(order.id, 500, "key-1", "late parcel", "admin", authority=ADMIN)
    again = world.after_sales.goodwill_refund(order.id, 500, "key-1", "late parcel", "admin", authority=ADMIN)

    assert first.refunded == again.refunded == 500
    assert len(world.shop.payments.refunds) == 1
    assert world.after_sales.get(order.id).refunded == 500


def test_refunds_never_add_up_to_more_than_was_captured(world: World) -> None:
    order = world.paid()
    total = order.totals.total.amount
    world.after_sales.goodwill_refund(order.id, total - 100, "a", "goodwill", "admin", authority=ADMIN)

    with pytest.raises(RefundExceedsCaptured):
        world.after_sales.goodwill_refund(order.id, 101, "b", "goodwill", "admin", authority=ADMIN)
    world.after_sales.goodwill_refund(order.id, None, "c", "the rest", "admin", authority=ADMIN)

    assert world.ledger.refunded(order.id) == total


def test_concurrent_refunds_of_sixty_percent_each_let_exactly_one_through(world: World) -> None:
    order = world.paid()
    share = order.totals.total.amount * 6 // 10
    outcomes: list[str] = []

    def refund(key: str) -> None:
        try:
            world.after_sales.goodwill_refund(order.id, share, key, "race", "admin", authority=ADMIN)
            outcomes.append("refunded")
        except RefundExceedsCaptured:
            outcomes.append("refused")

    threads = [threading.Thread(target=refund, args=(f"k{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refunded"] + ["refused"] * 7
    assert world.ledger.refunded(order.id) == share


def test_a_cancellation_retried_after_a_crash_between_reserving_and_refunding_refunds_once(
    world: World,
) -> None:
    order = world.paid()
    world.ledger.reserve(order.id, f"cancel-{order.id}", order.totals.total.amount, order.totals.total.amount)

    cancelled = world.after_sales.cancel(order)  # the retry finds the reservation and finishes the job

    assert cancelled.status is OrderStatus.CANCELLED
    assert list(world.shop.payments.refunds.values()) == [
        (order.payment_intent_id, order.totals.total.amount)
    ]
    assert world.ledger.refunded(order.id) == order.totals.total.amount


def test_a_full_goodwill_refund_retried_with_its_key_answers_the_same(world: World) -> None:
    order = world.paid()
    first = world.after_sales.goodwill_refund(order.id, None, "all", "sorry", "admin", authority=ADMIN)
    again = world.after_sales.goodwill_refund(order.id, None, "all", "sorry", "admin", authority=ADMIN)

    assert first.amount == again.amount == order.totals.total.amount
    assert len(world.shop.payments.refunds) == 1


def _support_limit(order: Order) -> int:
    return ROLES.authority({"support"}).refund_limits[order.currency]


def test_support_refunds_up_to_its_limit_and_is_refused_above_it_before_any_money_moves(world: World) -> None:
    order = world.paid(quantity=2)
    support = ROLES.authority({"support"})
    limit = _support_limit(order)
    assert order.totals.total.amount > limit + 1, "the order must be worth more than support may refund"

    world.after_sales.goodwill_refund(order.id, limit, "small", "sorry", "support-1", authority=support)
    with pytest.raises(Forbidden) as refused:
        world.after_sales.goodwill_refund(order.id, 1, "one-more", "sorry", "support-1", authority=support)

    assert refused.value.status == 403 and "refunds:any" in refused.value.detail
    assert world.ledger.refunded(order.id) == limit
    assert len(world.shop.payments.refunds) == 1


def test_a_refund_above_the_support_limit_goes_through_for_an_admin(world: World) -> None:
    order = world.paid(quantity=2)
    above = _support_limit(order) + 1

    with pytest.raises(Forbidden):
        world.after_sales.goodwill_refund(
            order.id, above, "k", "x", "s", authority=ROLES.authority({"support"})
        )
    refunded = world.after_sales.goodwill_refund(order.id, above, "k", "x", "a", authority=ADMIN)

    assert refunded.amount == above


def test_whoever_lacks_the_refunds_permission_refunds_nothing(world: World) -> None:
    order = world.paid()
    for groups in ({"customer"}, set(), {"support,admin"}):
        with pytest.raises(Forbidden):
            world.after_sales.goodwill_refund(order.id, 1, "k", "x", "s", authority=ROLES.authority(groups))
    assert world.shop.payments.refunds == {}


def test_receiving_a_return_whose_refund_passes_the_receivers_limit_is_refused_before_it_is_received(
    world: World,
) -> None:
    order = world.paid(quantity=2)
    store = InMemoryReturns()
    returns = Returns(store, world.after_sales, world.shop.events, world.shop.clock)
    line = ReturnLine("RUN-40", 2, order.totals.total.amount)
    store.add(Return("ret-1", order.id, (line,), "too small", world.shop.clock()))
    warehouse = roles_from(
        {"warehouse": {"permissions": ["orders:manage", "refunds"], "refund_limits": {order.currency: 1000}}}
    ).authority({"warehouse"})

    with pytest.raises(Forbidden):
        returns.receive("ret-1", "paris", None, "clerk-1", authority=warehouse)
    assert store.returns["ret-1"].status is ReturnStatus.REQUESTED
    assert world.shop.payments.refunds == {}

    received = returns.receive("ret-1", "paris", 1000, "clerk-1", authority=warehouse)

    assert (received.status, received.refunded) == (ReturnStatus.REFUNDED, 1000)
