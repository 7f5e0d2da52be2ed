"""The SegmentStore: a customer moves to a segment only from the one read (its events written with the
move, or nothing), and is listed under the segment they are in."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from commerce.adapters.dynamodb.analytics import DynamoAnalytics
from commerce.adapters.dynamodb.segments import DynamoSegments
from commerce.domain.analytics import CUSTOMER_STATS_SK, Increment, stats_shard
from commerce.domain.events import DomainEvent
from commerce.domain.segments import CustomerStats, Segment, SegmentMove
from tests.fakes.analytics import InMemorySegmentStore

from .conftest import NOW, Shop, take_pending


@pytest.fixture
def segments(shop: Shop) -> Any:
    return shop.build(lambda: InMemorySegmentStore(outbox=shop.outbox), DynamoSegments)


def a_paying_customer(shop: Shop, segments: Any) -> str:
    """A customer with one paid order of 12.00 EUR in their stats, as the analytics pipeline counts it."""
    customer_id = f"sub-{uuid.uuid4().hex[:12]}"
    if shop.table is None:
        segments.customers[customer_id] = CustomerStats(customer_id, 1, {"EUR": 1200}, NOW)
        return customer_id
    latest = {"last_order_at": NOW.isoformat(), "GSI1PK": stats_shard(customer_id), "GSI1SK": customer_id}
    paid = Increment(f"CUSTOMER#{customer_id}", CUSTOMER_STATS_SK, {"orders": 1, "ltv_EUR": 1200}, latest)
    DynamoAnalytics(shop.table.client, shop.table.name).apply(f"evt-{uuid.uuid4().hex}", [paid])
    return customer_id


def a_move(customer_id: str) -> DomainEvent:
    return DomainEvent(type="CustomerSegmentChanged", occurred_at=NOW, data={"customer_id": customer_id})


def test_a_paying_customers_stats_are_read_and_listed_in_their_shard(shop: Shop, segments: Any) -> None:
    customer_id = a_paying_customer(shop, segments)

    assert segments.get(customer_id) == CustomerStats(customer_id, 1, {"EUR": 1200}, NOW)
    assert customer_id in {s.customer_id for s in segments.stats(stats_shard(customer_id))}
    assert segments.get(f"sub-{uuid.uuid4().hex[:12]}") is None


def test_a_customer_moves_only_from_the_segment_read_with_its_events(shop: Shop, segments: Any) -> None:
    customer_id = a_paying_customer(shop, segments)
    moved, refused = a_move(customer_id), a_move(customer_id)

    assert segments.set_segment(SegmentMove(customer_id, None, Segment.NEW), [moved]) is True
    assert segments.set_segment(SegmentMove(customer_id, None, Segment.REPEAT), [refused]) is False

    assert segments.get(customer_id).segment is Segment.NEW
    assert take_pending(shop, [moved, refused]) == [moved]
    assert segments.set_segment(SegmentMove(customer_id, Segment.NEW, Segment.REPEAT)) is True


def test_a_customer_is_listed_under_the_segment_they_are_in(shop: Shop, segments: Any) -> None:
    customer_id = a_paying_customer(shop, segments)
    segments.set_segment(SegmentMove(customer_id, None, Segment.NEW))
    segments.set_segment(SegmentMove(customer_id, Segment.NEW, Segment.HIGH_VALUE))

    assert customer_id in {s.customer_id for s in segments.in_segment(Segment.HIGH_VALUE, 1000)}
    assert customer_id not in {s.customer_id for s in segments.in_segment(Segment.NEW, 1000)}


def test_a_customer_without_stats_is_not_moved(segments: Any) -> None:
    assert segments.set_segment(SegmentMove(f"sub-{uuid.uuid4().hex[:12]}", None, Segment.NEW)) is False
