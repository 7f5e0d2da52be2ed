"""Outbound webhooks: staff manage subscriptions (`WebhookAdmin`); the dispatcher fans each domain event
out to the subscriptions that want it and delivers each one, signed, with retries (`WebhookDispatcher`). A
subscription paused for failing writes its `WebhookSubscriptionPaused` into the outbox with the pause."""

from __future__ import annotations

import json
import logging
import math
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from commerce.domain.connectors import connector
from commerce.domain.errors import Conflict, InvalidState, NotFound, ValidationFailed
from commerce.domain.events import DomainEvent
from commerce.domain.ports import MerchantNotifier
from commerce.domain.webhook_ports import (
    DeliveryJob,
    DeliveryQueue,
    HttpAnswer,
    SecretBox,
    WebhookDeliveries,
    WebhookSender,
    WebhookSubscriptions,
)
from commerce.domain.webhooks import (
    DELIVERY_ID_HEADER,
    EVENT_ID_HEADER,
    EVENT_TYPE_HEADER,
    SIGNATURE_HEADER,
    Attempt,
    Delivery,
    DeliveryStatus,
    Outcome,
    RetryPolicy,
    Subscription,
    TargetPolicy,
    delivery_id,
    event_types,
    new_subscription_id,
    outcome,
    signature_header,
)
from commerce.services.outbox import OutboxRelay

logger = logging.getLogger(__name__)

MAX_SQS_DELAY = 900  # seconds: SQS's limit per message; longer waits take several hops
SAVE_ATTEMPTS = 4
USER_AGENT = "commerce-webhooks/1"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def bus_event(message: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
    """(detail type, envelope) of an EventBridge event as its rule's SQS target receives it."""
    detail = message.get("detail")
    envelope = json.loads(detail) if isinstance(detail, str) else detail
    return str(message["detail-type"]), envelope or {}


def queue_once(deliveries: WebhookDeliveries, queue: DeliveryQueue, wanted: Delivery) -> int:
    """Stores the delivery and queues its first attempt, unless an earlier run did (1 if queued now): the
    bus delivers an event at least once, and a run may stop between storing and queueing."""
    stored = deliveries.add(wanted)
    if stored.queued:
        return 0
    queue.enqueue(DeliveryJob(stored.id))
    deliveries.mark_queued(stored.id)
    return 1


def subscription_paused(subscription: Subscription, at: datetime) -> DomainEvent:
    since = subscription.failing_since or at
    return DomainEvent(
        type="WebhookSubscriptionPaused",
        occurred_at=at,
        data={
            "subscription_id": subscription.id,
            "url": subscription.url,
            "reason": "failing",
            "failing_since": since.isoformat(),
        },
    )


def _paused_now(before: Subscription, after: Subscription) -> bool:
    return before.is_active and not after.is_active


@dataclass(frozen=True, slots=True)
class Created:
    subscription: Subscription
    secret: str  # shown once, never stored in clear


class WebhookAdmin:
    def __init__(
        self,
        subscriptions: WebhookSubscriptions,
        deliveries: WebhookDeliveries,
        queue: DeliveryQueue,
        box: SecretBox,
        targets: TargetPolicy,
        clock: Callable[[], datetime],
    ) -> None:
        self._subscriptions = subscriptions
        self._deliveries = deliveries
        self._queue = queue
        self._box = box
        self._targets = targets
        self._clock = clock

    def create(
        self,
        url: str,
        types: Sequence[str],
        description: str = "",
        connector_name: str | None = None,
        settings: Mapping[str, str] | None = None,
    ) -> Created:
        """A subscription to event types, or (with `connector_name`) a connector's: it receives that
        connector's documents, made of the event types the connector consumes, shaped by its settings."""
        self._targets.check_url(url)
        if connector_name is not None:
            chosen = connector(connector_name)
            types, checked = sorted(chosen.consumes), chosen.check(settings or {})
        elif settings:
            raise ValidationFailed("settings belong to a connector: name one, or send no settings")
        else:
            checked = {}
        subscription_id = new_subscription_id()
        secret = new_secret()
        subscription = Subscription(
            id=subscription_id,
            url=url,
            event_types=event_types(types),
            secret_ciphertext=self._box.seal(subscription_id, secret),
            created_at=self._clock(),
            description=description,
            connector=connector_name,
            settings=checked,
        )
        self._subscriptions.add(subscription)
        return Created(subscription, secret)

    def all(self) -> list[Subscription]:
        return self._subscriptions.all()

    def get(self, subscription_id: str) -> Subscription:
        subscription = self._subscriptions.get(subscription_id)
        if subscription is None:
            raise NotFound(f"no webhook subscription {subscription_id}")
        return subscription

    def update(
        self,
        subscription_id: str,
        url: str | None = None,
        types: Sequence[str] | None = None,
        description: str | None = None,
        settings: Mapping[str, str] | None = None,
    ) -> Subscription:
        if url is not None:
            self._targets.check_url(url)
        chosen = event_types(types) if types is not None else None

        def change(current: Subscription) -> Subscription:
            if current.connector is not None and chosen is not None:
                raise ValidationFailed("a connector's event types are its connector's: change its settings")
            if current.connector is None and settings is not None:
                raise ValidationFailed("settings belong to a connector's subscription")
            return replace(
                current,
                url=url if url is not None else current.url,
                event_types=chosen if chosen is not None else current.event_types,
                description=description if description is not None else current.description,
                settings=connector(current.connector).check(settings)
                if current.connector is not None and settings is not None
                else current.settings,
            )

        return self._change(subscription_id, change)

    def pause(self, subscription_id: str) -> Subscription:
        return self._change(subscription_id, lambda s: s if not s.is_active else s.paused("by_staff"))

    def resume(self, subscription_id: str) -> Subscription:
        return self._change(subscription_id, lambda s: s.resumed())

    def delete(self, subscription_id: str) -> None:
        if not self._subscriptions.delete(subscription_id):
            raise NotFound(f"no webhook subscription {subscription_id}")

    def deliveries(self, subscription_id: str, limit: int = 25) -> list[Delivery]:
        self.get(subscription_id)
        return self._deliveries.for_subscription(subscription_id, limit)

    def replay(self, delivery_id: str) -> Delivery:
        """Sends exactly that event again (same body, same event id), with a fresh run of retries."""
        delivery = self._deliveries.get(delivery_id)
        if delivery is None:
            raise NotFound(f"no webhook delivery {delivery_id}")
        subscription = self._subscriptions.get(delivery.subscription_id)
        if subscription is None:
            raise NotFound(f"the subscription of delivery {delivery_id} was deleted")
        if not subscription.is_active:
            raise InvalidState("the subscription is paused: resume it, then replay")
        if delivery.status is DeliveryStatus.PENDING:
            raise InvalidState("the delivery is still being attempted: replay it once delivered or failed")
        self._deliveries.set_status(delivery_id, DeliveryStatus.PENDING)
        self._queue.enqueue(DeliveryJob(delivery_id, attempt=1, replay=True))
        return replace(delivery, status=DeliveryStatus.PENDING)

    def _change(self, subscription_id: str, change: Callable[[Subscription], Subscription]) -> Subscription:
        for _ in range(SAVE_ATTEMPTS):
            current = self.get(subscription_id)
            changed = change(current)
            if changed == current:
                return current
            try:
                return self._subscriptions.save(changed)
            except Conflict:
                continue
        raise Conflict(f"webhook subscription {subscription_id} kept changing")


class WebhookDispatcher:
    def __init__(
        self,
        subscriptions: WebhookSubscriptions,
        deliveries: WebhookDeliveries,
        queue: DeliveryQueue,
        box: SecretBox,
        sender: WebhookSender,
        relay: OutboxRelay,
        notifier: MerchantNotifier,
        policy: RetryPolicy,
        clock: Callable[[], datetime],
    ) -> None:
        self._subscriptions = subscriptions
        self._deliveries = deliveries
        self._queue = queue
        self._box = box
        self._sender = sender
        self._relay = relay
        self._notifier = notifier
        self._policy = policy
        self._clock = clock

    def handle(self, message: str) -> None:
        """One SQS message: a domain event from the bus (fan it out) or a queued delivery (attempt it)."""
        values = json.loads(message)
        if "detail-type" in values:
            self.fan_out(*bus_event(values))
        else:
            self.deliver(DeliveryJob.from_message(values))

    # fan-out: one delivery per subscription that wants the event
    def fan_out(self, detail_type: str, envelope: Mapping[str, Any]) -> int:
        """Queues one delivery per active subscription that wants the event; a repeated event (the bus
        delivers at least once) finds its deliveries made and queues only those never queued."""
        event_id = str(envelope.get("event_id") or "")
        if not event_id:
            raise ValidationFailed("a domain event without an event_id")
        body = json.dumps(dict(envelope), separators=(",", ":"), ensure_ascii=False)
        queued = 0
        for subscription in self._subscriptions.all():
            if not (subscription.is_active and subscription.wants(detail_type)):
                continue
            wanted = Delivery(
                id=delivery_id(event_id, subscription.id),
                subscription_id=subscription.id,
                event_id=event_id,
                event_type=detail_type,
                body=body,
                created_at=self._clock(),
            )
            queued += queue_once(self._deliveries, self._queue, wanted)
        return queued

    # one attempt
    def deliver(self, job: DeliveryJob) -> Outcome | None:
        """One attempt of a queued delivery; None when there was nothing to do (not due yet, done already,
        or its subscription is gone or paused)."""
        now = self._clock()
        remaining = job.not_before - now.timestamp()
        if remaining > 0:
            # Longer than one SQS delay: wait again, up to 15 minutes a hop.
            self._queue.enqueue(job, delay_seconds=min(MAX_SQS_DELAY, math.ceil(remaining)))
            return None
        delivery = self._deliveries.get(job.delivery_id)
        if delivery is None or (delivery.status is not DeliveryStatus.PENDING and not job.replay):
            return None
        subscription = self._subscriptions.get(delivery.subscription_id)
        if subscription is None:
            return None  # deleted: its deliveries expire with their TTL
        if not subscription.is_active:
            # Paused: nothing more is attempted; staff replay it once the subscription is resumed.
            self._deliveries.set_status(delivery.id, DeliveryStatus.FAILED)
            logger.info("webhook delivery dropped", extra={"delivery_id": delivery.id, "reason": "paused"})
            return None
        answer = self._send(subscription, delivery, now)
        result = Outcome.GIVE_UP if answer.refused else outcome(answer.status_code, job.attempt, self._policy)
        attempt = Attempt(
            number=len(delivery.attempts) + 1,
            at=now,
            status_code=answer.status_code,
            latency_ms=answer.latency_ms,
            excerpt=answer.excerpt,
        )
        status = {
            Outcome.DELIVERED: DeliveryStatus.DELIVERED,
            Outcome.RETRY: DeliveryStatus.PENDING,
            Outcome.GIVE_UP: DeliveryStatus.FAILED,
        }[result]
        if result is Outcome.GIVE_UP:
            # Its consequences first, the status last: whoever sees the delivery failed sees the dead letter
            # and the flag too; a crash in between only means another attempt.
            self._queue.dead_letter(job, reason=answer.excerpt or f"HTTP {answer.status_code}")
            self._failed(subscription.id, now, flag=True)
        self._deliveries.record(delivery.id, attempt, status)
        logger.info(
            "webhook attempt",
            extra={
                "delivery_id": delivery.id,
                "subscription_id": subscription.id,
                "event_id": delivery.event_id,
                "attempt": job.attempt,
                "status_code": answer.status_code,
                "latency_ms": answer.latency_ms,
                "outcome": result.value,
            },
        )
        if result is Outcome.DELIVERED:
            self._succeeded(subscription.id)
            return result
        if result is Outcome.RETRY:
            delay = self._policy.delay_after(job.attempt)
            self._queue.enqueue(
                DeliveryJob(delivery.id, job.attempt + 1, now.timestamp() + delay, job.replay),
                delay_seconds=min(MAX_SQS_DELAY, delay),
            )
            self._failed(subscription.id, now, flag=False)
        return result

    def _send(self, subscription: Subscription, delivery: Delivery, now: datetime) -> HttpAnswer:
        secret = self._box.open(subscription.id, subscription.secret_ciphertext)
        headers = {
            "Content-Type": delivery.content_type,
            "User-Agent": USER_AGENT,
            SIGNATURE_HEADER: signature_header(secret, int(now.timestamp()), delivery.body),
            EVENT_ID_HEADER: delivery.event_id,
            EVENT_TYPE_HEADER: delivery.event_type,
            DELIVERY_ID_HEADER: delivery.id,
        }
        return self._sender.post(subscription.url, headers, delivery.body)

    def _succeeded(self, subscription_id: str) -> None:
        def change(current: Subscription) -> Subscription:
            return current if current.failing_since is None else replace(current, failing_since=None)

        self._update(subscription_id, change)

    def _failed(self, subscription_id: str, now: datetime, flag: bool) -> None:
        def change(current: Subscription) -> Subscription:
            since = current.failing_since or now
            changed = replace(current, failing_since=since, flagged=current.flagged or flag)
            if changed.is_active and now - since >= self._policy.pause_after:
                changed = changed.paused("failing")
            return changed

        def announce(before: Subscription, after: Subscription) -> list[DomainEvent]:
            return [subscription_paused(after, now)] if _paused_now(before, after) else []

        moved = self._update(subscription_id, change, announce)
        if moved is not None and _paused_now(*moved):
            self._notify_pause(moved[1], now)

    def _update(
        self,
        subscription_id: str,
        change: Callable[[Subscription], Subscription],
        announce: Callable[[Subscription, Subscription], list[DomainEvent]] | None = None,
    ) -> tuple[Subscription, Subscription] | None:
        """(before, after) when this call changed the subscription; None when there was nothing to change.
        The events `announce` finds in the change go into the outbox with it, then on the bus."""
        for _ in range(SAVE_ATTEMPTS):
            current = self._subscriptions.get(subscription_id)
            if current is None:
                return None
            changed = change(current)
            if changed == current:
                return None
            events = announce(current, changed) if announce else []
            try:
                saved = self._subscriptions.save(changed, events)
            except Conflict:
                continue
            self._relay.deliver(events)
            return current, saved
        raise Conflict(f"webhook subscription {subscription_id} kept changing")

    def _notify_pause(self, subscription: Subscription, now: datetime) -> None:
        since = subscription.failing_since or now
        self._notifier.notify(
            "A webhook subscription was paused",
            f"Deliveries to {subscription.url} have failed since {since.isoformat()}; the subscription is "
            "paused. Fix the receiver, resume the subscription, then replay the failed deliveries.",
            {"subscription_id": subscription.id, "url": subscription.url},
        )
        logger.warning("webhook subscription paused", extra={"subscription_id": subscription.id})
