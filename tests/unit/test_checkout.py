"""Checkout with in-memory fakes: reserve all or nothing, price on the server, undo what a failure leaves."""

from __future__ import annotations

import pytest

from commerce.domain.errors import DependencyFailed, EmptyCart, NotFound, OutOfStock, ValidationFailed
from commerce.domain.order import OrderStatus, StockState
from commerce.services.checkout import order_token_matches

from .checkout_world import PAYMENT_TIMEOUT, Shop, request


@pytest.fixture
def shop() -> Shop:
    world = Shop()
    world.stock.receive("RUN-40", "paris", 3, "initial")
    world.stock.receive("RUN-40", "lyon", 5, "initial")
    world.stock.receive("SOCK-1", "paris", 10, "initial")
    return world


def test_checkout_reserves_every_line_prices_on_the_server_and_starts_the_workflow(shop: Shop) -> None:
    cart_id, token = shop.cart({"RUN-40": 2, "SOCK-1": 1})

    result = shop.checkout.guest(cart_id, token, request())

    order = result.order
    assert order.status is OrderStatus.PENDING_PAYMENT and order.stock is StockState.RESERVED
    assert order.totals.subtotal.amount == 2 * 8990 + 990
    # France sells tax-inclusive: 20 % VAT is inside the shelf price, 17980 / 6 = 2996.67 -> 2997 and
    # 990 / 6 = 165, and the total is what the shelf showed.
    assert order.totals.tax.amount == 2997 + 165
    assert order.totals.tax_included
    assert order.totals.shipping.amount == 0  # over the free-shipping threshold
    assert order.totals.total.amount == order.totals.subtotal.amount
    assert order.tax_country == "FR"
    assert {(r.sku, r.location, r.quantity) for r in order.reservations} == {
        ("RUN-40", "lyon", 2),
        ("SOCK-1", "paris", 1),
    }
    assert shop.available("RUN-40") == 6 and shop.available("SOCK-1") == 9
    assert [m["reason"] for m in shop.stock.movements if m["reason"] != "receipt"] == [
        "reservation",
        "reservation",
    ]
    assert shop.carts_repo.get(cart_id) is None  # a cart checks out once
    assert result.payment.amount == order.totals.total.amount and result.payment.id == order.payment_intent_id
    assert shop.orders.get(order.id).payment_intent_id == result.payment.id  # type: ignore[union-attr]
    assert shop.workflow_engine.started == [order.id]
    assert order.reservation_expires_at > order.created_at + PAYMENT_TIMEOUT
    assert order_token_matches(order, result.order_token) and not order_token_matches(order, "guess")


def test_a_line_is_taken_from_several_locations_when_none_holds_it_all(shop: Shop) -> None:
    cart_id, token = shop.cart({"RUN-40": 7})
    order = shop.checkout.guest(cart_id, token, request()).order
    assert sorted((r.location, r.quantity) for r in order.reservations) == [("lyon", 5), ("paris", 2)]
    assert shop.available("RUN-40") == 1


def test_short_stock_lists_each_sku_with_what_is_available_and_changes_nothing(shop: Shop) -> None:
    cart_id, token = shop.cart({"RUN-40": 9, "RUN-41": 1, "SOCK-1": 2})
    movements = list(shop.stock.movements)

    with pytest.raises(OutOfStock) as refused:
        shop.checkout.guest(cart_id, token, request())

    assert refused.value.status == 409
    assert refused.value.extensions["unavailable"] == [
        {"sku": "RUN-40", "requested": 9, "available": 8},
        {"sku": "RUN-41", "requested": 1, "available": 0},
    ]
    assert shop.available("RUN-40") == 8 and shop.available("SOCK-1") == 10
    assert shop.stock.movements == movements
    assert shop.carts_repo.get(cart_id) is not None and shop.orders.orders == {}
    assert shop.payments.intents == {} and shop.workflow_engine.started == []


def test_the_last_unit_checked_out_by_two_buyers_is_sold_once(shop: Shop) -> None:
    shop.stock.receive("RUN-41", "paris", 1, "last one")
    first, second = shop.cart({"RUN-41": 1}), shop.cart({"RUN-41": 1})
    shop.checkout.guest(*first, request())
    with pytest.raises(OutOfStock):
        shop.checkout.guest(*second, request("grace@example.com"))
    assert shop.available("RUN-41") == 0 and len(shop.orders.orders) == 1


def test_an_empty_cart_cannot_be_checked_out(shop: Shop) -> None:
    cart_id, token = shop.cart({})
    with pytest.raises(EmptyCart) as refused:
        shop.checkout.guest(cart_id, token, request())
    assert refused.value.status == 422


def test_a_customer_without_a_cart_has_nothing_to_check_out(shop: Shop) -> None:
    with pytest.raises(EmptyCart):
        shop.checkout.customer("sub-1", request())


def test_a_customer_checks_out_their_active_cart(shop: Shop) -> None:
    shop.carts.set_customer_line("sub-1", "SOCK-1", 2, "en")
    order = shop.checkout.customer("sub-1", request()).order
    assert order.customer_id == "sub-1" and [line.quantity for line in order.lines] == [2]
    assert order.totals.shipping.amount == 590  # under the threshold


def test_a_wrong_cart_token_finds_no_cart(shop: Shop) -> None:
    cart_id, _ = shop.cart({"SOCK-1": 1})
    for token in (None, "", "guess"):
        with pytest.raises(NotFound):
            shop.checkout.guest(cart_id, token, request())


def test_an_address_is_checked_before_anything_is_reserved(shop: Shop) -> None:
    cart_id, token = shop.cart({"SOCK-1": 1})
    bad = request()
    bad = type(bad)(email="not-an-email", shipping_address=bad.shipping_address)
    with pytest.raises(ValidationFailed):
        shop.checkout.guest(cart_id, token, bad)
    assert shop.available("SOCK-1") == 10


def test_when_the_payment_cannot_be_created_the_reservation_is_released_and_the_order_cancelled(
    shop: Shop,
) -> None:
    cart_id, token = shop.cart({"RUN-40": 2})
    shop.payments.fail_next = DependencyFailed("stripe is down")

    with pytest.raises(DependencyFailed):
        shop.checkout.guest(cart_id, token, request())

    (order,) = shop.orders.orders.values()
    assert order.status is OrderStatus.CANCELLED and order.cancel_reason == "checkout_failed"
    assert order.stock is StockState.RELEASED
    assert shop.available("RUN-40") == 8
    assert [m["reason"] for m in shop.stock.movements if m["reason"] != "receipt"] == [
        "reservation",
        "release",
    ]
    assert shop.workflow_engine.started == []


def test_when_the_workflow_cannot_start_the_payment_is_cancelled_too(shop: Shop) -> None:
    cart_id, token = shop.cart({"RUN-40": 1})
    shop.workflow_engine.fail_start = DependencyFailed("step functions is down")

    with pytest.raises(DependencyFailed):
        shop.checkout.guest(cart_id, token, request())

    (intent,) = shop.payments.intents.values()
    assert intent.status == "canceled"
    assert shop.available("RUN-40") == 8
