"""The in-memory InventoryStore: the same rules as the DynamoDB adapter, for unit tests."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from commerce.domain.errors import Conflict
from commerce.domain.inventory import Location, Movement, StockLevel
from commerce.domain.inventory_ports import ANY_VERSION, Change, Record
from commerce.domain.ports import Page
from tests.fakes.outbox import InMemoryOutbox
from tests.fakes.paging import offset_page

_Key = tuple[str, str, tuple[str, str] | None]


class InMemoryInventory:
    def __init__(self) -> None:
        self.locations: dict[str, Location] = {}
        self.stock: dict[tuple[str, str], StockLevel] = {}
        self.ledger: list[Movement] = []
        self.records: dict[_Key, Record] = {}
        self.outbox = InMemoryOutbox()  # events written with the changes
        self._lock = threading.Lock()

    def save_location(self, location: Location) -> None:
        self.locations[location.id] = location

    def list_locations(self) -> list[Location]:
        return sorted(self.locations.values(), key=lambda loc: loc.id)

    def levels(self, sku: str) -> list[StockLevel]:
        return sorted((lvl for (s, _), lvl in self.stock.items() if s == sku), key=lambda lvl: lvl.location)

    def stock_and_policies(self, skus: Sequence[str]) -> dict[str, tuple[list[StockLevel], Record | None]]:
        return {sku: (self.levels(sku), self.get("reorder", sku, ("sku", sku))) for sku in skus}

    def movements_since(self, sku: str, since: datetime, shards: int, limit: int) -> list[Movement]:
        return [m for m in self.movements(sku) if m.at >= since][:limit]

    def movements(self, sku: str, limit: int | None = None) -> list[Movement]:
        mine = [m for m in reversed(self.ledger) if m.sku == sku]
        return mine if limit is None else mine[:limit]

    def movement_page(self, sku: str, limit: int, position: Mapping[str, Any] | None) -> Page[Movement]:
        return offset_page(self.movements(sku), limit, position)

    def apply(self, change: Change) -> None:
        with self._lock:
            staged = dict(self.stock)
            for movement in change.movements:
                where = (movement.sku, movement.location)
                staged[where] = staged.get(where, StockLevel(*where)).after(movement)
            for write in change.writes:
                current = self.records.get(_key(write.record))
                if write.expected_version is None and current is not None:
                    raise Conflict(f"the {write.record.kind} exists already")
                if write.expected_version not in (None, ANY_VERSION) and (
                    current is None or current.version != write.expected_version
                ):
                    raise Conflict(f"the {write.record.kind} changed meanwhile; read it again")
            self.stock = staged
            self.ledger.extend(change.movements)
            for write in change.writes:
                self.records[_key(write.record)] = write.record
            self.outbox.add(change.events)

    def get(self, kind: str, record_id: str, parent: tuple[str, str] | None = None) -> Record | None:
        return self.records.get((kind, record_id, parent))

    def children(self, parent: tuple[str, str], kind: str) -> list[Record]:
        found = [r for (k, _, p), r in self.records.items() if k == kind and p == parent]
        return sorted(found, key=lambda r: r.id)

    def indexed(self, index: str, limit: int = 1000) -> list[Record]:
        found = [r for r in self.records.values() if r.index == index]
        return sorted(found, key=lambda r: (r.index_sort, r.id))[:limit]

    def index_page(self, index: str, limit: int, position: Mapping[str, Any] | None) -> Page[Record]:
        found = [r for r in self.records.values() if r.index == index]
        return offset_page(sorted(found, key=lambda r: (r.index_sort, r.id), reverse=True), limit, position)

    def put_level(self, level: StockLevel) -> None:
        """Test helper: a level as the checkout's adapter would leave it."""
        self.stock[(level.sku, level.location)] = replace(level)


def _key(record: Record) -> _Key:
    return (record.kind, record.id, record.parent)
