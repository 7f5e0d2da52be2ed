"""A hot SKU's stock over shards: splitting and rebalancing conserve it, reservations never oversell."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commerce.domain.channels import Channel
from commerce.domain.errors import OutOfStock, ValidationFailed
from commerce.domain.hot_sku import base_location, even_split, rebalance, reservation_order, shard_location
from commerce.domain.inventory import StockLevel
from commerce.domain.inventory_ports import Change
from commerce.services.channels import Channels
from commerce.services.inventory import Inventory
from tests.fakes.events import InMemoryEvents
from tests.fakes.inventory import InMemoryInventory

NOW = datetime(2026, 11, 27, 9, tzinfo=UTC)


@given(
    available=st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=6),
    reserved=st.lists(st.integers(min_value=0, max_value=5), min_size=6, max_size=6),
    shards=st.integers(min_value=1, max_value=8),
)
def test_rebalancing_evens_available_units_and_conserves_on_hand(available, reserved, shards):
    levels = [
        StockLevel("S", shard_location("north", n), units + reserved[n], reserved[n])
        for n, units in enumerate(available)
    ]
    store = InMemoryInventory()
    for level in levels:
        store.put_level(level)
    moves = rebalance(levels, shards, NOW, "r")
    store.apply(Change(movements=moves))
    after = store.levels("S")
    assert sum(lv.on_hand for lv in after) == sum(lv.on_hand for lv in levels)
    in_use = [lv.available for lv in after if int(lv.location.partition("@")[2] or 0) < shards]
    assert sum(in_use) == sum(available)
    assert max(in_use) - min(in_use) <= 1 or len(in_use) < shards


def test_an_even_split_sums_to_the_total():
    assert even_split(10, 3) == [4, 3, 3]
    assert sum(even_split(7, 8)) == 7


def test_a_shard_is_a_sub_location_of_its_location():
    assert shard_location("north", 0) == "north"
    assert base_location(shard_location("north", 3)) == "north"


def test_reservations_start_from_a_random_shard_then_the_fullest():
    levels = [StockLevel("S", shard_location("north", n), 5 + n) for n in range(4)]
    firsts = {reservation_order(levels, random.Random(seed))[0].location for seed in range(40)}
    assert len(firsts) > 1
    rest = reservation_order(levels, random.Random(1))[1:]
    assert [lv.on_hand for lv in rest] == sorted((lv.on_hand for lv in rest), reverse=True)


def test_too_many_shards_are_refused():
    inventory = Inventory(InMemoryInventory(), InMemoryEvents(), lambda: NOW)
    with pytest.raises(ValidationFailed):
        inventory.make_hot("S", 33)


def test_channel_reservations_on_a_hot_sku_fall_back_over_shards_and_sell_exactly_what_exists():
    store = InMemoryInventory()
    inventory = Inventory(store, InMemoryEvents(), lambda: NOW)
    inventory.save_location("north", "North", "warehouse", {})
    inventory.receive("S", "north", 10)
    levels = inventory.make_hot("S", 4)
    assert sorted(lv.available for lv in levels) == [2, 2, 3, 3]
    channels = Channels(store, inventory, lambda: NOW)
    market = channels.save(Channel("marketplace:m", "EUR", ("north",)))
    for n in range(10):
        channels.reserve(market, f"E-{n}", {"S": 1})
    with pytest.raises(OutOfStock):
        channels.reserve(market, "E-10", {"S": 1})
    assert inventory.stock("S").reserved == 10
    assert all(inventory.explained("S").values())
    inventory.make_hot("S", 1)
    assert inventory.stock("S").on_hand == 10
