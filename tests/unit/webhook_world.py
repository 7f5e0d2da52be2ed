"""The webhook admin and dispatcher on in-memory fakes that share their subscriptions, deliveries, queue and
secrets, as the composition root wires them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from commerce.domain.webhooks import RetryPolicy, TargetPolicy
from commerce.services.outbox import OutboxRelay
from commerce.services.webhooks import WebhookAdmin, WebhookDispatcher
from tests.fakes.events import InMemoryEvents
from tests.fakes.notifications import InMemoryMerchantNotifier
from tests.fakes.webhooks import (
    InMemoryDeliveryQueue,
    InMemorySecretBox,
    InMemoryWebhookDeliveries,
    InMemoryWebhookSubscriptions,
    ScriptedReceiver,
)


class WebhookPipeline:
    """`clock` for the admin and the outbox relay; `signing_clock` (else `clock`) for the dispatcher, which
    signs each delivery with its time."""

    def __init__(
        self,
        receiver: ScriptedReceiver,
        clock: Callable[[], datetime],
        policy: RetryPolicy | None = None,
        signing_clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.subscriptions = InMemoryWebhookSubscriptions()
        self.deliveries = InMemoryWebhookDeliveries()
        self.queue = InMemoryDeliveryQueue()
        self.box = InMemorySecretBox()
        self.receiver = receiver
        self.events = InMemoryEvents()
        self.notifier = InMemoryMerchantNotifier()
        self.admin = WebhookAdmin(
            self.subscriptions, self.deliveries, self.queue, self.box, TargetPolicy(), clock
        )
        self.dispatcher = WebhookDispatcher(
            self.subscriptions,
            self.deliveries,
            self.queue,
            self.box,
            receiver,
            OutboxRelay(self.subscriptions.outbox, self.events, clock),
            self.notifier,
            policy or RetryPolicy(),
            signing_clock or clock,
        )
