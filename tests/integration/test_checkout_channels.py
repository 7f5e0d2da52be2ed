"""Checkout per sales channel against moto: a channel reserves only at its locations, and never oversells."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

import pytest

from commerce import bootstrap
from commerce.adapters.dynamodb.orders import DynamoOrders
from commerce.config import Settings
from commerce.domain.channels import Channel
from commerce.domain.errors import Conflict, OutOfStock

from .conftest import Stack, sample_event
from .test_checkout_handler import _plenty_sku, payments  # noqa: F401 - the Stripe fake fixture
from .test_dynamodb_orders import _cart, _level, _order, _sku, world  # noqa: F401 - the world fixture

SHOP_A = Channel("pos:shop-a", "EUR", ("shop-a",))


def _orders(world: dict[str, Any]) -> DynamoOrders:  # noqa: F811 - the imported fixture
    # A fresh adapter: the locations list is cached for a minute, and these tests receive at new ones.
    return DynamoOrders(world["client"], world["table"])


def test_a_channel_limited_to_one_location_cannot_reserve_stock_held_only_at_another(
    world: dict[str, Any],  # noqa: F811 - the imported fixture
) -> None:
    sku = _sku(world, **{"shop-b": 5})
    cart = _cart(world, {sku: 1})

    with pytest.raises(OutOfStock) as refused:
        _orders(world).place(_order({sku: 1}), cart, SHOP_A)

    assert refused.value.extensions["unavailable"] == [{"sku": sku, "requested": 1, "available": 0}]
    assert _level(world, sku, "shop-b") == (5, 0)


def test_a_channel_reserves_at_its_location_and_the_order_keeps_its_channel(
    world: dict[str, Any],  # noqa: F811 - the imported fixture
) -> None:
    sku = _sku(world, **{"shop-a": 2, "shop-b": 9})
    cart = _cart(world, {sku: 2})

    orders = _orders(world)
    placed = orders.place(replace(_order({sku: 2}), channel=SHOP_A.id), cart, SHOP_A)

    assert [(r.location, r.quantity) for r in placed.reservations] == [("shop-a", 2)]
    assert _level(world, sku, "shop-a") == (2, 2)
    assert _level(world, sku, "shop-b") == (9, 0)
    assert orders.get(placed.id).channel == "pos:shop-a"


def test_racing_channel_checkouts_sell_only_what_the_channels_location_holds(
    world: dict[str, Any],  # noqa: F811 - the imported fixture
) -> None:
    sku = _sku(world, **{"shop-a": 3, "shop-b": 50})
    carts = [_cart(world, {sku: 1}) for _ in range(8)]
    orders = _orders(world)

    def attempt(cart: Any) -> str:
        try:
            orders.place(_order({sku: 1}), cart, SHOP_A)
            return "placed"
        except (OutOfStock, Conflict):
            return "refused"

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(attempt, carts))

    assert outcomes.count("placed") == 3
    assert _level(world, sku, "shop-a") == (3, 3)
    assert _level(world, sku, "shop-b") == (50, 0)


# through the checkout handler: the `channel` query parameter
def _guest_checkout(
    stack: Stack,
    channel: str,
    key: str | None = None,
    cart: tuple[str, str] | None = None,
    channel_key: str | None = None,
) -> tuple[int, dict[str, Any]]:
    cart_id, token = cart or stack.cart({_plenty_sku(): 1})
    event = sample_event(
        "checkout-guest.json", CART_ID=cart_id, CART_TOKEN=token, IDEMPOTENCY_KEY=key or str(uuid.uuid4())
    )
    event["rawQueryString"] = f"channel={channel}"
    event["queryStringParameters"] = {"channel": channel}
    if channel_key is not None:
        event["headers"]["x-api-key"] = channel_key
    status, _, body = stack.call("CheckoutFunction", event)
    return status, body


@pytest.mark.usefixtures("payments")
def test_a_malformed_channel_is_a_problem_not_a_500(stack: Stack) -> None:
    status, body = _guest_checkout(stack, "shop;drop")
    assert status == 400 and body["type"].endswith("invalid-request"), body


@pytest.mark.usefixtures("payments")
def test_a_channel_in_another_currency_than_the_cart_is_refused_naming_its_currency(stack: Stack) -> None:
    channels = bootstrap.stockroom(Settings.from_env()).channels
    channels.save(Channel("marketplace:dollars", "USD"))
    key = channels.issue_key("marketplace:dollars")

    status, body = _guest_checkout(stack, "marketplace:dollars", channel_key=key)  # the demo carts are EUR

    assert status == 400, body
    assert body["type"].endswith("unsupported-currency") and body["supported"] == ["USD"]


@pytest.mark.usefixtures("payments")
@pytest.mark.parametrize("channel", ["marketplace:demo-market", "pos:store-berlin", "marketplace:nobody"])
def test_an_anonymous_checkout_naming_a_keyed_channel_is_forbidden_and_draws_no_stock(
    stack: Stack, channel: str
) -> None:
    sku = _plenty_sku()
    inventory = bootstrap.stockroom(Settings.from_env()).inventory
    before = sum(level.reserved for level in inventory.levels(sku))

    status, body = _guest_checkout(stack, channel, cart=stack.cart({sku: 1}))

    assert status == 403 and body["type"].endswith("channel-key-required"), body
    assert sum(level.reserved for level in inventory.levels(sku)) == before


@pytest.mark.usefixtures("payments")
def test_a_marketplace_checks_out_with_its_own_key_but_not_with_another_channels(stack: Stack) -> None:
    channels = bootstrap.stockroom(Settings.from_env()).channels
    channels.save(Channel("marketplace:keyed", "EUR"))
    channels.save(Channel("marketplace:other", "EUR"))
    key, other = channels.issue_key("marketplace:keyed"), channels.issue_key("marketplace:other")

    status, body = _guest_checkout(stack, "marketplace:keyed", channel_key=other)
    assert status == 403, body

    status, body = _guest_checkout(stack, "marketplace:keyed", channel_key=key)
    assert status == 201 and body["channel"] == "marketplace:keyed", body


@pytest.mark.usefixtures("payments")
def test_the_same_idempotency_key_with_another_channel_is_refused_not_replayed(stack: Stack) -> None:
    cart, key = stack.cart({_plenty_sku(): 1}), str(uuid.uuid4())
    status, body = _guest_checkout(stack, "web", key, cart)
    assert status == 201 and body["channel"] == "web", body

    status, body = _guest_checkout(stack, "app", key, cart)

    assert status == 422 and body["type"].endswith("idempotency-key-reused"), body
