"""Outbound webhooks end to end: a staff member subscribes a receiver on 127.0.0.1, an event goes on the local
bus, and the dispatcher (run by the stack's SQS poller) delivers it signed, retries it, dead-letters it,
replays it (docs/webhooks.md). The stack's retry schedule is a second between attempts (conftest.py)."""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import pytest

from local import aws
from local.stack import LocalStack
from local.webhook_receiver import Received, WebhookReceiver
from tests.e2e.conftest import Api, Script, Tokens
from tests.e2e.test_purchase import VISA, Shop
from tests.polling import poll
from tests.webhook_docs import documented_verifier

T = TypeVar("T")
ATTEMPTS = 7  # the e2e schedule "1,1,1,1,1,1"


def eventually(probe: Callable[[], T | None], seconds: float = 45.0) -> T:
    """Webhook deliveries retry on a schedule of seconds, so they get longer than other polls."""
    return poll(probe, seconds)


def subscribe(
    admin: Callable[..., Any], receiver: WebhookReceiver, path: str, types: list[str]
) -> dict[str, Any]:
    response = admin("POST", "/admin/webhooks", json={"url": receiver.url + path, "event_types": types})
    assert response.status_code == 201, response.text
    return dict(response.json())


def publish_order_paid(stack: LocalStack) -> dict[str, Any]:
    """An OrderPaid envelope as the workflow publishes it (valid against docs/events/OrderPaid.v1.json)."""
    order_id = f"ord_{uuid.uuid4().hex[:12]}"
    envelope = {
        "event_id": str(uuid.uuid4()),
        "type": "OrderPaid",
        "version": 1,
        "occurred_at": datetime.now(UTC).isoformat(),
        "correlation_id": order_id,
        "data": {"order_id": order_id, "currency": "EUR", "total": 4200, "payment_intent_id": "pi_e2e"},
    }
    assert stack.deployment is not None
    answer = aws.client("events").put_events(
        Entries=[
            {
                "Source": "commerce",
                "DetailType": "OrderPaid",
                "Detail": json.dumps(envelope),
                "EventBusName": stack.deployment.outputs["EventBusName"],
            }
        ]
    )
    assert answer["FailedEntryCount"] == 0
    return envelope


def deliveries(admin: Callable[..., Any], subscription_id: str) -> list[dict[str, Any]]:
    response = admin("GET", f"/admin/webhooks/{subscription_id}/deliveries")
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def test_a_partner_receives_a_signed_event_and_verifies_it_with_the_documented_example(
    stack: LocalStack, admin: Callable[..., Any], receiver: WebhookReceiver
) -> None:
    path = f"/signed-{uuid.uuid4().hex[:6]}"
    subscription = subscribe(admin, receiver, path, ["OrderPaid"])
    envelope = publish_order_paid(stack)

    (delivery,) = eventually(lambda: receiver.on(path))

    verify = documented_verifier()
    assert verify(subscription["secret"], delivery.headers["commerce-signature"], delivery.body.encode())
    assert not verify("whsec_someone_else", delivery.headers["commerce-signature"], delivery.body.encode())
    assert not verify(
        subscription["secret"], delivery.headers["commerce-signature"], delivery.body.encode() + b" "
    )
    assert delivery.json() == envelope
    assert delivery.headers["commerce-event-id"] == envelope["event_id"]
    assert delivery.headers["commerce-event-type"] == "OrderPaid"
    listed = admin("GET", "/admin/webhooks").json()["items"]
    assert all("secret" not in item for item in listed)
    assert subscription["id"] in {item["id"] for item in listed}


def test_a_receiver_failing_five_times_gets_the_event_once_after_backoff(
    stack: LocalStack, admin: Callable[..., Any], receiver: WebhookReceiver, script: Script
) -> None:
    path = f"/flaky-{uuid.uuid4().hex[:6]}"
    script.plans[path] = [503, 503, 503, 503, 503, 200]
    subscription = subscribe(admin, receiver, path, ["OrderPaid"])
    envelope = publish_order_paid(stack)

    received = eventually(lambda: [r for r in receiver.on(path) if r.answered == 200])

    assert len(received) == 1
    attempts: list[Received] = receiver.on(path)
    assert [r.answered for r in attempts] == [503] * 5 + [200]
    assert {r.event_id for r in attempts} == {envelope["event_id"]}
    waits = [b.at - a.at for a, b in itertools.pairwise(attempts)]
    assert min(waits) >= 0.9, waits  # the schedule's second between attempts, not a tight loop
    (delivery,) = eventually(
        lambda: [d for d in deliveries(admin, subscription["id"]) if d["status"] == "delivered"]
    )
    assert [a["status_code"] for a in delivery["attempts"]] == [503] * 5 + [200]
    assert all(a["latency_ms"] >= 0 and a["response_excerpt"] for a in delivery["attempts"])


def test_a_receiver_that_always_fails_ends_in_the_dead_letter_queue_and_is_flagged(
    stack: LocalStack, admin: Callable[..., Any], receiver: WebhookReceiver, script: Script
) -> None:
    path = f"/down-{uuid.uuid4().hex[:6]}"
    script.plans[path] = [500]
    subscription = subscribe(admin, receiver, path, ["OrderPaid"])
    publish_order_paid(stack)

    (delivery,) = eventually(
        lambda: [d for d in deliveries(admin, subscription["id"]) if d["status"] == "failed"]
    )

    assert len(delivery["attempts"]) == ATTEMPTS
    assert len(receiver.on(path)) == ATTEMPTS
    assert admin("GET", f"/admin/webhooks/{subscription['id']}").json()["flagged"] is True
    assert stack.deployment is not None
    sqs = aws.client("sqs")
    queue = stack.deployment.physical_ids["WebhookDeliveryDeadLetterQueue"]

    def dead_letter() -> list[dict[str, Any]]:
        messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, VisibilityTimeout=0)
        bodies = [json.loads(m["Body"]) for m in messages.get("Messages", [])]
        return [b for b in bodies if b["delivery_id"] == delivery["id"]]

    (dead,) = eventually(dead_letter)
    assert dead["attempt"] == ATTEMPTS


def test_a_replay_redelivers_exactly_that_event(
    stack: LocalStack, admin: Callable[..., Any], receiver: WebhookReceiver
) -> None:
    path = f"/replay-{uuid.uuid4().hex[:6]}"
    subscription = subscribe(admin, receiver, path, ["OrderPaid"])
    first = publish_order_paid(stack)
    eventually(lambda: receiver.on(path))
    publish_order_paid(stack)  # another event to the same subscription, which the replay must not send
    eventually(lambda: len(receiver.on(path)) == 2)
    delivery = next(d for d in deliveries(admin, subscription["id"]) if d["event_id"] == first["event_id"])

    response = admin("POST", f"/admin/webhooks/deliveries/{delivery['id']}/replay")

    assert response.status_code == 202, response.text
    eventually(lambda: len(receiver.on(path)) == 3)
    original, _, replayed = receiver.on(path)
    assert replayed.body == original.body
    assert replayed.event_id == first["event_id"]
    assert documented_verifier()(
        subscription["secret"], replayed.headers["commerce-signature"], replayed.body.encode()
    )


def test_a_paused_subscription_gets_nothing_until_resumed(
    stack: LocalStack, admin: Callable[..., Any], receiver: WebhookReceiver
) -> None:
    path = f"/paused-{uuid.uuid4().hex[:6]}"
    subscription = subscribe(admin, receiver, path, ["OrderPaid"])
    assert admin("POST", f"/admin/webhooks/{subscription['id']}/pause").json()["status"] == "paused"
    control = f"/control-{uuid.uuid4().hex[:6]}"
    subscribe(admin, receiver, control, ["OrderPaid"])
    publish_order_paid(stack)
    eventually(lambda: receiver.on(control))  # the event was dispatched...
    assert receiver.on(path) == []  # ...but not to the paused subscription
    assert admin("POST", f"/admin/webhooks/{subscription['id']}/resume").json()["status"] == "active"
    publish_order_paid(stack)
    eventually(lambda: receiver.on(path))


@pytest.mark.parametrize(
    "url",
    ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.8/hook", "ftp://127.0.0.1/hook", "not a url"],
)
def test_a_private_or_link_local_target_is_refused_even_on_the_local_stack(
    admin: Callable[..., Any], url: str
) -> None:
    response = admin("POST", "/admin/webhooks", json={"url": url, "event_types": ["OrderPaid"]})
    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")


def test_only_staff_manage_webhooks(api: Api, tokens: Tokens) -> None:
    customer = tokens.headers("customer")
    assert api.get("/admin/webhooks", headers=customer).status_code == 403
    assert api.get("/admin/webhooks").status_code == 401


def test_every_event_on_the_bus_is_kept_for_the_catalog_check_at_the_end_of_the_session(
    stack: LocalStack,
) -> None:
    assert stack.events is not None
    before = stack.events.waiting()
    publish_order_paid(stack)
    assert eventually(lambda: stack.events.waiting() > before if stack.events else None)


def test_a_partner_subscribed_to_order_events_receives_a_real_purchase_signed(
    stack: LocalStack, api: Api, admin: Callable[..., Any], receiver: WebhookReceiver
) -> None:
    path = f"/orders-{uuid.uuid4().hex[:6]}"
    subscription = subscribe(admin, receiver, path, ["OrderPlaced", "OrderPaid", "FulfillmentRequested"])
    shop = Shop(stack, api)
    placed = shop.buy(shop.new_sku(3))

    shop.pay(placed["payment"]["payment_intent_id"], VISA)

    def about_the_order() -> list[Received]:
        mine = [r for r in receiver.on(path) if r.json().get("correlation_id") == placed["order_id"]]
        return mine if len(mine) >= 3 else []

    received = eventually(about_the_order, seconds=60)
    assert sorted(r.json()["type"] for r in received) == ["FulfillmentRequested", "OrderPaid", "OrderPlaced"]
    verify = documented_verifier()
    assert all(
        verify(subscription["secret"], r.headers["commerce-signature"], r.body.encode()) for r in received
    )
