"""Checkout as a sales channel: its currency, its products, and stock from its locations only."""

from __future__ import annotations

from dataclasses import replace

import pytest

from commerce.domain.api_keys import key_hash
from commerce.domain.channels import Channel, ChannelKeyRequired
from commerce.domain.errors import NotFound, OutOfStock, UnsupportedCurrency
from commerce.services.channels import ChannelScope, channel_record
from commerce.services.checkout import Checkout, CheckoutRequest, NotSoldByChannel
from commerce.services.order_workflow import order_paid
from tests.fakes.inventory import InMemoryInventory

from .checkout_world import Shop, request


def _with_channels(shop: Shop, *channels: Channel) -> Checkout:
    store = InMemoryInventory()
    for channel in channels:
        store.records[("channel", channel.id, None)] = channel_record(channel)
    scope = ChannelScope(store, lambda skus, locations: dict.fromkeys(skus, 0))
    return shop.checkout_with(channels=scope)


@pytest.fixture
def shop() -> Shop:
    world = Shop()
    world.stock.receive("RUN-40", "warehouse", 5, "initial")
    world.stock.receive("RUN-40", "store-1", 1, "initial")
    world.stock.receive("SOCK-1", "warehouse", 10, "initial")
    return world


TILL_KEY = "till-key-of-store-1"
STORE = Channel("pos:store-1", "EUR", ("store-1",), ("RUN", "SOCK"), key_hash=key_hash(TILL_KEY))


def at_the_till(key: str | None = TILL_KEY) -> CheckoutRequest:
    """A checkout on the store's channel, presenting the till's key (or the one given)."""
    return replace(request(), channel="pos:store-1", channel_key=key)


def test_a_channel_reserves_only_from_its_locations_and_is_recorded_on_the_order(shop: Shop) -> None:
    checkout = _with_channels(shop, STORE)
    cart_id, token = shop.cart({"RUN-40": 1})

    order = checkout.guest(cart_id, token, at_the_till()).order

    assert [(r.sku, r.location, r.quantity) for r in order.reservations] == [("RUN-40", "store-1", 1)]
    assert order.channel == "pos:store-1"
    assert order_paid(order, shop.clock()).data["channel"] == "pos:store-1"
    assert shop.orders.get(order.id).channel == "pos:store-1"


def test_a_channel_cannot_reserve_stock_held_only_at_another_location(shop: Shop) -> None:
    checkout = _with_channels(shop, STORE)
    cart_id, token = shop.cart({"RUN-40": 2})  # the warehouse has 5, the store only 1

    with pytest.raises(OutOfStock) as refused:
        checkout.guest(cart_id, token, at_the_till())

    assert refused.value.extensions["unavailable"] == [{"sku": "RUN-40", "requested": 2, "available": 1}]
    assert shop.available("RUN-40") == 6  # nothing reserved anywhere
    assert shop.carts_repo.get(cart_id) is not None


def test_a_cart_in_another_currency_than_the_channels_is_refused_naming_its_currency(shop: Shop) -> None:
    checkout = _with_channels(shop, replace(STORE, currency="USD"))
    cart_id, token = shop.cart({"RUN-40": 1})  # a EUR cart

    with pytest.raises(UnsupportedCurrency) as refused:
        checkout.guest(cart_id, token, at_the_till())

    assert refused.value.extensions["supported"] == ["USD"]
    assert refused.value.status == 400
    assert shop.available("RUN-40") == 6


def test_a_line_whose_product_the_channel_does_not_sell_is_refused_with_the_line(shop: Shop) -> None:
    checkout = _with_channels(shop, replace(STORE, locations=(), products=("RUN",)))
    cart_id, token = shop.cart({"RUN-40": 1, "SOCK-1": 2})

    with pytest.raises(NotSoldByChannel) as refused:
        checkout.guest(cart_id, token, at_the_till())

    assert refused.value.status == 422
    assert refused.value.extensions["lines"] == [{"sku": "SOCK-1", "reason": "not sold on pos:store-1"}]
    assert shop.available("SOCK-1") == 10


def test_an_unknown_public_channel_is_not_found(shop: Shop) -> None:
    checkout = _with_channels(shop, STORE)
    cart_id, token = shop.cart({"RUN-40": 1})

    with pytest.raises(NotFound):
        checkout.guest(cart_id, token, replace(request(), channel="app"))


@pytest.mark.parametrize("key", [None, "", "a-guess", "till-key-of-store-2"])
def test_a_checkout_on_a_store_till_without_its_key_is_forbidden_and_reserves_nothing(
    shop: Shop, key: str | None
) -> None:
    checkout = _with_channels(shop, STORE)
    cart_id, token = shop.cart({"RUN-40": 1})

    with pytest.raises(ChannelKeyRequired) as refused:
        checkout.guest(cart_id, token, at_the_till(key))

    assert refused.value.status == 403
    assert shop.available("RUN-40") == 6
    assert shop.orders.orders == {}


def test_an_unknown_marketplace_is_refused_as_a_known_one_is_so_channels_cannot_be_listed(shop: Shop) -> None:
    checkout = _with_channels(shop, STORE)
    cart_id, token = shop.cart({"RUN-40": 1})

    with pytest.raises(ChannelKeyRequired):
        checkout.guest(cart_id, token, replace(request(), channel="marketplace:nobody", channel_key="x"))


def test_the_app_channel_is_open_without_a_key(shop: Shop) -> None:
    checkout = _with_channels(shop, STORE, Channel("app", "EUR"))
    cart_id, token = shop.cart({"RUN-40": 1})

    order = checkout.guest(cart_id, token, replace(request(), channel="app")).order

    assert order.channel == "app"


def test_without_a_channel_checkout_is_the_storefront_and_draws_on_every_location(shop: Shop) -> None:
    # No `web` channel configured: every location, any currency, the whole catalog, as before.
    checkout = _with_channels(shop, STORE)
    cart_id, token = shop.cart({"RUN-40": 6})

    order = checkout.guest(cart_id, token, request()).order

    assert sum(r.quantity for r in order.reservations) == 6
    assert {r.location for r in order.reservations} == {"warehouse", "store-1"}
    assert order.channel == "web"


def test_a_configured_web_channel_limits_the_storefronts_locations_only(shop: Shop) -> None:
    # The storefront's channel when none is named: its locations apply; its currency and products do not
    # (browse without a channel shows every product in every offered currency).
    web = Channel("web", "USD", ("store-1",), ("SOCK",))
    checkout = _with_channels(shop, web)
    cart_id, token = shop.cart({"RUN-40": 1})

    order = checkout.guest(cart_id, token, request()).order

    assert [(r.location, r.quantity) for r in order.reservations] == [("store-1", 1)]
    assert order.channel == "web"
