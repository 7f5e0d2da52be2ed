"""The OrderHistory: a customer's orders page newest first, and erasing the customer pseudonymises each
of them once, after which they are no longer theirs."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from commerce.adapters.dynamodb.customers import DynamoOrderHistory
from commerce.domain.order import Order
from commerce.domain.order_history import OrderRecord
from tests.fakes.customers import InMemoryOrderHistory

from .conftest import NOW, Shop, a_cart, a_sku, an_order


@pytest.fixture
def history(shop: Shop) -> Any:
    return shop.build(InMemoryOrderHistory, DynamoOrderHistory)


def bought(shop: Shop, history: Any, customer_id: str, minutes: int) -> Order:
    """An order the customer placed; the fake history is told of it as checkout's index tells the table."""
    sku = a_sku(shop, paris=1)
    order = replace(an_order({sku: 1}, NOW + timedelta(minutes=minutes)), customer_id=customer_id)
    placed = shop.orders.place(order, a_cart(shop, {sku: 1}))
    if shop.in_memory:
        history.add(
            OrderRecord(
                placed.id,
                placed.status.value,
                placed.currency,
                placed.totals,
                placed.lines,
                placed.created_at,
                customer_id,
                placed.email,
                placed.shipping_address,
                placed.billing_address,
            )
        )
    return placed


def a_customer() -> str:
    return f"sub-{uuid.uuid4().hex[:12]}"


def test_a_customers_orders_page_newest_first_without_repeats(shop: Shop, history: Any) -> None:
    customer = a_customer()
    orders = [bought(shop, history, customer, minutes) for minutes in range(3)]
    bought(shop, history, a_customer(), 5)

    first = history.list_orders(customer, 2, None)
    second = history.list_orders(customer, 2, first.next_position)

    assert [o.id for o in (*first.items, *second.items)] == [o.id for o in reversed(orders)]
    assert first.next_position is not None and second.next_position is None
    assert first.items[0].totals == orders[2].totals and first.items[0].lines == orders[2].lines


def test_a_customer_without_orders_has_an_empty_history(history: Any) -> None:
    page = history.list_orders(a_customer(), 10, None)

    assert page.items == () and page.next_position is None


def test_erasing_pseudonymises_each_order_once_and_they_leave_the_history(shop: Shop, history: Any) -> None:
    customer = a_customer()
    for minutes in range(2):
        bought(shop, history, customer, minutes)

    assert history.pseudonymise_orders(customer, NOW) == 2
    assert history.pseudonymise_orders(customer, NOW) == 0

    assert history.list_orders(customer, 10, None).items == ()
