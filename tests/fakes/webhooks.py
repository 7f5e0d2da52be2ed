"""In-memory fakes of the webhook ports, for unit tests with no AWS and no network."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from commerce.domain.errors import Conflict
from commerce.domain.events import DomainEvent
from commerce.domain.webhook_ports import DeliveryJob, HttpAnswer
from commerce.domain.webhooks import Attempt, Delivery, DeliveryStatus, Subscription
from tests.fakes.outbox import InMemoryOutbox


class InMemoryWebhookSubscriptions:
    def __init__(self, outbox: InMemoryOutbox | None = None) -> None:
        self.items: dict[str, Subscription] = {}
        self.outbox = outbox or InMemoryOutbox()  # a change's events, added with it
        self._lock = threading.Lock()

    def add(self, subscription: Subscription) -> None:
        with self._lock:
            if subscription.id in self.items:
                raise Conflict(f"subscription {subscription.id} exists")
            self.items[subscription.id] = subscription

    def get(self, subscription_id: str) -> Subscription | None:
        return self.items.get(subscription_id)

    def all(self) -> list[Subscription]:
        return sorted(self.items.values(), key=lambda s: (s.created_at, s.id))

    def save(self, subscription: Subscription, events: Sequence[DomainEvent] = ()) -> Subscription:
        with self._lock:
            stored = self.items.get(subscription.id)
            if stored is None or stored.version != subscription.version:
                raise Conflict("the subscription changed meanwhile")
            saved = replace(subscription, version=subscription.version + 1)
            self.items[subscription.id] = saved
            self.outbox.add(events)
            return saved

    def delete(self, subscription_id: str) -> bool:
        return self.items.pop(subscription_id, None) is not None


class InMemoryWebhookDeliveries:
    def __init__(self) -> None:
        self.items: dict[str, Delivery] = {}

    def add(self, delivery: Delivery) -> Delivery:
        return self.items.setdefault(delivery.id, delivery)

    def get(self, delivery_id: str) -> Delivery | None:
        return self.items.get(delivery_id)

    def record(self, delivery_id: str, attempt: Attempt, status: DeliveryStatus) -> None:
        delivery = self._stored(delivery_id)
        self.items[delivery_id] = replace(delivery, status=status, attempts=(*delivery.attempts, attempt))

    def set_status(self, delivery_id: str, status: DeliveryStatus) -> None:
        self.items[delivery_id] = replace(self._stored(delivery_id), status=status)

    def mark_queued(self, delivery_id: str) -> None:
        self.items[delivery_id] = replace(self._stored(delivery_id), queued=True)

    def _stored(self, delivery_id: str) -> Delivery:
        """The delivery to change; Conflict when there is none, as the table's condition answers."""
        if delivery_id not in self.items:
            raise Conflict(f"no delivery {delivery_id}")
        return self.items[delivery_id]

    def for_subscription(self, subscription_id: str, limit: int) -> list[Delivery]:
        mine = [d for d in self.items.values() if d.subscription_id == subscription_id]
        return sorted(mine, key=lambda d: (d.created_at, d.id), reverse=True)[:limit]


@dataclass
class InMemoryDeliveryQueue:
    """Jobs with the delay they were sent with; `dead` is the dead-letter queue."""

    jobs: list[tuple[DeliveryJob, int]] = field(default_factory=list)
    dead: list[tuple[DeliveryJob, str]] = field(default_factory=list)

    def enqueue(self, job: DeliveryJob, delay_seconds: int = 0) -> None:
        self.jobs.append((job, delay_seconds))

    def dead_letter(self, job: DeliveryJob, reason: str) -> None:
        self.dead.append((job, reason))

    def take(self) -> DeliveryJob | None:
        return self.jobs.pop(0)[0] if self.jobs else None


class InMemorySecretBox:
    """Not encryption: a reversible marker, so a test sees the secret is never stored as given."""

    def seal(self, subscription_id: str, secret: str) -> bytes:
        return f"sealed:{subscription_id}:{secret}".encode()[::-1]

    def open(self, subscription_id: str, sealed: bytes) -> str:
        text = sealed[::-1].decode()
        prefix = f"sealed:{subscription_id}:"
        if not text.startswith(prefix):
            raise ValueError("sealed for another subscription")
        return text[len(prefix) :]


@dataclass
class ScriptedReceiver:
    """Answers each post with the next of `answers` (the last one repeats); records every request."""

    answers: list[HttpAnswer] = field(default_factory=lambda: [HttpAnswer(200, 5, "ok")])
    requests: list[tuple[str, dict[str, str], str]] = field(default_factory=list)
    check: Callable[[str], HttpAnswer | None] = lambda url: None

    def post(self, url: str, headers: Mapping[str, str], body: str) -> HttpAnswer:
        refused = self.check(url)
        if refused is not None:
            return refused
        self.requests.append((url, dict(headers), body))
        index = min(len(self.requests) - 1, len(self.answers) - 1)
        return self.answers[index]
