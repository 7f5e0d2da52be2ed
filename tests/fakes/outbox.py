"""The outbox in memory: the fakes that commit a change add its events here in the same step."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from commerce.domain.events import DomainEvent


class InMemoryOutbox:
    def __init__(self) -> None:
        self.entries: dict[str, DomainEvent] = {}

    def add(self, events: Sequence[DomainEvent]) -> None:
        for event in events:
            self.entries[event.event_id] = event

    def pending(self, older_than: datetime, limit: int) -> list[DomainEvent]:
        due = [e for e in self.entries.values() if e.occurred_at < older_than]
        return sorted(due, key=lambda e: (e.occurred_at, e.event_id))[:limit]

    def done(self, events: Sequence[DomainEvent]) -> None:
        for event in events:
            self.entries.pop(event.event_id, None)
