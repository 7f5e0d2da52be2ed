"""The event bus in memory: what was published, or a publisher that always fails."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from commerce.domain.errors import (
    DependencyFailed,
)
from commerce.domain.events import DomainEvent


class InMemoryEvents:
    def __init__(self) -> None:
        self.published: list[DomainEvent] = []
        self.fail_next: Exception | None = None

    def publish(self, events: Sequence[DomainEvent]) -> None:
        if self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error
        self.published.extend(events)

    def types(self) -> list[str]:
        return [event.type for event in self.published]


class FailingPublisher:
    """An event bus that refuses everything, to show browsing goes on without analytics."""

    def __init__(self) -> None:
        self.attempts = 0

    def publish(self, events: Sequence[Any]) -> None:
        self.attempts += 1
        raise DependencyFailed("EventBridge is down")
