"""The CustomerRepository: a profile is created once and saved on the version read, addresses are added,
replaced and deleted by id, and erasing a customer takes their profile, addresses and cart with it."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from commerce.adapters.dynamodb.customers import DynamoCustomers
from commerce.domain.cart import Cart
from commerce.domain.customer import Address, Profile
from commerce.domain.errors import Conflict, NotFound
from commerce.domain.events import DomainEvent
from tests.fakes.customers import InMemoryCustomers

from .conftest import NOW, Shop, take_pending


@pytest.fixture
def customers(shop: Shop) -> Any:
    return shop.build(lambda: InMemoryCustomers(shop.carts, shop.outbox), DynamoCustomers)


def a_profile() -> Profile:
    return Profile.new(f"sub-{uuid.uuid4().hex[:12]}", "ada@example.com", NOW)


def an_address(address_id: str = "home") -> Address:
    return Address(
        address_id, "Ada Lovelace", "1 Rue de Rivoli", "Paris", "FR", NOW, NOW, postal_code="75001"
    )


def test_a_profile_is_created_once_and_saved_on_the_version_read(shop: Shop, customers: Any) -> None:
    profile = a_profile()
    customers.save_profile(profile, None)

    with pytest.raises(Conflict):
        customers.save_profile(profile, None)
    named = replace(profile, name="Ada", version=profile.version + 1)
    customers.save_profile(named, profile.version)
    with pytest.raises(Conflict):
        customers.save_profile(replace(profile, name="Bob", version=profile.version + 1), profile.version)

    assert customers.get_profile(profile.customer_id) == named


def test_a_profile_change_writes_its_events_only_when_it_lands(shop: Shop, customers: Any) -> None:
    profile = a_profile()
    customers.save_profile(profile, None)
    event = DomainEvent(type="MarketingConsentChanged", occurred_at=NOW, data={"customer_id": "x"})
    refused = DomainEvent(type="MarketingConsentChanged", occurred_at=NOW, data={"customer_id": "y"})

    customers.save_profile(replace(profile, version=1), 0, [event])
    with pytest.raises(Conflict):
        customers.save_profile(replace(profile, version=1), 0, [refused])

    assert take_pending(shop, [event, refused]) == [event]


def test_an_unknown_customer_has_no_profile_addresses_or_cart(customers: Any) -> None:
    nobody = f"sub-{uuid.uuid4().hex[:12]}"

    assert customers.get_profile(nobody) is None
    assert customers.list_addresses(nobody) == []
    assert customers.get_address(nobody, "home") is None
    assert customers.active_cart_id(nobody) is None


def test_an_address_id_is_taken_once_and_only_an_existing_one_is_replaced(customers: Any) -> None:
    customer_id = a_profile().customer_id
    home = an_address()
    customers.add_address(customer_id, home)

    with pytest.raises(Conflict):
        customers.add_address(customer_id, replace(home, city="Lyon"))
    moved = replace(home, city="Lyon", updated_at=NOW + timedelta(days=1))
    customers.replace_address(customer_id, moved)
    with pytest.raises(NotFound):
        customers.replace_address(customer_id, an_address("office"))

    assert customers.list_addresses(customer_id) == [moved]
    assert customers.get_address(customer_id, "home") == moved


def test_deleting_an_address_says_whether_there_was_one(customers: Any) -> None:
    customer_id = a_profile().customer_id
    customers.add_address(customer_id, an_address())

    assert customers.delete_address(customer_id, "home") is True
    assert customers.delete_address(customer_id, "home") is False
    assert customers.get_address(customer_id, "home") is None


def test_erasing_a_customer_takes_profile_addresses_and_cart_and_can_be_repeated(
    shop: Shop, customers: Any
) -> None:
    profile = a_profile()
    customers.save_profile(profile, None)
    customers.add_address(profile.customer_id, an_address())
    cart = Cart(str(uuid.uuid4()), "h", "EUR", NOW, NOW, {"TEE": 1}, customer_id=profile.customer_id)
    shop.carts.add_for_customer(cart, int((NOW + timedelta(days=30)).timestamp()))
    assert customers.active_cart_id(profile.customer_id) == cart.id

    assert customers.delete_customer(profile.customer_id) >= 3
    customers.delete_customer(profile.customer_id)

    assert customers.get_profile(profile.customer_id) is None
    assert customers.list_addresses(profile.customer_id) == []
    assert customers.active_cart_id(profile.customer_id) is None
    assert shop.carts.get(cart.id) is None
