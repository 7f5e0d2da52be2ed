"""The CartRepository: a cart id is taken once, each save is conditioned on the version read, a customer
has one active cart, and merging a guest cart into it consumes the guest cart or changes nothing."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta

import pytest

from commerce.domain.cart import Cart
from commerce.domain.errors import Conflict

from .conftest import NOW, Shop

EXPIRES = int((NOW + timedelta(days=30)).timestamp())


def a_cart(customer_id: str | None = None, **lines: int) -> Cart:
    return Cart(
        id=str(uuid.uuid4()),
        token_hash="h",
        currency="EUR",
        created_at=NOW,
        updated_at=NOW,
        lines=lines,
        customer_id=customer_id,
    )


def a_customer() -> str:
    return f"sub-{uuid.uuid4().hex[:12]}"


def test_an_added_cart_is_read_back_and_its_id_taken(shop: Shop) -> None:
    cart = a_cart(TEE=1)

    shop.carts.add(cart, EXPIRES)
    with pytest.raises(Conflict):
        shop.carts.add(replace(cart, lines={"MUG": 1}), EXPIRES)

    assert shop.carts.get(cart.id) == cart


def test_an_unknown_cart_is_none(shop: Shop) -> None:
    assert shop.carts.get(str(uuid.uuid4())) is None
    assert shop.carts.customer_cart_id(a_customer()) is None


def test_a_save_on_a_stale_version_is_a_conflict_and_changes_nothing(shop: Shop) -> None:
    cart = a_cart(TEE=1)
    shop.carts.add(cart, EXPIRES)
    two = replace(cart, lines={"TEE": 2}, version=1)
    shop.carts.save(two, 0, EXPIRES)

    with pytest.raises(Conflict):
        shop.carts.save(replace(cart, lines={"TEE": 3}, version=1), 0, EXPIRES)

    assert shop.carts.get(cart.id) == two


def test_a_customer_has_one_active_cart_unless_the_old_one_is_replaced(shop: Shop) -> None:
    customer = a_customer()
    first, second, third = a_cart(customer), a_cart(customer), a_cart(customer)
    shop.carts.add_for_customer(first, EXPIRES)

    with pytest.raises(Conflict):
        shop.carts.add_for_customer(second, EXPIRES)
    shop.carts.add_for_customer(third, EXPIRES, replacing=first.id)

    assert shop.carts.customer_cart_id(customer) == third.id
    assert shop.carts.get(third.id) == third


def test_absorbing_a_guest_cart_saves_the_merge_and_consumes_the_guest_cart(shop: Shop) -> None:
    customer = a_customer()
    mine, guest = a_cart(customer, TEE=1), a_cart(MUG=2)
    shop.carts.add_for_customer(mine, EXPIRES)
    shop.carts.add(guest, EXPIRES)
    merged = replace(mine, lines={"TEE": 1, "MUG": 2}, version=1)

    shop.carts.absorb(merged, 0, EXPIRES, guest)

    assert shop.carts.get(mine.id) == merged
    assert shop.carts.get(guest.id) is None


def test_absorbing_a_guest_cart_changed_meanwhile_changes_nothing(shop: Shop) -> None:
    customer = a_customer()
    mine, guest = a_cart(customer, TEE=1), a_cart(MUG=2)
    shop.carts.add_for_customer(mine, EXPIRES)
    shop.carts.add(guest, EXPIRES)
    shop.carts.save(replace(guest, lines={"MUG": 3}, version=1), 0, EXPIRES)

    with pytest.raises(Conflict):
        shop.carts.absorb(replace(mine, lines={"TEE": 1, "MUG": 2}, version=1), 0, EXPIRES, guest)

    assert shop.carts.get(mine.id) == mine
    assert shop.carts.get(guest.id) is not None
