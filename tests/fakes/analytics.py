"""The analytics ports in memory."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from commerce.domain.analytics import Increment, stats_shard
from commerce.domain.analytics_ports import Counters, DayRates, RecentlyViewed
from commerce.domain.errors import DependencyFailed
from commerce.domain.events import DomainEvent
from commerce.domain.segments import CustomerStats, Segment, SegmentMove
from commerce.domain.staff_notes import StaffNote
from tests.fakes.outbox import InMemoryOutbox


class InMemoryAnalyticsStore:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], dict[str, int]] = {}
        self.counted: set[str] = set()
        self.latest: dict[tuple[str, str], dict[str, str]] = {}

    def apply(self, event_id: str, increments: Sequence[Increment]) -> bool:
        if event_id in self.counted:
            return False
        self.counted.add(event_id)
        for increment in increments:
            counters = self.items.setdefault((increment.pk, increment.sk), {})
            for name, value in increment.counters.items():
                counters[name] = counters.get(name, 0) + value
            self.latest.setdefault((increment.pk, increment.sk), {}).update(increment.latest)
        return True

    def partition(self, pk: str) -> dict[str, Counters]:
        return {sk: dict(counters) for (p, sk), counters in self.items.items() if p == pk}


class InMemoryRawEventArchive:
    def __init__(self, failing: bool = False) -> None:
        self.envelopes: list[Mapping[str, Any]] = []
        self.failing = failing

    def archive(self, envelopes: Sequence[Mapping[str, Any]]) -> None:
        if self.failing:
            raise DependencyFailed("the archive is down")
        self.envelopes.extend(envelopes)


class InMemoryProductDirectory:
    def __init__(
        self, products: Mapping[str, str] | None = None, categories: Mapping[str, str] | None = None
    ) -> None:
        self.products = dict(products or {})
        self.categories = dict(categories or {})

    def products_of(self, skus: Sequence[str]) -> dict[str, str]:
        return {sku: self.products[sku] for sku in skus if sku in self.products}

    def categories_of(self, product_ids: Sequence[str]) -> dict[str, str]:
        return {p: self.categories[p] for p in product_ids if p in self.categories}


class InMemoryReportingRates:
    def __init__(self, snapshots: Sequence[DayRates] = ()) -> None:
        self.snapshots = {s.day: s for s in snapshots}
        self.asked: list[date] = []

    def for_day(self, day: date) -> DayRates | None:
        self.asked.append(day)
        return self.snapshots.get(day)


class InMemoryReportFiles:
    def __init__(self) -> None:
        self.files: dict[str, tuple[str, str]] = {}

    def write(self, key: str, body: str, content_type: str) -> str:
        self.files[key] = (body, content_type)
        return f"memory://{key}"


class InMemoryViewHistory:
    def __init__(self) -> None:
        self.views: dict[tuple[str, str], str] = {}

    def remember(self, customer_id: str, product_id: str, viewed_at: str) -> None:
        key = (customer_id, product_id)
        self.views[key] = max(self.views.get(key, ""), viewed_at)

    def recent(self, customer_id: str, limit: int) -> list[RecentlyViewed]:
        mine = [RecentlyViewed(p, at) for (c, p), at in self.views.items() if c == customer_id]
        return sorted(mine, key=lambda v: (v.viewed_at, v.product_id), reverse=True)[:limit]


class InMemorySegmentStore:
    def __init__(self, stats: Sequence[CustomerStats] = (), outbox: InMemoryOutbox | None = None) -> None:
        self.customers = {s.customer_id: s for s in stats}
        self.outbox = outbox or InMemoryOutbox()  # a move's events, added with it

    def stats(self, shard: str) -> list[CustomerStats]:
        return [s for s in self.customers.values() if stats_shard(s.customer_id) == shard]

    def in_segment(self, segment: Segment, limit: int) -> list[CustomerStats]:
        return sorted(
            (s for s in self.customers.values() if s.segment is segment), key=lambda s: s.customer_id
        )[:limit]

    def get(self, customer_id: str) -> CustomerStats | None:
        return self.customers.get(customer_id)

    def set_segment(self, move: SegmentMove, events: Sequence[DomainEvent] = ()) -> bool:
        current = self.customers.get(move.customer_id)
        if current is None or current.segment is not move.previous:
            return False
        self.customers[move.customer_id] = replace(current, segment=move.segment)
        self.outbox.add(events)
        return True


class InMemoryStaffNotes:
    def __init__(self) -> None:
        self.notes: dict[str, list[StaffNote]] = {}

    def add(self, customer_id: str, note: StaffNote) -> None:
        self.notes.setdefault(customer_id, []).append(note)

    def list(self, customer_id: str) -> list[StaffNote]:
        return sorted(self.notes.get(customer_id, []), key=lambda n: n.at, reverse=True)
