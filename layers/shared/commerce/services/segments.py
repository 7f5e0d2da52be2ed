"""The scheduled recomputation of customer segments; each change announced as CustomerSegmentChanged."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from commerce.domain.analytics import STATS_SHARDS
from commerce.domain.events import DomainEvent
from commerce.domain.ports import EventPublisher
from commerce.domain.segments import CustomerStats, Segment, SegmentPolicy, segment_of

_NAMESPACE = uuid.UUID("0d7e3c1a-5b8f-4f57-9a4e-6c2b1f0e9d31")


class SegmentStore(Protocol):
    def stats(self, shard: str) -> list[CustomerStats]: ...

    def in_segment(self, segment: Segment, limit: int) -> list[CustomerStats]: ...

    def set_segment(self, customer_id: str, previous: Segment | None, segment: Segment) -> bool: ...


@dataclass(frozen=True, slots=True)
class SegmentRun:
    customers: int
    changed: int


class Segments:
    def __init__(
        self,
        store: SegmentStore,
        publisher: EventPublisher,
        policy: SegmentPolicy,
        clock: Callable[[], datetime],
    ) -> None:
        self._store, self._publisher, self._policy, self._clock = store, publisher, policy, clock

    def recompute(self) -> SegmentRun:
        now, customers, changed = self._clock(), 0, 0
        for shard in range(STATS_SHARDS):
            for stats in self._store.stats(f"CUSTOMER_STATS#{shard}"):
                customers += 1
                segment = segment_of(stats, self._policy, now)
                if segment is stats.segment or not self._store.set_segment(
                    stats.customer_id, stats.segment, segment
                ):
                    continue
                changed += 1
                self._publisher.publish([segment_changed(stats, segment, now)])
        return SegmentRun(customers, changed)

    def list(self, segment: Segment, limit: int) -> list[CustomerStats]:
        return self._store.in_segment(segment, limit)


def segment_changed(stats: CustomerStats, segment: Segment, at: datetime) -> DomainEvent:
    """Its id is derived from the move, so a rerun that repeats it announces the same event."""
    previous = stats.segment.value if stats.segment else None
    key = f"{stats.customer_id}:{previous}:{segment.value}:{stats.orders}"
    return DomainEvent(
        "CustomerSegmentChanged",
        at,
        {"customer_id": stats.customer_id, "previous": previous, "segment": segment.value},
        event_id=str(uuid.uuid5(_NAMESPACE, key)),
    )
