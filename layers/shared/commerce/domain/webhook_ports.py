"""The ports of outbound webhooks; each has an AWS adapter, and an in-memory fake in the tests."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from commerce.domain.events import DomainEvent
from commerce.domain.webhooks import Attempt, Delivery, DeliveryStatus, Subscription


@dataclass(frozen=True, slots=True)
class DeliveryJob:
    """A queued attempt of one delivery. `not_before` (Unix seconds) lets a wait longer than SQS's 15-minute
    delay take several hops; `replay` sends a delivery again whatever became of it."""

    delivery_id: str
    attempt: int = 1
    not_before: float = 0.0
    replay: bool = False

    def to_json(self) -> str:
        return json.dumps(
            {
                "delivery_id": self.delivery_id,
                "attempt": self.attempt,
                "not_before": self.not_before,
                "replay": self.replay,
            }
        )

    @classmethod
    def from_message(cls, values: Mapping[str, Any]) -> DeliveryJob:
        return cls(
            delivery_id=str(values["delivery_id"]),
            attempt=max(1, int(values.get("attempt", 1))),
            not_before=float(values.get("not_before", 0)),
            replay=bool(values.get("replay", False)),
        )


@dataclass(frozen=True, slots=True)
class HttpAnswer:
    status_code: int | None
    latency_ms: int
    excerpt: str = ""
    refused: bool = False  # the target was not called: its address is not allowed


class WebhookSubscriptions(Protocol):
    def add(self, subscription: Subscription) -> None: ...

    def get(self, subscription_id: str) -> Subscription | None: ...

    def all(self) -> list[Subscription]:
        """Every subscription, oldest first (a shop has tens, not thousands)."""
        ...

    def save(self, subscription: Subscription, events: Sequence[DomainEvent] = ()) -> Subscription:
        """Writes it if its version is still the stored one (Conflict otherwise, and nothing written), with
        `events` into the outbox in the same transaction; returns it, version + 1."""
        ...

    def delete(self, subscription_id: str) -> bool: ...


class WebhookDeliveries(Protocol):
    def add(self, delivery: Delivery) -> Delivery:
        """Stores it unless a delivery with its id exists; returns the stored one either way."""
        ...

    def get(self, delivery_id: str) -> Delivery | None: ...

    def record(self, delivery_id: str, attempt: Attempt, status: DeliveryStatus) -> None:
        """Appends the attempt and sets the status."""
        ...

    def set_status(self, delivery_id: str, status: DeliveryStatus) -> None: ...

    def mark_queued(self, delivery_id: str) -> None: ...

    def for_subscription(self, subscription_id: str, limit: int) -> list[Delivery]:
        """Newest first."""
        ...


class DeliveryQueue(Protocol):
    def enqueue(self, job: DeliveryJob, delay_seconds: int = 0) -> None: ...

    def dead_letter(self, job: DeliveryJob, reason: str) -> None: ...


class SecretBox(Protocol):
    def seal(self, subscription_id: str, secret: str) -> bytes: ...

    def open(self, subscription_id: str, sealed: bytes) -> str: ...


class WebhookSender(Protocol):
    def post(self, url: str, headers: Mapping[str, str], body: str) -> HttpAnswer:
        """Resolves the host, checks every address, connects to a checked one, posts; never raises for the
        target's failures (they are the answer)."""
        ...
