"""Disputes and refunds from outside the shop through the signed Stripe webhook, against moto tables built
from template.yaml: a won dispute leaves a delivered order delivered (its cancel refused), a lost one and a
dashboard refund are recorded once on the order and in the ledger, flagged and counted for the alarm."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
import stripe

from commerce.adapters.dynamodb.codec import from_item, to_item
from commerce.adapters.dynamodb.orders import order_from_item, order_to_item
from commerce.adapters.dynamodb.refunds import DynamoRefundLedger
from commerce.domain.order import Order, OrderStatus, PaymentOutcome, StockState, TimelineEntry

from .conftest import Stack, sample_event
from .test_admin_catalog_handler import admin_event
from .test_payment_webhook_handler import a_pending_order, stored, webhook_secret

WEBHOOK = "PaymentWebhookFunction"
DUE_BY = datetime(2027, 1, 4, 23, 59, 59, tzinfo=UTC)


def table(stack: Stack) -> str:
    return stack.deployment.physical_ids["MainTable"]


def an_order_in(stack: Stack, status: OrderStatus, token: str = "order-token") -> Order:  # noqa: S107
    """A paid order of 2500 EUR moved on to `status` (its unit sold), as the stack would have left it."""
    order = order_from_item(stored(stack, a_pending_order(stack, token)))
    now = datetime.now(UTC)
    moved = replace(
        order,
        status=status,
        payment_outcome=PaymentOutcome.SUCCEEDED,
        stock=StockState.SOLD,
        timeline=(TimelineEntry(now, "order_paid"), TimelineEntry(now, f"order_{status.value}")),
    )
    client = boto3.client("dynamodb", region_name="us-east-1")
    client.put_item(TableName=table(stack), Item=to_item(order_to_item(moved)))
    # How a charge's or a dispute's event, which names only the PaymentIntent, finds its order.
    pointer = {"PK": f"PAYMENT_INTENT#{order.payment_intent_id}", "SK": "ORDER", "order_id": order.id}
    client.put_item(TableName=table(stack), Item=to_item(pointer))
    return moved


def signed(stack: Stack, kind: str, obj: dict[str, Any], event_id: str) -> dict[str, Any]:
    """The webhook's sample request carrying a Stripe event of `kind`, signed with the stack's secret."""
    request = sample_event(
        "payment-webhook-succeeded.json", ORDER_ID="x", EVENT_ID="x", PAYMENT_INTENT_ID="x"
    )
    request["body"] = json.dumps({"id": event_id, "type": kind, "created": 1, "data": {"object": obj}})
    timestamp = int(time.time())
    signature = stripe.WebhookSignature._compute_signature(
        f"{timestamp}.{request['body']}", webhook_secret(stack)
    )
    request["headers"]["stripe-signature"] = f"t={timestamp},v1={signature}"
    return request


def dispute(stack: Stack, order: Order, kind: str, status: str, event_id: str) -> str:
    obj = {
        "id": f"dp_{order.id}",
        "object": "dispute",
        "charge": f"ch_{order.id}",
        "payment_intent": order.payment_intent_id,
        "amount": 2500,
        "currency": "eur",
        "reason": "product_not_received",
        "status": status,
        "evidence_details": {"due_by": int(DUE_BY.timestamp())},
    }
    code, _, body = stack.call(WEBHOOK, signed(stack, f"charge.dispute.{kind}", obj, event_id))
    assert code == 200, body
    return str(body["result"])


def refunded_at_stripe(stack: Stack, order: Order, cumulative: int, event_id: str) -> str:
    obj = {
        "id": f"ch_{order.id}",
        "object": "charge",
        "payment_intent": order.payment_intent_id,
        "currency": "eur",
        "amount_refunded": cumulative,
    }
    code, _, body = stack.call(WEBHOOK, signed(stack, "charge.refunded", obj, event_id))
    assert code == 200, body
    return str(body["result"])


def movements(stack: Stack) -> int:
    found = boto3.client("dynamodb", region_name="us-east-1").query(
        TableName=table(stack),
        KeyConditionExpression="PK = :pk AND begins_with(SK, :m)",
        ExpressionAttributeValues={":pk": {"S": "SKU#IT-SKU"}, ":m": {"S": "MOVE#"}},
        ConsistentRead=True,
    )
    return int(found["Count"])


def ledger(stack: Stack) -> DynamoRefundLedger:
    return DynamoRefundLedger(boto3.client("dynamodb", region_name="us-east-1"), table(stack))


def test_a_won_dispute_leaves_a_delivered_order_delivered_and_its_cancel_is_refused(stack: Stack) -> None:
    order = an_order_in(stack, OrderStatus.DELIVERED, token="won-token")
    uid = uuid.uuid4().hex[:8]

    assert dispute(stack, order, "created", "needs_response", f"evt_open_{uid}") == "applied"
    assert stored(stack, order.id)["status"] == "disputed"
    assert dispute(stack, order, "closed", "won", f"evt_won_{uid}") == "applied"
    moves_before = movements(stack)
    code, _, problem = stack.call(
        "AfterSalesFunction",
        sample_event("after-sales-cancel.json", ORDER_ID=order.id, ORDER_TOKEN="won-token"),
    )

    assert stored(stack, order.id)["status"] == "delivered"
    assert (code, problem["type"].rsplit("/", 1)[-1]) == (409, "already-shipped")
    assert stored(stack, order.id)["refunded"] == 0 and ledger(stack).refunded(order.id) == 0
    assert movements(stack) == moves_before


def test_a_lost_dispute_is_recorded_as_refunded_by_the_bank_once(stack: Stack) -> None:
    order = an_order_in(stack, OrderStatus.SHIPPED)
    uid = uuid.uuid4().hex[:8]
    dispute(stack, order, "created", "needs_response", f"evt_open_{uid}")

    results = [
        dispute(stack, order, "closed", "lost", f"evt_lost_{uid}"),
        dispute(stack, order, "closed", "lost", f"evt_lost_{uid}"),
        dispute(stack, order, "closed", "lost", f"evt_lost_again_{uid}"),
    ]

    assert results == ["applied", "duplicate", "no_change"]
    after = stored(stack, order.id)
    assert (after["status"], after["refunded"], after["flags"]) == ("shipped", 2500, ["dispute_lost"])
    assert (ledger(stack).refunded(order.id), ledger(stack).refunded_by_bank(order.id)) == (2500, 2500)


def test_staff_see_open_disputes_with_their_deadlines(stack: Stack) -> None:
    order = an_order_in(stack, OrderStatus.DELIVERED)
    dispute(stack, order, "created", "needs_response", f"evt_open_{uuid.uuid4().hex[:8]}")

    request = admin_event("GET", "/admin/orders")
    request["queryStringParameters"] = {"status": "disputed", "limit": "100"}
    request["rawQueryString"] = "status=disputed&limit=100"
    code, _, page = stack.call("OrdersFunction", request)

    assert code == 200, page
    listed = {o["id"]: o for o in page["items"]}
    assert listed[order.id]["dispute"]["due_by"].startswith("2027-01-04T23:59:59")
    assert listed[order.id]["dispute"]["status_before_dispute"] == "delivered"
    assert listed[order.id]["dispute"]["amount"] == {"amount": 2500, "currency": "EUR"}


def test_a_refund_above_the_capture_is_recorded_capped_flagged_and_counted_for_the_alarm(
    stack: Stack, capsys: pytest.CaptureFixture[str]
) -> None:
    order = an_order_in(stack, OrderStatus.SHIPPED)
    capsys.readouterr()

    assert refunded_at_stripe(stack, order, 9000, f"evt_ref_{uuid.uuid4().hex[:8]}") == "applied"

    after = stored(stack, order.id)
    assert (after["refunded"], after["flags"]) == (2500, ["refund_outside_shop"])
    assert ledger(stack).refunded(order.id) == 2500
    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    counted = [blob for blob in emitted if "OrdersFlagged" in blob]
    assert {blob.get("flag") for blob in counted} == {None, "refund_outside_shop"}
    assert all(blob["service"] == "commerce" for blob in counted)  # what OrdersFlaggedAlarm watches


def test_a_partial_dashboard_refund_leaves_the_rest_refundable_by_the_shop(stack: Stack) -> None:
    order = an_order_in(stack, OrderStatus.DELIVERED)

    refunded_at_stripe(stack, order, 1000, f"evt_ref_{uuid.uuid4().hex[:8]}")
    refunded_at_stripe(stack, order, 1000, f"evt_ref_{uuid.uuid4().hex[:8]}")

    after = stored(stack, order.id)
    assert (after["refunded"], after.get("flags")) == (1000, None)
    assert ledger(stack).reserve(order.id, "goodwill-one-cent", 1, 2500) == 1001
    refunds = boto3.client("dynamodb", region_name="us-east-1").query(
        TableName=table(stack),
        KeyConditionExpression="PK = :pk AND begins_with(SK, :r)",
        ExpressionAttributeValues={":pk": {"S": f"ORDER#{order.id}"}, ":r": {"S": "REFUND#"}},
        ConsistentRead=True,
    )["Items"]
    assert sorted(from_item(r)["refund_id"] for r in refunds) == [
        "goodwill-one-cent",
        f"outside-ch_{order.id}-1000",
    ]


def test_the_flag_survives_a_reload_of_the_order(stack: Stack) -> None:
    order = an_order_in(stack, OrderStatus.FULFILLING)
    refunded_at_stripe(stack, order, 2500, f"evt_ref_{uuid.uuid4().hex[:8]}")

    reloaded = order_from_item(stored(stack, order.id))

    assert reloaded.flags == ("refund_outside_shop",) and reloaded.refunded == 2500
    assert reloaded.timeline[-1].event == "flagged"
    assert reloaded.created_at < datetime.now(UTC) + timedelta(seconds=1)
