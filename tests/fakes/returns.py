"""An in-memory ReturnRepository (domain/ports.py) for unit tests: the returns, each order's count of units
asked back per SKU, the units put back on hand, and the events written with each change."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from datetime import datetime

from commerce.domain.errors import Conflict
from commerce.domain.events import DomainEvent
from commerce.domain.returns import Return, ReturnStatus
from tests.fakes.outbox import InMemoryOutbox


class InMemoryReturns:
    def __init__(self, outbox: InMemoryOutbox | None = None) -> None:
        self.outbox = outbox or InMemoryOutbox()
        self.returns: dict[str, Return] = {}
        self.returned: dict[tuple[str, str], int] = {}  # (order id, sku) -> units asked back
        self.restocked: dict[tuple[str, str], int] = {}  # (sku, location) -> units back on hand
        self.written: list[DomainEvent] = []  # every event written with a change, in order
        self._lock = threading.Lock()

    def add(self, item: Return, returned_before: Mapping[str, int], events: Sequence[DomainEvent]) -> None:
        with self._lock:
            if item.id in self.returns:
                raise Conflict("that return exists already")
            for line in item.lines:
                if self.returned.get((item.order_id, line.sku), 0) != returned_before.get(line.sku, 0):
                    raise Conflict("a return of this order was asked for meanwhile")
            for line in item.lines:
                key = (item.order_id, line.sku)
                self.returned[key] = self.returned.get(key, 0) + line.quantity
            self._save(item, events)

    def get(self, return_id: str) -> Return | None:
        return self.returns.get(return_id)

    def for_order(self, order_id: str) -> list[Return]:
        return [r for r in self.returns.values() if r.order_id == order_id]

    def received_before(self, before: datetime, limit: int) -> list[Return]:
        due = [
            r
            for r in self.returns.values()
            if r.status is ReturnStatus.RECEIVED and (r.received_at or r.requested_at) < before
        ]
        return sorted(due, key=lambda r: (r.received_at or r.requested_at, r.id))[:limit]

    def receive(self, item: Return) -> None:
        self._move(item, ReturnStatus.REQUESTED, "the return was received already")

    def reopen(self, item: Return) -> None:
        self._move(item, ReturnStatus.RECEIVED, "the return is no longer waiting for its refund")

    def restock(self, item: Return, events: Sequence[DomainEvent]) -> None:
        with self._lock:
            self._check(item, ReturnStatus.RECEIVED, "the return was restocked already")
            assert item.location is not None
            for line in item.lines:
                key = (line.sku, item.location)
                self.restocked[key] = self.restocked.get(key, 0) + line.quantity
            self._save(item, events)

    def _move(self, item: Return, expected: ReturnStatus, refusal: str) -> None:
        with self._lock:
            self._check(item, expected, refusal)
            self._save(item, ())

    def _save(self, item: Return, events: Sequence[DomainEvent]) -> None:
        """The return and the events written with it, as the real table's transaction would."""
        self.returns[item.id] = item
        self.written.extend(events)
        self.outbox.add(events)

    def _check(self, item: Return, expected: ReturnStatus, refusal: str) -> None:
        current = self.returns.get(item.id)
        if current is None or current.status is not expected:
            raise Conflict(refusal)
