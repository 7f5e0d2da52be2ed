"""Which segment a customer is in, from their paid orders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from commerce.domain.errors import DependencyFailed
from commerce.domain.events import order_event
from commerce.domain.segments import CustomerStats, Segment, SegmentPolicy, segment_of
from commerce.services.analytics import AnalyticsRecorder
from commerce.services.outbox import OutboxRelay
from commerce.services.segments import Segments
from tests.fakes.analytics import (
    InMemoryAnalyticsStore,
    InMemoryProductDirectory,
    InMemoryRawEventArchive,
    InMemorySegmentStore,
)
from tests.fakes.events import InMemoryEvents

NOW = datetime(2026, 11, 27, tzinfo=UTC)
POLICY = SegmentPolicy(lapsed_after=timedelta(days=90), high_value=50_000, currency="EUR")


@pytest.mark.parametrize(
    ("orders", "value", "days_ago", "segment"),
    [
        (1, 1_000, 1, Segment.NEW),
        (2, 1_000, 1, Segment.REPEAT),
        (2, 50_000, 1, Segment.HIGH_VALUE),
        (5, 90_000, 90, Segment.LAPSED),
        (1, 1_000, 89, Segment.NEW),
    ],
    ids=["one order", "two orders", "high value", "lapsed beats high value", "not lapsed yet"],
)
def test_a_customer_is_in_the_first_segment_that_applies(
    orders: int, value: int, days_ago: int, segment: Segment
) -> None:
    stats = CustomerStats("sub-1", orders, {"EUR": value}, NOW - timedelta(days=days_ago))

    assert segment_of(stats, POLICY, NOW) is segment


def test_lifetime_value_in_another_currency_does_not_make_a_customer_high_value() -> None:
    stats = CustomerStats("sub-1", 1, {"USD": 10_000_000}, NOW)

    assert segment_of(stats, POLICY, NOW) is Segment.NEW


def stats(
    customer_id: str, orders: int, eur: int, days_ago: int, segment: Segment | None = None
) -> CustomerStats:
    return CustomerStats(customer_id, orders, {"EUR": eur}, NOW - timedelta(days=days_ago), segment)


def test_recomputing_moves_customers_whose_segment_changed_and_announces_each_move_once() -> None:
    store = InMemorySegmentStore(
        [
            stats("ada", 1, 1_000, 1),
            stats("bob", 3, 2_000, 1, Segment.NEW),
            stats("cy", 2, 9_000, 100, Segment.LAPSED),
        ]
    )
    publisher = InMemoryEvents()
    job = Segments(store, OutboxRelay(store.outbox, publisher, lambda: NOW), POLICY, lambda: NOW)

    first = job.recompute()
    second = job.recompute()

    assert (first.customers, first.changed, second.changed) == (3, 2, 0)
    moves = {e.data["customer_id"]: (e.data["previous"], e.data["segment"]) for e in publisher.published}
    assert moves == {"ada": (None, "new"), "bob": ("new", "repeat")}
    assert {e.type for e in publisher.published} == {"CustomerSegmentChanged"}
    assert [s.customer_id for s in job.list(Segment.REPEAT, 10)] == ["bob"]


def test_a_run_that_dies_before_publishing_leaves_its_moves_to_the_sweeper_with_their_event_ids() -> None:
    store = InMemorySegmentStore([stats("ada", 1, 1_000, 1), stats("bob", 3, 2_000, 1, Segment.NEW)])
    bus_down = InMemoryEvents()
    bus_down.publish = _refuse  # type: ignore[method-assign]  # as a crash after the moves were written
    job = Segments(store, OutboxRelay(store.outbox, bus_down, lambda: NOW), POLICY, lambda: NOW)

    assert job.recompute().changed == 2
    left = {e.event_id for e in store.outbox.entries.values()}
    assert len(left) == 2 and job.recompute().changed == 0  # moved: a rerun finds nothing to announce

    publisher = InMemoryEvents()
    assert OutboxRelay(store.outbox, publisher, lambda: NOW + timedelta(minutes=5)).sweep() == 2
    assert {e.event_id for e in publisher.published} == left
    assert {e.type for e in publisher.published} == {"CustomerSegmentChanged"}


def _refuse(events: object) -> None:
    raise DependencyFailed("EventBridge is down")


def test_the_records_of_a_paid_order_add_to_the_customers_stats_once() -> None:
    store = InMemoryAnalyticsStore()
    recorder = AnalyticsRecorder(store, InMemoryRawEventArchive(), InMemoryProductDirectory())
    data = {"currency": "EUR", "total": 4_000, "customer_id": "ada", "lines": []}
    event = order_event("OrderPaid", "o1", NOW, data).envelope()

    recorder.record(event)
    recorder.record(event)

    assert store.partition("CUSTOMER#ada") == {"STATS": {"orders": 1, "ltv_EUR": 4_000}}
    assert store.latest[("CUSTOMER#ada", "STATS")]["last_order_at"] == NOW.isoformat()
