"""EventBridge PutEvents partial failures: the failed entries are sent again, the others not, and what
still fails after the bound is raised; an event written through the outbox then waits there for the sweeper.

The faults come from a wrapped events client in front of moto's bus: each put_events forwards the entries
it lets through and answers the others with an ErrorCode, as EventBridge does. A rule on the bus copies
every event to a queue, where the test counts what arrived."""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
import stripe

from commerce.adapters.aws_workflow import PUT_EVENTS_ATTEMPTS, EventBridgePublisher
from commerce.adapters.dynamodb.outbox import DynamoOutbox
from commerce.config import Settings
from commerce.domain.errors import DependencyFailed
from commerce.domain.events import DomainEvent
from commerce.services.outbox import OutboxRelay

from .conftest import Stack
from .test_payment_webhook_handler import WEBHOOK, a_pending_order, delivery, stored, webhook_secret


def refund_delivery(stack: Stack, order_id: str, event_id: str) -> dict[str, Any]:
    """Stripe's signed charge.refunded for the order (10.00 of its 25.00): it announces RefundIssued."""
    event = delivery(stack, order_id, event_id)
    charge = {
        "id": f"ch_{order_id}",
        "object": "charge",
        "payment_intent": f"pi_{order_id}",
        "amount_refunded": 1000,
        "currency": "eur",
        "metadata": {"order_id": order_id},
    }
    body = json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": "charge.refunded",
            "created": 1,
            "data": {"object": charge},
        }
    )
    timestamp = int(time.time())
    signature = stripe.WebhookSignature._compute_signature(f"{timestamp}.{body}", webhook_secret(stack))
    event["body"] = body
    event["headers"]["stripe-signature"] = f"t={timestamp},v1={signature}"
    return event


Refusal = Callable[[int, int, dict[str, Any]], str | None]  # (call, index, entry) -> ErrorCode or None


class FlakyEvents:
    """An events client whose put_events refuses the entries `refuse` names, forwarding the rest."""

    def __init__(self, refuse: Refusal, malformed: bool = False) -> None:
        self._real = boto3.client("events", region_name="us-east-1")
        self._refuse = refuse
        self._malformed = malformed
        self.calls: list[list[str]] = []  # the event ids of each call's entries

    def put_events(self, Entries: list[dict[str, Any]]) -> dict[str, Any]:
        call = len(self.calls)
        self.calls.append([json.loads(e["Detail"])["event_id"] for e in Entries])
        codes = [self._refuse(call, i, entry) for i, entry in enumerate(Entries)]
        passed = [entry for entry, code in zip(Entries, codes, strict=True) if code is None]
        real = iter(self._real.put_events(Entries=passed)["Entries"] if passed else [])
        answers = [
            next(real) if code is None else {"ErrorCode": code, "ErrorMessage": "injected"} for code in codes
        ]
        failed = sum(1 for code in codes if code)
        if self._malformed and failed:
            return {"FailedEntryCount": failed, "Entries": []}
        return {"FailedEntryCount": failed, "Entries": answers}


@pytest.fixture(scope="module")
def bus(stack: Stack) -> str:
    return Settings.from_env().event_bus_name


@pytest.fixture
def arrived(bus: str) -> Iterator[Callable[[], Counter[str]]]:
    """Event ids copied to a queue by a rule on the bus, counted; the rule is removed afterwards."""
    sqs = boto3.client("sqs", region_name="us-east-1")
    events = boto3.client("events", region_name="us-east-1")
    name = f"faults-{uuid.uuid4().hex[:8]}"
    queue_url = sqs.create_queue(QueueName=name)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    events.put_rule(Name=name, EventBusName=bus, EventPattern=json.dumps({"source": ["commerce"]}))
    events.put_targets(Rule=name, EventBusName=bus, Targets=[{"Id": "queue", "Arn": queue_arn}])
    seen: Counter[str] = Counter()

    def count() -> Counter[str]:
        while True:
            batch = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
            if not batch:
                return seen
            for message in batch:
                seen[json.loads(message["Body"])["detail"]["event_id"]] += 1
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])

    yield count
    events.remove_targets(Rule=name, EventBusName=bus, Ids=["queue"])
    events.delete_rule(Name=name, EventBusName=bus)
    sqs.delete_queue(QueueUrl=queue_url)


def some_events(count: int) -> list[DomainEvent]:
    now = datetime.now(UTC)
    return [
        DomainEvent("StockLow", now, {"sku": f"SKU-{n}"}, event_id=str(uuid.uuid4())) for n in range(count)
    ]


def publisher(client: FlakyEvents, bus: str) -> EventBridgePublisher:
    return EventBridgePublisher(client, bus, sleep=lambda _seconds: None)


def test_only_the_entries_eventbridge_refused_are_sent_again_and_each_event_arrives_once(
    bus: str, arrived: Callable[[], Counter[str]]
) -> None:
    events = some_events(13)  # two batches: 10 and 3
    ids = [e.event_id for e in events]
    refused_once = {ids[1], ids[4], ids[11]}
    codes = iter(["ThrottlingException", "InternalFailure", "ThrottlingException"])
    flaky = FlakyEvents(
        lambda call, _i, entry: (
            next(codes)
            if json.loads(entry["Detail"])["event_id"] in refused_once and call in (0, 2)
            else None
        )
    )

    publisher(flaky, bus).publish(events)

    assert flaky.calls == [ids[:10], [ids[1], ids[4]], ids[10:], [ids[11]]]
    assert arrived() == Counter(dict.fromkeys(ids, 1))


def test_entries_refused_on_every_attempt_raise_after_the_bound_and_the_rest_arrive_once(
    bus: str, arrived: Callable[[], Counter[str]]
) -> None:
    events = some_events(4)
    ids = [e.event_id for e in events]
    flaky = FlakyEvents(
        lambda _call, _i, entry: (
            "InternalFailure" if json.loads(entry["Detail"])["event_id"] == ids[2] else None
        )
    )

    with pytest.raises(DependencyFailed):
        publisher(flaky, bus).publish(events)

    assert len(flaky.calls) == PUT_EVENTS_ATTEMPTS
    assert flaky.calls[1:] == [[ids[2]]] * (PUT_EVENTS_ATTEMPTS - 1)
    assert arrived() == Counter({ids[0]: 1, ids[1]: 1, ids[3]: 1})


def test_an_answer_that_does_not_say_which_entries_failed_sends_them_all_again(
    bus: str, arrived: Callable[[], Counter[str]]
) -> None:
    events = some_events(3)
    ids = [e.event_id for e in events]
    flaky = FlakyEvents(
        lambda call, _i, entry: (
            "InternalFailure" if call == 0 and json.loads(entry["Detail"])["event_id"] == ids[0] else None
        ),
        malformed=True,
    )

    publisher(flaky, bus).publish(events)

    assert flaky.calls == [ids, ids]
    assert set(arrived()) == set(ids)  # ids[1] and ids[2] twice: consumers drop a repeated event id


def test_a_webhook_whose_events_cannot_be_put_on_the_bus_leaves_them_in_the_outbox_for_the_sweeper(
    stack: Stack, bus: str, arrived: Callable[[], Counter[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    module = vars(stack.runtime.module(WEBHOOK).stripe_events)
    relay = module["payment_events"]._relay
    down = FlakyEvents(lambda _call, _i, _entry: "InternalFailure")
    monkeypatch.setattr(relay, "_publisher", publisher(down, bus))
    order_id = a_pending_order(stack)
    event_id = f"evt_{uuid.uuid4().hex[:12]}"

    first = stack.runtime.invoke(WEBHOOK, refund_delivery(stack, order_id, event_id))

    # The change and its events committed together: Stripe is answered, the events wait in the outbox.
    assert first["statusCode"] == 200, first
    assert len(down.calls) == PUT_EVENTS_ATTEMPTS
    assert stored(stack, order_id)["refunded"] == 1000
    assert arrived() == Counter()

    monkeypatch.setattr(relay, "_publisher", publisher(FlakyEvents(lambda *_: None), bus))
    again = stack.runtime.invoke(WEBHOOK, refund_delivery(stack, order_id, event_id))
    assert again["statusCode"] == 200 and json.loads(again["body"])["result"] == "duplicate"
    assert arrived() == Counter()  # a replay changes nothing and announces nothing

    later = OutboxRelay(
        DynamoOutbox(boto3.client("dynamodb"), Settings.from_env().table_name),
        publisher(FlakyEvents(lambda *_: None), bus),
        lambda: datetime.now(UTC) + timedelta(minutes=5),
    )
    later.sweep()  # it may also publish what other tests left in the shared stack's outbox

    delivered = arrived()
    assert {i: delivered[i] for i in down.calls[0]} == dict.fromkeys(down.calls[0], 1)
