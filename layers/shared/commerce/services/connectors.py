"""The connectors function: each domain event a connector consumes becomes that connector's documents, one
delivery each per connector subscription, queued on the webhook delivery queue, where the dispatcher signs,
sends, retries and logs them as it does every webhook (docs/integrations.md)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from commerce.domain.connectors import CONNECTORS, Facts
from commerce.domain.customer import Profile
from commerce.domain.errors import ValidationFailed
from commerce.domain.events import DomainEvent
from commerce.domain.order import Order
from commerce.domain.ports import CustomerRepository, OrderRepository
from commerce.domain.webhook_ports import DeliveryQueue, WebhookDeliveries, WebhookSubscriptions
from commerce.domain.webhooks import Delivery, delivery_id
from commerce.services.webhooks import bus_event, queue_once

logger = logging.getLogger(__name__)


class StoredFacts:
    """Facts read from the table: the order or the customer an event names."""

    def __init__(self, orders: OrderRepository, customers: CustomerRepository) -> None:
        self._orders = orders
        self._customers = customers

    def order(self, order_id: str) -> Order | None:
        return self._orders.get(order_id)

    def customer(self, customer_id: str) -> Profile | None:
        return self._customers.get_profile(customer_id) if customer_id else None


class ConnectorFeed:
    def __init__(
        self,
        subscriptions: WebhookSubscriptions,
        deliveries: WebhookDeliveries,
        queue: DeliveryQueue,
        facts: Facts,
        clock: Callable[[], datetime],
    ) -> None:
        self._subscriptions = subscriptions
        self._deliveries = deliveries
        self._queue = queue
        self._facts = facts
        self._clock = clock

    def handle(self, message: str) -> int:
        """One SQS message from the connectors' rule: an EventBridge event."""
        detail_type, envelope = bus_event(json.loads(message))
        if not envelope.get("event_id"):
            raise ValidationFailed(f"a {detail_type} event without an event_id")
        return self.feed(DomainEvent.from_envelope(_with_type(envelope, detail_type)))

    def feed(self, event: DomainEvent) -> int:
        """Queues each document of each active connector subscription that consumes the event; a repeated
        event makes the same document ids, so finds its deliveries made and queues nothing twice."""
        queued = 0
        for subscription in self._subscriptions.all():
            chosen = CONNECTORS.get(subscription.connector or "")
            if chosen is None or not subscription.is_active or event.type not in chosen.consumes:
                continue
            for document in chosen.documents(event, subscription.settings, self._facts):
                wanted = Delivery(
                    id=delivery_id(document.id, subscription.id),
                    subscription_id=subscription.id,
                    event_id=document.id,
                    event_type=document.type,
                    body=document.body,
                    created_at=self._clock(),
                    content_type=document.content_type,
                )
                queued += queue_once(self._deliveries, self._queue, wanted)
                logger.info(
                    "connector document",
                    extra={
                        "connector": chosen.name,
                        "subscription_id": subscription.id,
                        "document": document.type,
                        "document_id": document.id,
                        "source_event_id": event.event_id,
                    },
                )
        return queued


def _with_type(envelope: Mapping[str, Any], detail_type: str) -> dict[str, Any]:
    return {"type": detail_type, "version": 1, **envelope}
