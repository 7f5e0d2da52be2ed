"""The scheduled recomputation of customer segments; each change announced as CustomerSegmentChanged, written
into the outbox in the conditional write that moves the customer (the relay publishes it at the end of the
run; the reservation sweeper whatever a run that died left, same event id)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from commerce.domain.analytics import STATS_SHARDS
from commerce.domain.events import DomainEvent
from commerce.domain.segments import CustomerStats, Segment, SegmentMove, SegmentPolicy, segment_of
from commerce.services.outbox import OutboxRelay

_NAMESPACE = uuid.UUID("0d7e3c1a-5b8f-4f57-9a4e-6c2b1f0e9d31")


class SegmentStore(Protocol):
    def stats(self, shard: str) -> list[CustomerStats]: ...

    def in_segment(self, segment: Segment, limit: int) -> list[CustomerStats]: ...

    def set_segment(self, move: SegmentMove, events: Sequence[DomainEvent] = ()) -> bool:
        """Makes the move if the customer is still in `previous`, writing `events` into the outbox in the same
        transaction; False (and nothing written) if someone moved them."""
        ...


@dataclass(frozen=True, slots=True)
class SegmentRun:
    customers: int
    changed: int


class Segments:
    def __init__(
        self,
        store: SegmentStore,
        relay: OutboxRelay,
        policy: SegmentPolicy,
        clock: Callable[[], datetime],
    ) -> None:
        self._store, self._relay, self._policy, self._clock = store, relay, policy, clock

    def recompute(self) -> SegmentRun:
        now, customers = self._clock(), 0
        moved: list[DomainEvent] = []
        for shard in range(STATS_SHARDS):
            for stats in self._store.stats(f"CUSTOMER_STATS#{shard}"):
                customers += 1
                segment = segment_of(stats, self._policy, now)
                if segment is stats.segment:
                    continue
                event = segment_changed(stats, segment, now)
                if self._store.set_segment(SegmentMove(stats.customer_id, stats.segment, segment), [event]):
                    moved.append(event)
        self._relay.deliver(moved)
        return SegmentRun(customers, len(moved))

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
