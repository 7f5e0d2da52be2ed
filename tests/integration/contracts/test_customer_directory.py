"""The CustomerDirectory: a profile is found by its email in any case and by the start of its name in any
case or accent, a page at a time in name order; a segment lists its members; an erased customer is gone."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import Any

import pytest

from commerce.adapters.dynamodb.analytics import DynamoAnalytics
from commerce.adapters.dynamodb.customer_directory import DynamoCustomerDirectory
from commerce.adapters.dynamodb.customers import DynamoCustomers
from commerce.adapters.dynamodb.segments import DynamoSegments
from commerce.domain import search
from commerce.domain.analytics import CUSTOMER_STATS_SK, Increment, stats_shard
from commerce.domain.customer import Profile
from commerce.domain.segments import CustomerStats, Segment, SegmentMove
from tests.fakes.analytics import InMemorySegmentStore
from tests.fakes.customer_directory import InMemoryCustomerDirectory
from tests.fakes.customers import InMemoryCustomers

from .conftest import NOW, Shop


@dataclass(frozen=True)
class Directory:
    customers: Any
    segments: Any
    directory: Any
    shop: Shop

    def a_customer(self, name: str | None, email: str | None = None) -> Profile:
        customer_id = f"sub-{uuid.uuid4().hex[:12]}"
        profile = replace(Profile.new(customer_id, email or f"{customer_id}@example.com", NOW), name=name)
        self.customers.save_profile(profile, None)
        return profile

    def a_repeat_buyer(self, customer_id: str) -> None:
        """Two paid orders in the customer's stats, and the segment the nightly job would give them."""
        if self.shop.table is None:
            self.segments.customers[customer_id] = CustomerStats(customer_id, 2, {"EUR": 2400}, NOW)
        else:
            latest = {
                "last_order_at": NOW.isoformat(),
                "GSI1PK": stats_shard(customer_id),
                "GSI1SK": customer_id,
            }
            paid = Increment(
                f"CUSTOMER#{customer_id}", CUSTOMER_STATS_SK, {"orders": 2, "ltv_EUR": 2400}, latest
            )
            table = self.shop.table
            DynamoAnalytics(table.client, table.name).apply(f"evt-{uuid.uuid4().hex}", [paid])
        assert self.segments.set_segment(SegmentMove(customer_id, None, Segment.REPEAT))


@pytest.fixture
def world(shop: Shop) -> Directory:
    if shop.table is None:
        customers, segments = InMemoryCustomers(), InMemorySegmentStore()
        return Directory(customers, segments, InMemoryCustomerDirectory(customers, segments), shop)
    client, name = shop.table.client, shop.table.name
    return Directory(
        DynamoCustomers(client, name),
        DynamoSegments(client, name),
        DynamoCustomerDirectory(client, name),
        shop,
    )


def test_a_profile_is_found_by_its_email_in_any_case(world: Directory) -> None:
    email = f"Ada.{uuid.uuid4().hex[:8]}@Example.com"
    ada = world.a_customer("Ada Lovelace", email)

    assert world.directory.with_email(email.upper()) == [ada.customer_id]
    assert world.directory.with_email(f"  {email.lower()} ") == [ada.customer_id]
    assert world.directory.with_email(f"x{email}") == []


def test_profiles_are_found_by_the_start_of_their_name_in_name_order_a_page_at_a_time(
    world: Directory,
) -> None:
    family = f"Zed{uuid.uuid4().hex[:8]}"
    names = [f"{family} Émile", f"{family.upper()} Bea", f"{family} Chloé"]
    ids = {name: world.a_customer(name).customer_id for name in names}
    world.a_customer(f"Other {family}")
    prefix = search.name_key(family)

    first = world.directory.by_name(prefix, 2, None)
    second = world.directory.by_name(prefix, 2, first.next_position)

    assert list(first.items + second.items) == [ids[names[1]], ids[names[2]], ids[names[0]]]
    assert first.next_position is not None and second.next_position is None
    assert world.directory.by_name(search.name_key(f"{family} emi"), 5, None).items == (ids[names[0]],)


def test_a_segment_lists_its_members_and_entries_join_profile_and_stats(world: Directory) -> None:
    buyers = [world.a_customer(f"Buyer {n}") for n in range(3)]
    for buyer in buyers:
        world.a_repeat_buyer(buyer.customer_id)
    mine = {b.customer_id for b in buyers}

    listed: list[str] = []
    position = None
    for _ in range(1000):  # bounded: the segment may hold other tests' customers too
        page = world.directory.in_segment(Segment.REPEAT, 50, position)
        listed += page.items
        position = page.next_position
        if position is None:
            break
    entries = world.directory.entries([buyers[1].customer_id, "sub-nobody", buyers[0].customer_id])

    assert mine <= set(listed) and len(listed) == len(set(listed))
    assert [e.customer_id for e in entries] == [buyers[1].customer_id, buyers[0].customer_id]
    assert entries[0].profile == buyers[1] and entries[0].segment is Segment.REPEAT
    assert entries[0].stats is not None and entries[0].stats.orders == 2


def test_an_erased_customer_is_found_no_more(world: Directory) -> None:
    email = f"gone-{uuid.uuid4().hex[:8]}@example.com"
    gone = world.a_customer(f"Gone{uuid.uuid4().hex[:8]}", email)

    world.customers.delete_customer(gone.customer_id)

    assert world.directory.with_email(email) == []
    assert world.directory.by_name(search.name_key(gone.name or ""), 5, None).items == ()
