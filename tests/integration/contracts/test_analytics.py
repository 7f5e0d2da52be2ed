"""The analytics store, the recently-viewed history and the staff notes: an event's counters are added
once, a view keeps its latest time, and notes are listed newest first."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from commerce.adapters.dynamodb.analytics import DynamoAnalytics, DynamoViewHistory
from commerce.adapters.dynamodb.segments import DynamoStaffNotes
from commerce.domain.analytics import Increment
from commerce.domain.analytics_ports import RecentlyViewed
from commerce.domain.staff_notes import StaffNote
from tests.fakes.analytics import InMemoryAnalyticsStore, InMemoryStaffNotes, InMemoryViewHistory

from .conftest import NOW, Shop


@pytest.fixture
def store(shop: Shop) -> Any:
    return shop.build(InMemoryAnalyticsStore, DynamoAnalytics)


@pytest.fixture
def views(shop: Shop) -> Any:
    return shop.build(InMemoryViewHistory, DynamoViewHistory)


@pytest.fixture
def notes(shop: Shop) -> Any:
    return shop.build(InMemoryStaffNotes, DynamoStaffNotes)


def a_customer() -> str:
    return f"sub-{uuid.uuid4().hex[:12]}"


def test_an_events_counters_are_added_once(store: Any) -> None:
    pk = f"STATS#{uuid.uuid4().hex}"
    sale = [Increment(pk, "DAY#2026-11-27", {"orders": 1, "revenue": 1200})]

    assert store.apply(f"evt-{uuid.uuid4().hex}", sale) is True
    repeated = f"evt-{uuid.uuid4().hex}"
    assert store.apply(repeated, sale) is True
    assert store.apply(repeated, sale) is False

    assert store.partition(pk) == {"DAY#2026-11-27": {"orders": 2, "revenue": 2400}}
    assert store.partition(f"STATS#{uuid.uuid4().hex}") == {}


def test_a_product_viewed_twice_is_listed_once_at_its_latest_view(views: Any) -> None:
    customer = a_customer()
    first, later = NOW.isoformat(), (NOW + timedelta(minutes=5)).isoformat()
    views.remember(customer, "tee", later)
    views.remember(customer, "tee", first)  # arrives late: the later view stays
    views.remember(customer, "mug", first)

    assert views.recent(customer, 10) == [RecentlyViewed("tee", later), RecentlyViewed("mug", first)]
    assert views.recent(customer, 1) == [RecentlyViewed("tee", later)]
    assert views.recent(a_customer(), 10) == []


def test_staff_notes_are_listed_newest_first(notes: Any) -> None:
    customer = a_customer()
    older = StaffNote("n1", NOW, "staff-1", "called about the parcel")
    newer = StaffNote("n2", NOW + timedelta(hours=1), "staff-2", "refund agreed")
    notes.add(customer, older)
    notes.add(customer, newer)

    assert notes.list(customer) == [newer, older]
    assert notes.list(a_customer()) == []
