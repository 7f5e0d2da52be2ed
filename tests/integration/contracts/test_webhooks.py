"""The webhook subscriptions and deliveries: a subscription is added once and saved on the version read
(its events with it), a delivery is stored once per event and subscription, and its attempts are kept."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from commerce.adapters.dynamodb.webhooks import DynamoWebhookDeliveries, DynamoWebhookSubscriptions
from commerce.domain.errors import Conflict
from commerce.domain.events import DomainEvent
from commerce.domain.webhooks import Attempt, Delivery, DeliveryStatus, Subscription, SubscriptionStatus
from tests.fakes.webhooks import InMemoryWebhookDeliveries, InMemoryWebhookSubscriptions

from .conftest import NOW, Shop, take_pending


@pytest.fixture
def subscriptions(shop: Shop) -> Any:
    return shop.build(lambda: InMemoryWebhookSubscriptions(shop.outbox), DynamoWebhookSubscriptions)


@pytest.fixture
def deliveries(shop: Shop) -> Any:
    return shop.build(InMemoryWebhookDeliveries, DynamoWebhookDeliveries)


def a_subscription() -> Subscription:
    return Subscription(
        f"wh_{uuid.uuid4().hex[:12]}", "https://example.com/hook", ("OrderPaid",), b"sealed", NOW
    )


def a_delivery(subscription_id: str, minutes: int = 0) -> Delivery:
    event_id = uuid.uuid4().hex
    return Delivery(
        f"dl_{event_id[:12]}", subscription_id, event_id, "OrderPaid", "{}", NOW + timedelta(minutes=minutes)
    )


def test_a_subscription_is_added_once_and_listed(subscriptions: Any) -> None:
    subscription = a_subscription()

    subscriptions.add(subscription)
    with pytest.raises(Conflict):
        subscriptions.add(replace(subscription, url="https://example.com/other"))

    assert subscriptions.get(subscription.id) == subscription
    assert subscription in subscriptions.all()
    assert subscriptions.get("wh_nobody") is None


def test_a_save_bumps_the_version_and_a_stale_one_is_refused_without_its_events(
    shop: Shop, subscriptions: Any
) -> None:
    subscription = a_subscription()
    subscriptions.add(subscription)
    event = DomainEvent(type="WebhookSubscriptionPaused", occurred_at=NOW, data={"id": subscription.id})
    refused = DomainEvent(type="WebhookSubscriptionPaused", occurred_at=NOW, data={"id": subscription.id})

    saved = subscriptions.save(replace(subscription, status=SubscriptionStatus.PAUSED), [event])
    with pytest.raises(Conflict):
        subscriptions.save(replace(subscription, description="stale"), [refused])

    assert saved.version == subscription.version + 1
    assert subscriptions.get(subscription.id) == saved
    assert take_pending(shop, [event, refused]) == [event]


def test_saving_a_deleted_subscription_is_a_conflict(subscriptions: Any) -> None:
    subscription = a_subscription()
    subscriptions.add(subscription)

    assert subscriptions.delete(subscription.id) is True
    assert subscriptions.delete(subscription.id) is False
    with pytest.raises(Conflict):
        subscriptions.save(subscription)
    assert subscriptions.get(subscription.id) is None


def test_a_delivery_added_twice_is_stored_once_and_the_first_one_returned(deliveries: Any) -> None:
    delivery = a_delivery("wh_1")

    assert deliveries.add(delivery) == delivery
    assert deliveries.add(replace(delivery, body='{"again": true}')) == delivery
    assert deliveries.get(delivery.id) == delivery
    assert deliveries.get("dl_nobody") is None


def test_a_delivery_keeps_its_attempts_status_and_queueing(deliveries: Any) -> None:
    delivery = deliveries.add(a_delivery("wh_1"))
    failed = Attempt(1, NOW, 500, 12, "oops")
    delivered = Attempt(2, NOW + timedelta(minutes=1), 200, 9, "ok")

    deliveries.mark_queued(delivery.id)
    deliveries.record(delivery.id, failed, DeliveryStatus.PENDING)
    deliveries.record(delivery.id, delivered, DeliveryStatus.DELIVERED)

    assert deliveries.get(delivery.id) == replace(
        delivery, queued=True, attempts=(failed, delivered), status=DeliveryStatus.DELIVERED
    )
    deliveries.set_status(delivery.id, DeliveryStatus.FAILED)
    assert deliveries.get(delivery.id).status is DeliveryStatus.FAILED


def test_changing_an_unknown_delivery_is_a_conflict(deliveries: Any) -> None:
    with pytest.raises(Conflict):
        deliveries.record("dl_nobody", Attempt(1, NOW, 200, 1), DeliveryStatus.DELIVERED)
    with pytest.raises(Conflict):
        deliveries.set_status("dl_nobody", DeliveryStatus.FAILED)
    with pytest.raises(Conflict):
        deliveries.mark_queued("dl_nobody")


def test_a_subscriptions_deliveries_are_listed_newest_first_up_to_the_limit(deliveries: Any) -> None:
    subscription_id = f"wh_{uuid.uuid4().hex[:12]}"
    made = [deliveries.add(a_delivery(subscription_id, minutes=n)) for n in range(3)]
    deliveries.add(a_delivery("wh_other"))

    assert deliveries.for_subscription(subscription_id, 2) == [made[2], made[1]]
