"""Writers on moto built from template.yaml: a change's events land in the outbox with it, and a change
refused for its version writes none."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from commerce.adapters.dynamodb.customers import DynamoCustomers
from commerce.adapters.dynamodb.outbox import DynamoOutbox
from commerce.adapters.dynamodb.segments import DynamoSegments
from commerce.adapters.dynamodb.webhooks import DynamoWebhookSubscriptions
from commerce.domain.customer import Profile, ProfileChanges
from commerce.domain.errors import Conflict
from commerce.domain.events import DomainEvent
from commerce.domain.segments import Segment, SegmentMove
from commerce.domain.webhooks import Subscription
from commerce.services.webhooks import subscription_paused

from .conftest import Stack, table_world

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def world(stack: Stack) -> dict[str, Any]:
    return table_world(
        customers=DynamoCustomers,
        segments=DynamoSegments,
        subscriptions=DynamoWebhookSubscriptions,
        outbox=DynamoOutbox,
    )


def _waiting(outbox: DynamoOutbox) -> set[str]:
    return {e.event_id for e in outbox.pending(datetime.now(UTC) + timedelta(days=1), 1000)}


def _consent_event(customer_id: str) -> DomainEvent:
    return DomainEvent("CustomerConsentChanged", NOW, {"customer_id": customer_id})


def test_a_profile_saved_with_a_consent_change_writes_its_event_and_a_stale_save_writes_none(
    world: dict[str, Any],
) -> None:
    customers: DynamoCustomers = world["customers"]
    profile = Profile.new(f"sub-{uuid.uuid4().hex}", "ada@example.com", NOW)
    customers.save_profile(profile, expected_version=None)
    saved, refused = _consent_event(profile.customer_id), _consent_event(profile.customer_id)

    consenting = profile.changed(ProfileChanges(marketing_consent=True), NOW)
    customers.save_profile(consenting, profile.version, [saved])
    with pytest.raises(Conflict):
        customers.save_profile(consenting, profile.version, [refused])  # the version moved with the first

    waiting = _waiting(world["outbox"])
    assert saved.event_id in waiting and refused.event_id not in waiting
    world["outbox"].done([saved])


def test_a_segment_move_writes_its_event_and_a_move_from_a_stale_segment_writes_none(
    world: dict[str, Any],
) -> None:
    customer = f"sub-{uuid.uuid4().hex}"
    world["client"].put_item(
        TableName=world["table"],
        Item={"PK": {"S": f"CUSTOMER#{customer}"}, "SK": {"S": "STATS"}, "GSI1SK": {"S": customer}},
    )
    moved, refused = (DomainEvent("CustomerSegmentChanged", NOW, {"customer_id": customer}) for _ in range(2))

    assert world["segments"].set_segment(SegmentMove(customer, None, Segment.NEW), [moved]) is True
    assert world["segments"].set_segment(SegmentMove(customer, None, Segment.REPEAT), [refused]) is False

    waiting = _waiting(world["outbox"])
    assert moved.event_id in waiting and refused.event_id not in waiting
    world["outbox"].done([moved])


def test_a_subscription_paused_with_its_event_writes_it_and_a_stale_pause_writes_none(
    world: dict[str, Any],
) -> None:
    subscriptions: DynamoWebhookSubscriptions = world["subscriptions"]
    active = Subscription(
        id=f"wh-{uuid.uuid4().hex[:12]}",
        url="https://hooks.example.com/in",
        event_types=("OrderPaid",),
        secret_ciphertext=b"sealed",
        created_at=NOW,
        failing_since=NOW,
    )
    subscriptions.add(active)
    paused = active.paused("failing")
    announced, refused = subscription_paused(paused, NOW), subscription_paused(paused, NOW)

    subscriptions.save(paused, [announced])
    with pytest.raises(Conflict):
        subscriptions.save(paused, [refused])  # still at the version it was read at

    waiting = _waiting(world["outbox"])
    assert announced.event_id in waiting and refused.event_id not in waiting
    world["outbox"].done([announced])
