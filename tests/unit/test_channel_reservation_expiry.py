"""A channel reservation holds its units for the channel's `reservation_minutes` (30 by default): the
sweeper gives back the units of one not committed by then, with a release movement and an event written
in the same change, and a commit after that is a 409."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from commerce.domain.channels import Channel, ChannelOrderStatus, ReservationExpired
from commerce.domain.errors import ValidationFailed
from commerce.domain.inventory import Reason
from commerce.services.channels import RESERVATIONS_INDEX, Channels
from commerce.services.inventory import Inventory
from commerce.services.outbox import OutboxRelay
from tests.fakes.events import InMemoryEvents
from tests.fakes.inventory import InMemoryInventory

START = datetime(2026, 11, 27, 9, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


class World:
    def __init__(self) -> None:
        self.clock = Clock()
        self.store, self.events = InMemoryInventory(), InMemoryEvents()
        self.inventory = Inventory(self.store, self.events, self.clock)
        self.inventory.save_location("north", "north", "warehouse", {})
        relay = OutboxRelay(self.store.outbox, self.events, self.clock)
        self.channels = Channels(self.store, self.inventory, self.clock, relay=relay)
        self.inventory.channel_availability = self.channels.availability
        self.market = self.channels.save(Channel("marketplace:acme", "EUR", reservation_minutes=10))
        self.inventory.receive("S", "north", 3)

    def available(self) -> int:
        return sum(level.available for level in self.store.levels("S"))

    def released(self) -> list[dict[str, object]]:
        return [dict(e.data) for e in self.events.published if e.type == "ChannelReservationReleased"]


@pytest.fixture
def world() -> World:
    return World()


def test_a_channel_reservation_holds_its_units_for_thirty_minutes_unless_the_channel_says_otherwise() -> None:
    assert Channel("marketplace:other", "EUR").reservation_minutes == 30
    with pytest.raises(ValidationFailed):
        Channel("marketplace:other", "EUR", reservation_minutes=0)


def test_a_reservation_past_its_time_is_given_back_by_the_sweeper_with_a_release_and_an_event(
    world: World,
) -> None:
    order = world.channels.reserve(world.market, "M-1", {"S": 2})
    assert order.expires_at == START + timedelta(minutes=10) and world.available() == 1
    world.clock.now = START + timedelta(minutes=9)
    assert world.channels.expire_reservations() == 0

    world.clock.now = START + timedelta(minutes=10)
    expired = world.channels.expire_reservations()

    assert expired == 1 and world.available() == 3
    assert world.channels.order(world.market, "M-1").status is ChannelOrderStatus.EXPIRED
    releases = [m for m in world.store.ledger if m.reason is Reason.RELEASE]
    assert [(m.quantity, m.reference) for m in releases] == [(2, "marketplace:acme/M-1")]
    assert [(e["reason"], e["external_order_id"]) for e in world.released()] == [("expired", "M-1")]
    assert world.store.outbox.entries == {}  # delivered
    assert world.store.indexed(RESERVATIONS_INDEX) == []
    assert world.channels.expire_reservations() == 0  # a second run changes nothing


def test_a_commit_after_expiry_is_refused_and_the_units_stay_given_back(world: World) -> None:
    world.channels.reserve(world.market, "M-2", {"S": 1})
    world.clock.now = START + timedelta(minutes=11)
    world.channels.expire_reservations()

    with pytest.raises(ReservationExpired) as refused:
        world.channels.commit(world.market, "M-2")

    assert refused.value.status == 409 and "expired_at" in refused.value.extensions
    assert world.available() == 3
    assert not [m for m in world.store.ledger if m.reason is Reason.SALE]


def test_a_commit_after_expiry_before_the_sweeper_ran_gives_the_units_back_itself(world: World) -> None:
    world.channels.reserve(world.market, "M-3", {"S": 3})
    world.clock.now = START + timedelta(minutes=30)

    with pytest.raises(ReservationExpired):
        world.channels.commit(world.market, "M-3")

    assert world.available() == 3 and len(world.released()) == 1
    assert world.channels.expire_reservations() == 0


def test_a_commit_in_time_sells_and_leaves_nothing_for_the_sweeper(world: World) -> None:
    world.channels.reserve(world.market, "M-4", {"S": 1})
    world.clock.now = START + timedelta(minutes=5)
    world.channels.commit(world.market, "M-4")
    world.clock.now = START + timedelta(hours=1)

    assert world.channels.expire_reservations() == 0
    assert world.channels.order(world.market, "M-4").status is ChannelOrderStatus.COMMITTED
    assert world.released() == []


def test_releasing_an_expired_reservation_changes_nothing_more(world: World) -> None:
    world.channels.reserve(world.market, "M-5", {"S": 2})
    world.clock.now = START + timedelta(minutes=10)
    world.channels.expire_reservations()

    again = world.channels.release(world.market, "M-5")

    assert (
        again.status is ChannelOrderStatus.EXPIRED and world.available() == 3 and len(world.released()) == 1
    )


def test_the_sweeper_takes_the_soonest_expiries_first_and_stops_at_the_first_still_running(
    world: World,
) -> None:
    slow = world.channels.save(Channel("marketplace:slow", "EUR", reservation_minutes=60))
    world.channels.reserve(slow, "L-1", {"S": 1})
    world.channels.reserve(world.market, "Q-1", {"S": 1})
    world.clock.now = START + timedelta(minutes=15)

    assert world.channels.expire_reservations() == 1
    assert world.channels.order(slow, "L-1").status is ChannelOrderStatus.RESERVED
