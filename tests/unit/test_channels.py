"""Sales channels and the orders they take elsewhere, on the in-memory store."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from commerce.domain.api_keys import key_matches
from commerce.domain.channels import Channel
from commerce.domain.errors import (
    Conflict,
    InvalidState,
    NotFound,
    OutOfStock,
    Unauthorized,
    ValidationFailed,
)
from commerce.services.channels import Channels
from commerce.services.inventory import Inventory
from commerce.services.outbox import OutboxRelay
from tests.fakes.events import InMemoryEvents
from tests.fakes.inventory import InMemoryInventory

NOW = datetime(2026, 11, 27, 9, tzinfo=UTC)


@pytest.fixture
def world():
    store, events = InMemoryInventory(), InMemoryEvents()
    inventory = Inventory(store, events, lambda: NOW, relay=OutboxRelay(store.outbox, events, lambda: NOW))
    for loc in ("north", "south", "store-1"):
        inventory.save_location(loc, loc, "warehouse", {})
    channels = Channels(
        store,
        inventory,
        lambda: NOW,
        sku_products=lambda skus: {s: "prd-" + s.lower() for s in skus},
        new_key=lambda: "secret-key-1",
    )
    inventory.channel_availability = channels.availability
    market = channels.save(Channel("marketplace:acme", "EUR", ("north", "south"), ("prd-s", "prd-t")))
    channels.save(Channel("web", "EUR"))
    return inventory, channels, market, events, store


def test_a_channel_id_names_its_kind():
    for wrong in ("amazon", "marketplace:", "pos:Berlin Store", "web:x"):
        with pytest.raises(ValidationFailed):
            Channel(wrong, "EUR")


def test_a_channel_is_authenticated_by_its_key_and_only_the_hash_is_stored(world):
    _, channels, _, _, store = world
    key = channels.issue_key("marketplace:acme")
    assert channels.authenticate("marketplace:acme", key).id == "marketplace:acme"
    stored = store.get("channel", "marketplace:acme")
    assert key not in str(stored.data) and key_matches(key, stored.data["key_hash"])
    for wrong_channel, wrong_key in (("marketplace:acme", "nope"), ("marketplace:acme", None), ("web", key)):
        with pytest.raises(Unauthorized):
            channels.authenticate(wrong_channel, wrong_key)


def test_a_reservation_draws_only_on_the_channels_locations(world):
    inventory, channels, market, _, _ = world
    inventory.receive("S", "store-1", 10)
    inventory.receive("S", "north", 2)
    with pytest.raises(OutOfStock) as refused:
        channels.reserve(market, "A-1", {"S": 3})
    assert refused.value.extensions["unavailable"] == [{"sku": "S", "requested": 3, "available": 2}]
    order = channels.reserve(market, "A-2", {"S": 2})
    assert [(a.location, a.quantity) for a in order.allocations] == [("north", 2)]


def test_reserving_the_same_external_id_again_returns_the_same_reservation_once(world):
    inventory, channels, market, _, _ = world
    inventory.receive("S", "north", 5)
    first = channels.reserve(market, "A-1", {"S": 2})
    assert channels.reserve(market, "A-1", {"S": 2}) == first
    assert inventory.stock("S").reserved == 2
    with pytest.raises(Conflict):
        channels.reserve(market, "A-1", {"S": 3})


def test_commit_sells_and_release_gives_back_each_once(world):
    inventory, channels, market, _, _ = world
    inventory.receive("S", "north", 5)
    channels.reserve(market, "A-1", {"S": 2})
    channels.reserve(market, "A-2", {"S": 1})
    assert channels.commit(market, "A-1").status == "committed"
    assert channels.commit(market, "A-1").status == "committed"
    assert channels.release(market, "A-2").status == "released"
    assert channels.release(market, "A-2").status == "released"
    with pytest.raises(InvalidState):
        channels.release(market, "A-1")
    stock = inventory.stock("S")
    assert (stock.on_hand, stock.reserved) == (3, 0)
    assert inventory.explained("S") == {"north": True}


def test_a_channel_may_not_reserve_a_product_it_does_not_sell(world):
    inventory, channels, market, _, _ = world
    inventory.receive("X", "north", 5)
    with pytest.raises(NotFound):
        channels.reserve(market, "A-1", {"X": 1})


def test_stock_changed_says_what_each_channel_may_sell(world):
    inventory, _, _, events, _ = world
    inventory.receive("S", "store-1", 4)
    inventory.receive("S", "north", 1)
    last = [e.data for e in events.published if e.type == "StockChanged"][-1]
    assert last["channels"] == {"marketplace:acme": 1, "web": 5}


# staff settings: what a channel names must exist
def test_a_channel_set_to_a_location_that_does_not_exist_is_refused_and_not_saved(world):
    _, channels, _, _, _ = world
    with pytest.raises(ValidationFailed) as refused:
        channels.configure(Channel("web", "EUR", ("north", "atlantis")))
    assert refused.value.extensions["unknown_locations"] == ["atlantis"]
    assert channels.get("web").locations == ()


def test_a_channel_set_to_products_that_do_not_exist_is_refused_naming_them():
    store, events = InMemoryInventory(), InMemoryEvents()
    inventory = Inventory(store, events, lambda: NOW)
    inventory.save_location("north", "north", "warehouse", {})
    channels = Channels(
        store, inventory, lambda: NOW, known_products=lambda ids: {i for i in ids if i.startswith("prd-")}
    )
    with pytest.raises(ValidationFailed) as refused:
        channels.configure(Channel("marketplace:m", "EUR", ("north",), ("prd-a", "ghost", "phantom")))
    assert refused.value.extensions["unknown_products"] == ["ghost", "phantom"]

    saved = channels.configure(Channel("marketplace:m", "EUR", ("north",), ("prd-a",)))
    assert saved.products == ("prd-a",)


def test_the_web_channel_keeps_at_least_one_location_and_something_to_sell():
    store, events = InMemoryInventory(), InMemoryEvents()
    channels = Channels(store, Inventory(store, events, lambda: NOW), lambda: NOW)
    with pytest.raises(ValidationFailed, match="at least one location"):
        channels.configure(Channel("web", "EUR"))  # every location, of none
    Inventory(store, events, lambda: NOW).save_location("north", "north", "warehouse", {})
    with pytest.raises(ValidationFailed, match="at least one product"):
        channels.configure(Channel("web", "EUR", ("north",), ()))
    assert channels.configure(Channel("web", "EUR", ("north",))).locations == ("north",)
    assert channels.configure(Channel("app", "EUR", (), ())).products == ()  # only web must sell
