"""The notifications queue built from template.yaml: bus rule -> queue -> function (partial batches) -> SES,
polled as Lambda does (local/queues.py), with moto's redrive to the dead-letter queue."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from moto.backends import get_backend

from commerce.adapters.dynamodb.codec import to_item
from commerce.adapters.dynamodb.orders import DynamoOrders, order_to_item
from commerce.config import Settings
from commerce.domain.money import Money
from commerce.domain.order import Order, OrderStatus
from commerce.domain.order_lines import OrderLine, OrderTotals
from local.queues import QueuePoller, queue_consumers
from local.samyaml import load_template

from .conftest import REPO, Stack

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
MAX_RECEIVES = 5  # the template's NotificationMaxReceives default


@pytest.fixture(scope="module")
def poller(stack: Stack) -> Iterator[QueuePoller]:
    consumers = queue_consumers(load_template(REPO / "template.yaml"))
    poller = QueuePoller(stack.runtime, consumers, stack.deployment.physical_ids)
    poller.drain()
    yield poller


def _order(email: str, country: str, currency: str = "EUR", total: int = 123456) -> Order:
    money = Money(total, currency)
    order = Order(
        id=str(uuid.uuid4()),
        status=OrderStatus.PAID,
        currency=currency,
        lines=(OrderLine("SKU-1", "Shoe", 1, money, money, Money(0, currency)),),
        totals=OrderTotals(money, Money(0, currency), Money(0, currency), Money(0, currency), money),
        email=email,
        shipping_address={"country": country, "city": "Paris"},
        billing_address={"country": country, "city": "Paris"},
        created_at=NOW,
        reservations=(),
        reservation_expires_at=NOW + timedelta(minutes=20),
        order_token_hash="x",
    )
    client = boto3.client("dynamodb")
    client.put_item(
        TableName=Settings.from_env().table_name,
        Item=to_item(order_to_item(order)),
    )
    assert DynamoOrders(client, Settings.from_env().table_name).get(order.id) is not None
    return order


def _put_on_bus(detail_type: str, envelope: dict[str, Any]) -> None:
    result = boto3.client("events").put_events(
        Entries=[
            {
                "Source": "commerce",
                "DetailType": detail_type,
                "Detail": json.dumps(envelope),
                "EventBusName": Settings.from_env().event_bus_name,
            }
        ]
    )
    assert result["FailedEntryCount"] == 0


def _paid(order: Order, event_id: str | None = None) -> dict[str, Any]:
    return {
        "event_id": event_id or str(uuid.uuid4()),
        "type": "OrderPaid",
        "version": 1,
        "occurred_at": NOW.isoformat(),
        "data": {"order_id": order.id, "currency": order.currency, "total": order.totals.total.amount},
    }


def _sent_to(address: str) -> list[Any]:
    ses = get_backend("ses")["123456789012"]["us-east-1"]
    return [m for m in ses.sent_messages if address in m.destinations.get("ToAddresses", [])]


def _queue_depth(stack: Stack, logical_id: str) -> int:
    attributes = boto3.client("sqs").get_queue_attributes(
        QueueUrl=stack.deployment.physical_ids[logical_id],
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(
        attributes["ApproximateNumberOfMessagesNotVisible"]
    )


def _dead_letters(stack: Stack) -> list[dict[str, Any]]:
    sqs = boto3.client("sqs")
    url = stack.deployment.physical_ids["NotificationsDeadLetterQueue"]
    found: list[dict[str, Any]] = []
    while True:
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0).get(
            "Messages", []
        )
        if not batch or len(found) > 50:
            return found
        for message in batch:
            found.append(message)
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def test_an_order_paid_on_the_bus_sends_one_confirmation_in_the_buyers_language(
    stack: Stack, poller: QueuePoller
) -> None:
    address = f"{uuid.uuid4().hex[:8]}@example.fr"
    order = _order(address, "FR")
    _put_on_bus("OrderPaid", _paid(order))

    poller.drain()

    (message,) = _sent_to(address)
    assert message.subject == f"Votre commande {order.id} est confirmée"
    assert "1\u202f234,56\xa0€" in message.body  # French grouping and spacing
    assert _queue_depth(stack, "NotificationsQueue") == 0


def test_the_same_event_delivered_twice_sends_one_email(stack: Stack, poller: QueuePoller) -> None:
    address = f"{uuid.uuid4().hex[:8]}@example.com"
    order = _order(address, "US", currency="USD", total=123456)
    envelope = _paid(order)
    _put_on_bus("OrderPaid", envelope)
    _put_on_bus("OrderPaid", envelope)

    poller.drain()

    (message,) = _sent_to(address)
    assert "$1,234.56" in message.body
    assert message.subject == f"Your order {order.id} is confirmed"


def test_a_poison_message_ends_in_the_dead_letter_queue_while_the_rest_of_its_batch_is_handled(
    stack: Stack, poller: QueuePoller
) -> None:
    _dead_letters(stack)  # start from an empty dead-letter queue
    sqs = boto3.client("sqs")
    url = stack.deployment.physical_ids["NotificationsQueue"]
    first, second = f"{uuid.uuid4().hex[:8]}@example.com", f"{uuid.uuid4().hex[:8]}@example.com"
    good = [_order(first, "GB"), _order(second, "GB")]
    bodies = [
        QueuePoller.body_of(_paid(good[0]), "OrderPaid"),
        json.dumps({"detail-type": "OrderPaid", "detail": {"type": "OrderPaid"}}),  # no event id, no order
        QueuePoller.body_of(_paid(good[1]), "OrderPaid"),
    ]
    sqs.send_message_batch(
        QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": body} for i, body in enumerate(bodies)]
    )

    rounds = 0
    while _queue_depth(stack, "NotificationsQueue") and rounds < MAX_RECEIVES + 3:
        poller.drain(max_rounds=1)
        rounds += 1

    assert len(_sent_to(first)) == 1 and len(_sent_to(second)) == 1
    (poison,) = _dead_letters(stack)
    assert json.loads(poison["Body"])["detail"] == {"type": "OrderPaid"}
    assert _queue_depth(stack, "NotificationsQueue") == 0
    assert rounds == MAX_RECEIVES + 1  # received MAX_RECEIVES times, moved on the next receive
