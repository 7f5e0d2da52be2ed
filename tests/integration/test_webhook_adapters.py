"""The webhook adapters against moto built from template.yaml (tables, queues, the DataKey), and the HTTP
sender against a real receiver on 127.0.0.1: production mode refuses what resolves to loopback or the
metadata address, and connects to the address it checked."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from commerce import bootstrap
from commerce.adapters.dynamodb.webhooks import DynamoWebhookDeliveries, DynamoWebhookSubscriptions
from commerce.adapters.webhook_delivery import HttpWebhookSender, KmsSecretBox, SqsDeliveryQueue
from commerce.config import Settings
from commerce.domain.errors import Conflict
from commerce.domain.webhook_ports import DeliveryJob
from commerce.domain.webhooks import Attempt, Delivery, DeliveryStatus, Subscription, TargetPolicy
from local.webhook_receiver import WebhookReceiver
from tests.polling import poll

from .conftest import Stack

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def settings(stack: Stack) -> Settings:
    return Settings.from_env()


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    running = WebhookReceiver().start()
    yield running
    running.stop()


def test_a_secret_is_sealed_with_the_data_key_for_its_subscription_only(settings: Settings) -> None:
    assert settings.data_key_arn
    box = KmsSecretBox(boto3.client("kms"), settings.data_key_arn)
    sealed = box.seal("whs_1", "whsec_abc")
    assert b"whsec_abc" not in sealed
    assert box.open("whs_1", sealed) == "whsec_abc"


def test_subscriptions_are_saved_under_their_version(settings: Settings) -> None:
    repository = DynamoWebhookSubscriptions(boto3.client("dynamodb"), settings.table_name)
    subscription = Subscription("whs_it1", "https://a.example.com/", ("OrderPaid",), b"\x01\x02", NOW)
    repository.add(subscription)
    saved = repository.save(replace(subscription, failing_since=NOW, flagged=True))
    assert repository.get("whs_it1") == saved and saved.version == 1
    with pytest.raises(Conflict):
        repository.save(replace(subscription, description="stale"))
    assert "whs_it1" in {s.id for s in repository.all()}
    assert repository.delete("whs_it1") and not repository.delete("whs_it1")
    assert repository.get("whs_it1") is None


def test_a_delivery_keeps_every_attempt_and_is_listed_newest_first(settings: Settings) -> None:
    repository = DynamoWebhookDeliveries(boto3.client("dynamodb"), settings.table_name)
    older = Delivery("whd_it1", "whs_it2", "evt-1", "OrderPaid", '{"a":1}', NOW)
    newer = replace(older, id="whd_it2", event_id="evt-2", created_at=NOW + timedelta(seconds=1))
    assert repository.add(older) == older
    repository.add(newer)
    repository.record("whd_it1", Attempt(1, NOW, 503, 12, "busy"), DeliveryStatus.PENDING)
    repository.record("whd_it1", Attempt(2, NOW, 200, 9, "ok"), DeliveryStatus.DELIVERED)
    again = repository.add(replace(older, body="another body"))  # a repeated fan-out finds the first one
    assert again.body == '{"a":1}' and [a.status_code for a in again.attempts] == [503, 200]
    assert again.status is DeliveryStatus.DELIVERED
    assert [d.id for d in repository.for_subscription("whs_it2", 10)] == ["whd_it2", "whd_it1"]


def test_a_connector_subscription_and_its_csv_delivery_keep_what_makes_them_a_connectors(
    settings: Settings,
) -> None:
    client = boto3.client("dynamodb")
    subscriptions = DynamoWebhookSubscriptions(client, settings.table_name)
    deliveries = DynamoWebhookDeliveries(client, settings.table_name)
    books = Subscription(
        "whs_it3",
        "https://books.example.com/",
        ("OrderPaid", "RefundIssued"),
        b"\x01",
        NOW,
        connector="accounting",
        settings={"format": "csv"},
    )
    subscriptions.add(books)
    csv = Delivery(
        "whd_it3",
        "whs_it3",
        "inv_o1",
        "accounting.invoice",
        "a,b\r\n",
        NOW,
        content_type="text/csv; charset=utf-8",
    )
    deliveries.add(csv)

    assert subscriptions.get("whs_it3") == books
    assert not books.wants("OrderPaid")  # fed its documents by the connectors function, not the raw event
    assert deliveries.get("whd_it3") == csv


def test_jobs_go_to_the_delivery_queue_and_spent_ones_to_its_dead_letter_queue(stack: Stack) -> None:
    ids = stack.deployment.physical_ids
    sqs = boto3.client("sqs")
    queue = SqsDeliveryQueue(sqs, ids["WebhookDeliveryQueue"], ids["WebhookDeliveryDeadLetterQueue"])
    delivery_id = f"whd_dead_{uuid.uuid4().hex[:8]}"
    queue.dead_letter(DeliveryJob(delivery_id, attempt=10), reason="HTTP 500")

    # Other tests on this stack may have dead-lettered deliveries of their own: find this one.
    def ours() -> dict[str, Any] | None:
        messages = sqs.receive_message(
            QueueUrl=ids["WebhookDeliveryDeadLetterQueue"], MaxNumberOfMessages=10, VisibilityTimeout=0
        ).get("Messages", [])
        bodies = [json.loads(m["Body"]) for m in messages]
        return next((b for b in bodies if b["delivery_id"] == delivery_id), None)

    assert poll(ours, seconds=10) == {
        "delivery_id": delivery_id,
        "attempt": 10,
        "not_before": 0.0,
        "replay": False,
        "reason": "HTTP 500",
    }


def test_the_dispatcher_and_the_admin_are_wired_from_the_template_environment(stack: Stack) -> None:
    assert bootstrap.webhook_dispatcher() is not None
    assert bootstrap.webhook_admin() is not None
    assert bootstrap.connector_feed() is not None


@pytest.mark.parametrize("address", ["127.0.0.1", "169.254.169.254"])
def test_in_production_a_name_resolving_to_loopback_or_the_metadata_address_is_refused(
    receiver: WebhookReceiver, address: str
) -> None:
    port = int(receiver.url.rsplit(":", 1)[1])
    sender = HttpWebhookSender(
        TargetPolicy(allow_loopback=False), resolver=lambda host, _: ["93.184.215.14", address]
    )
    answer = sender.post(f"https://hooks.example.com:{port}/in", {"X": "1"}, "{}")
    assert (
        answer.refused
        and answer.status_code is None
        and ("loopback" in answer.excerpt or "link-local" in answer.excerpt)
    )
    assert receiver.received == []


def test_the_sender_connects_to_the_address_it_checked_and_keeps_the_host_name(
    receiver: WebhookReceiver,
) -> None:
    port = int(receiver.url.rsplit(":", 1)[1])
    lookups: list[str] = []

    def resolver(host: str, _: int) -> list[str]:
        lookups.append(host)
        return ["127.0.0.1"]  # a rebinding name would answer differently the next time: never asked again

    sender = HttpWebhookSender(TargetPolicy(allow_loopback=True), resolver=resolver)
    answer = sender.post(f"http://hooks.invalid:{port}/in?x=1", {"Commerce-Event-Id": "e1"}, '{"ok":true}')
    assert answer.status_code == 200 and not answer.refused and answer.latency_ms >= 0
    assert lookups == ["hooks.invalid"]
    (got,) = receiver.received
    assert got.path == "/in?x=1" and got.headers["host"] == f"hooks.invalid:{port}"
    assert got.body == '{"ok":true}'


def test_an_unreachable_target_is_an_answer_without_a_status_not_an_error() -> None:
    sender = HttpWebhookSender(
        TargetPolicy(allow_loopback=True), resolver=lambda host, _: ["127.0.0.1"], timeout=2
    )
    answer = sender.post("http://closed.invalid:9/in", {}, "{}")
    assert answer.status_code is None and not answer.refused and answer.excerpt
