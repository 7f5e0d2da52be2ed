"""The AbandonedCartIndex: a watched cart idle past the bound is listed until claimed at its version; a
touch lists it again; a claim writes its event with it, or nothing when the cart moved meanwhile."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from commerce.adapters.dynamodb.abandoned_carts import DynamoAbandonedCarts
from commerce.domain.cart import Cart
from commerce.domain.events import DomainEvent
from tests.fakes.marketing import InMemoryAbandonedCarts

from .conftest import Shop, take_pending

# Long before anything other tests touch, so only these carts are idle before the bound.
IDLE_SINCE = datetime(1995, 1, 1, tzinfo=UTC)
BOUND = IDLE_SINCE + timedelta(days=1)
EXPIRES = int(datetime(2100, 1, 1, tzinfo=UTC).timestamp())


@pytest.fixture
def index(shop: Shop) -> Any:
    return shop.build(lambda: InMemoryAbandonedCarts(shop.carts, shop.outbox), DynamoAbandonedCarts)


def a_cart(shop: Shop, email: str | None = "ada@example.com", lines: dict[str, int] | None = None) -> Cart:
    cart = Cart(
        id=str(uuid.uuid4()),
        token_hash="h",
        currency="EUR",
        created_at=IDLE_SINCE,
        updated_at=IDLE_SINCE,
        lines={"TEE": 1} if lines is None else lines,
        email=email,
    )
    shop.carts.add(cart, EXPIRES)
    return cart


def an_event(cart: Cart) -> DomainEvent:
    return DomainEvent(type="CartAbandoned", occurred_at=IDLE_SINCE, data={"cart_id": cart.id})


def idle(index: Any, *carts: Cart) -> set[str]:
    ids = {cart.id for cart in carts}
    return {cart_id for cart_id in index.idle(BOUND, 1000) if cart_id in ids}


def test_only_watched_carts_idle_past_the_bound_are_listed(shop: Shop, index: Any) -> None:
    watched, anonymous, empty = a_cart(shop), a_cart(shop, email=None), a_cart(shop, lines={})

    assert idle(index, watched, anonymous, empty) == {watched.id}
    assert watched.id not in index.idle(IDLE_SINCE - timedelta(seconds=1), 1000)


def test_a_claimed_cart_leaves_the_list_with_its_event_written(shop: Shop, index: Any) -> None:
    cart = a_cart(shop)
    event = an_event(cart)

    assert index.claim(cart, event) is True
    assert index.claim(cart, an_event(cart)) is False

    assert idle(index, cart) == set()
    assert take_pending(shop, [event]) == [event]


def test_a_cart_touched_since_it_was_read_is_not_claimed(shop: Shop, index: Any) -> None:
    cart = a_cart(shop)
    touched = replace(cart, lines={"TEE": 2}, version=cart.version + 1)
    shop.carts.save(touched, cart.version, EXPIRES)
    refused = an_event(cart)

    assert index.claim(cart, refused) is False

    assert take_pending(shop, [refused]) == []
    assert idle(index, cart) == {cart.id}
    assert index.claim(touched, None) is True


def test_a_claimed_cart_touched_again_is_listed_again(shop: Shop, index: Any) -> None:
    cart = a_cart(shop)
    index.claim(cart, None)

    shop.carts.save(replace(cart, lines={"TEE": 2}, version=cart.version + 1), cart.version, EXPIRES)

    assert idle(index, cart) == {cart.id}
