"""Writers on moto built from template.yaml: a change's events land in the outbox with it, and a change
refused for its version writes none."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from commerce.adapters.dynamodb.customers import DynamoCustomers
from commerce.adapters.dynamodb.outbox import DynamoOutbox
from commerce.config import Settings
from commerce.domain.customer import Profile, ProfileChanges
from commerce.domain.errors import Conflict
from commerce.domain.events import DomainEvent

from .conftest import Stack

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def world(stack: Stack) -> dict[str, Any]:
    settings = Settings.from_env()
    client = boto3.client("dynamodb")
    return {
        "customers": DynamoCustomers(client, settings.table_name),
        "outbox": DynamoOutbox(client, settings.table_name),
    }


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
