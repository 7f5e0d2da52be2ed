"""The orders adapter against moto: one transaction per change, conditions that make retries harmless."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from commerce.adapters.dynamodb.carts import DynamoCarts
from commerce.adapters.dynamodb.orders import DynamoOrders
from commerce.adapters.dynamodb.outbox import DynamoOutbox
from commerce.adapters.dynamodb.stock import DynamoStock
from commerce.domain.cart import Cart
from commerce.domain.errors import Conflict, OutOfStock
from commerce.domain.money import Money
from commerce.domain.order import Order, OrderStatus, StockState
from commerce.domain.order_lines import OrderLine, OrderTotals
from commerce.domain.ports import Period
from commerce.services.order_workflow import order_cancelled

from .conftest import Stack, table_world

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


ORDER_ADAPTERS: dict[str, Callable[[Any, str], Any]] = {
    "orders": lambda client, table: DynamoOrders(client, table, clock=lambda: NOW),
    "stock": DynamoStock,
    "carts": DynamoCarts,
}


@pytest.fixture(scope="module")
def world(stack: Stack) -> dict[str, Any]:
    return table_world(**ORDER_ADAPTERS)


def _sku(world: dict[str, Any], **at: int) -> str:
    sku = f"T-{uuid.uuid4().hex[:8].upper()}"
    for location, units in at.items():
        world["stock"].receive(sku, location, units, "test")
    return sku


def _cart(world: dict[str, Any], lines: dict[str, int]) -> Cart:
    cart = Cart(
        id=str(uuid.uuid4()), token_hash="h", currency="EUR", created_at=NOW, updated_at=NOW, lines=lines
    )
    world["carts"].add(cart, int((NOW + timedelta(days=30)).timestamp()))
    return cart


def _order(lines: dict[str, int], customer: str | None = None, email: str = "ada@example.com") -> Order:
    money = Money(1000, "EUR")
    return Order(
        id=str(uuid.uuid4()),
        status=OrderStatus.PENDING_PAYMENT,
        currency="EUR",
        lines=tuple(
            OrderLine(sku, sku, q, money, money * q, Money(200 * q, "EUR")) for sku, q in lines.items()
        ),
        totals=OrderTotals(money, Money(200, "EUR"), Money(0, "EUR"), Money(0, "EUR"), Money(1200, "EUR")),
        email=email,
        shipping_address={"country": "FR", "city": "Paris"},
        billing_address={"country": "FR", "city": "Paris"},
        created_at=NOW,
        reservations=(),
        reservation_expires_at=NOW + timedelta(minutes=20),
        order_token_hash="x",
        customer_id=customer,
    )


def _level(world: dict[str, Any], sku: str, location: str) -> tuple[int, int]:
    item = world["client"].get_item(
        TableName=world["table"], Key={"PK": {"S": f"SKU#{sku}"}, "SK": {"S": f"STOCK#{location}"}}
    )["Item"]
    return int(item["on_hand"]["N"]), int(item.get("reserved", {"N": "0"})["N"])


def _movements(world: dict[str, Any], sku: str) -> list[str]:
    items = world["client"].query(
        TableName=world["table"],
        KeyConditionExpression="PK = :pk AND begins_with(SK, :m)",
        ExpressionAttributeValues={":pk": {"S": f"SKU#{sku}"}, ":m": {"S": "MOVE#"}},
    )["Items"]
    return sorted(i["reason"]["S"] for i in items)


def test_placing_reserves_from_the_fullest_location_and_deletes_the_cart(world: dict[str, Any]) -> None:
    sku = _sku(world, paris=2, berlin=5)
    cart = _cart(world, {sku: 3})
    placed = world["orders"].place(_order({sku: 3}, customer="sub-9"), cart)

    assert [(r.location, r.quantity) for r in placed.reservations] == [("berlin", 3)]
    assert _level(world, sku, "berlin") == (5, 3)
    assert world["carts"].get(cart.id) is None
    assert world["orders"].get(placed.id) == placed
    assert _movements(world, sku) == ["receipt", "receipt", "reservation"]


def test_short_stock_names_the_sku_and_changes_nothing(world: dict[str, Any]) -> None:
    short, fine = _sku(world, paris=1, berlin=1), _sku(world, paris=9)
    cart = _cart(world, {short: 3, fine: 1})
    with pytest.raises(OutOfStock) as refused:
        world["orders"].place(_order({short: 3, fine: 1}), cart)
    assert refused.value.extensions["unavailable"] == [{"sku": short, "requested": 3, "available": 2}]
    assert _level(world, fine, "paris") == (9, 0)
    assert world["carts"].get(cart.id) is not None


def test_a_cart_changed_since_it_was_read_checks_out_nothing(world: dict[str, Any]) -> None:
    sku = _sku(world, paris=5)
    cart = _cart(world, {sku: 1})
    with pytest.raises(Conflict):
        world["orders"].place(_order({sku: 1}), replace(cart, version=cart.version + 1))
    assert _level(world, sku, "paris") == (5, 0)


def test_a_checkout_that_lost_the_race_reads_again_and_reserves_what_is_left(world: dict[str, Any]) -> None:
    sku = _sku(world, paris=3)
    orders: DynamoOrders = world["orders"]
    levels = orders._levels  # a stale read replayed, to lose the race on purpose
    stale = levels([sku])
    calls = {"n": 0}

    def first_stale(skus: list[str]) -> dict[str, dict[str, tuple[int, int]]]:
        calls["n"] += 1
        return stale if calls["n"] == 1 else levels(skus)

    orders.place(_order({sku: 2}), _cart(world, {sku: 2}))
    orders._levels = first_stale  # type: ignore[method-assign]
    try:
        with pytest.raises(OutOfStock) as refused:
            orders.place(_order({sku: 2}), _cart(world, {sku: 2}))
    finally:
        del orders._levels
    assert calls["n"] == 2
    assert refused.value.extensions["unavailable"] == [{"sku": sku, "requested": 2, "available": 1}]
    assert _level(world, sku, "paris") == (3, 2)


def test_selling_and_releasing_happen_once_whatever_the_retries(world: dict[str, Any]) -> None:
    sold_sku, released_sku = _sku(world, paris=4), _sku(world, paris=4)
    orders: DynamoOrders = world["orders"]
    sold = orders.place(_order({sold_sku: 2}), _cart(world, {sold_sku: 2}))
    released = orders.place(_order({released_sku: 1}), _cart(world, {released_sku: 1}))

    orders.sell(sold.paid(NOW), sold.version)
    with pytest.raises(Conflict):
        orders.sell(sold.paid(NOW), sold.version)
    orders.release(released.cancelled(NOW, "payment_timeout"), released.version, "payment_timeout")
    with pytest.raises(Conflict):
        orders.release(released.cancelled(NOW, "payment_timeout"), released.version, "payment_timeout")

    assert _level(world, sold_sku, "paris") == (2, 0)
    assert _level(world, released_sku, "paris") == (4, 0)
    assert _movements(world, sold_sku) == ["receipt", "reservation", "sale"]
    assert _movements(world, released_sku) == ["receipt", "release", "reservation"]
    stored = orders.get(sold.id)
    assert stored and stored.status is OrderStatus.PAID and stored.stock is StockState.SOLD


def test_the_sweeper_finds_only_expired_pending_orders(world: dict[str, Any]) -> None:
    sku = _sku(world, paris=10)
    orders: DynamoOrders = world["orders"]
    expired = orders.place(_order({sku: 1}), _cart(world, {sku: 1}))
    settled = orders.place(_order({sku: 1}), _cart(world, {sku: 1}))
    orders.release(settled.cancelled(NOW, "x"), settled.version, "x")

    found = orders.expired_reservations(NOW + timedelta(hours=1), 1000)
    assert expired.id in found and settled.id not in found
    assert expired.id not in orders.expired_reservations(NOW + timedelta(minutes=5), 1000)


def test_a_release_writes_its_events_into_the_outbox_with_it_and_a_refused_one_writes_none(
    world: dict[str, Any],
) -> None:
    sku = _sku(world, paris=10)
    orders: DynamoOrders = world["orders"]
    outbox = DynamoOutbox(world["client"], world["table"])
    placed = orders.place(_order({sku: 1}), _cart(world, {sku: 1}))
    cancelled = placed.cancelled(NOW, "payment_timeout")
    event = order_cancelled(cancelled, NOW)
    stale = order_cancelled(replace(cancelled, id=str(uuid.uuid4())), NOW)

    orders.release(cancelled, placed.version, "payment_timeout", [event])
    with pytest.raises(Conflict):
        orders.release(replace(cancelled, id=placed.id), placed.version, "payment_timeout", [stale])

    waiting = {e.event_id: e for e in outbox.pending(NOW + timedelta(days=1), 1000)}
    assert waiting.get(event.event_id) == event and stale.event_id not in waiting
    outbox.done([event])


def test_orders_list_by_status_and_date_and_resolve_by_payment_intent(world: dict[str, Any]) -> None:
    sku = _sku(world, paris=10)
    orders: DynamoOrders = world["orders"]
    placed = orders.place(_order({sku: 1}, email="list@example.com"), _cart(world, {sku: 1}))
    with_payment = replace(placed, payment_intent_id=f"pi_{placed.id}", version=placed.version + 1)
    orders.attach_payment_intent(with_payment, placed.version)
    with pytest.raises(Conflict):
        orders.save(with_payment, placed.version)

    page = orders.list_by_status(
        OrderStatus.PENDING_PAYMENT, Period(NOW - timedelta(seconds=1), NOW + timedelta(seconds=1)), 500, None
    )
    assert placed.id in {o.id for o in page.items}
    unbounded = orders.list_by_status(OrderStatus.PENDING_PAYMENT, Period(), 500, None)
    assert placed.id in {o.id for o in unbounded.items}
    assert orders.find_by_payment_intent(f"pi_{placed.id}") == with_payment
    assert orders.recent_orders_for_email("LIST@example.com", 5) == [(NOW, placed.id)]
    token = orders.set_task_token(placed.id, "tok")
    assert token.task_token == "tok" and token.version == with_payment.version + 1
