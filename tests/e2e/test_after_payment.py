"""After the sale, over HTTP on the local stack with real concurrency: ten buyers' requests racing to return
one unit make one return; a signed `payment_intent.succeeded` that does not pay its order never marks it
paid; a marketplace reservation left uncommitted is given back by the sweeper and its commit refused."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from commerce.adapters.dynamodb.codec import from_item, key, to_item
from local.stack import LocalStack
from tests.concurrency import at_once
from tests.polling import poll

from .conftest import Api, Tokens
from .test_fulfillment import Fulfilled
from .test_inventory import MARKETPLACE, market_key  # noqa: F401
from .test_purchase import VISA

pytestmark = pytest.mark.e2e

ROUNDS = 3


@pytest.fixture(scope="module")
def shop(stack: LocalStack, api: Api) -> Fulfilled:
    return Fulfilled(stack, api)


def _ten_return_requests_at_once(
    shop: Fulfilled, placed: dict[str, Any], sku: str
) -> list[requests.Response]:
    def ask() -> requests.Response:
        return requests.post(
            f"{shop.api.base}/orders/{placed['order_id']}/returns",
            json={"lines": [{"sku": sku, "quantity": 1}], "reason": "changed my mind"},
            headers={"X-Order-Token": placed["order_token"]},
            timeout=120,
        )

    return at_once(ask, callers=10, seconds=180)


def test_ten_concurrent_returns_of_the_only_unit_make_one_return_restocked_and_refunded_once(
    shop: Fulfilled, tokens: Tokens
) -> None:
    for _ in range(ROUNDS):
        sku = shop.sku_at(wh_paris=1)
        placed = shop.delivered_order(sku)
        assert shop.level(sku) == (0, 0)

        answers = _ten_return_requests_at_once(shop, placed, sku)

        created = [a for a in answers if a.status_code == 200]
        assert len(answers) == 10 and len(created) == 1, [(a.status_code, a.text[:120]) for a in answers]
        assert all(a.status_code == 400 for a in answers if a is not created[0])
        return_id = created[0].json()["id"]
        receipts = [
            shop.api.post(
                f"/admin/returns/{return_id}/receive",
                json={"location": "wh-paris"},
                headers=tokens.headers("staff"),
            )
            for _ in range(2)
        ]
        assert [r.status_code for r in receipts] == [200, 200], receipts[0].text
        assert receipts[0].json()["status"] == "refunded"
        assert shop.level(sku) == (1, 0) and shop.ledger_balances(sku)
        intent = placed["payment"]["payment_intent_id"]
        refunds = shop.stripe.v1.refunds.list(params={"payment_intent": intent}).data
        assert [r.amount for r in refunds] == [created[0].json()["refund_due"]["amount"]]


def _succeeded(placed: dict[str, Any], **changes: Any) -> dict[str, Any]:
    total = placed["totals"]["total"]["amount"]
    intent = {
        "id": placed["payment"]["payment_intent_id"],
        "object": "payment_intent",
        "amount": total,
        "amount_received": total,
        "currency": "eur",
        "status": "succeeded",
        "metadata": {"order_id": placed["order_id"]},
        **changes,
    }
    return {
        "id": f"evt_mm{uuid.uuid4().hex[:16]}",
        "object": "event",
        "type": "payment_intent.succeeded",
        "created": int(datetime.now(UTC).timestamp()),
        "data": {"object": intent},
    }


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"amount": 1, "amount_received": 1}, "received 1 EUR"),
        ({"currency": "usd"}, " USD, expected "),
    ],
    ids=["one cent", "another currency"],
)
def test_a_success_for_another_amount_or_currency_holds_the_order_and_staff_can_only_reject_it(
    shop: Fulfilled, tokens: Tokens, changes: dict[str, Any], reason: str
) -> None:
    sku = shop.sku_at(wh_paris=2)
    response = shop.checkout(*shop.cart_with(sku, 1))
    assert response.status_code == 201, response.text
    placed = dict(response.json())

    answer = shop.signed_delivery(_succeeded(placed, **changes))

    assert (answer.status_code, answer.json()["result"]) == (200, "payment_mismatch")
    order = shop.settles_as(placed, "on_hold")
    assert order["payment"]["status"] != "succeeded"
    stored = shop.stored_order(placed["order_id"])
    assert stored["hold_reasons"][0].startswith("payment_mismatch: ") and reason in stored["hold_reasons"][0]
    assert stored["flags"] == ["payment_mismatch"] and shop.level(sku) == (2, 1)
    staff = tokens.headers("staff")
    path = f"/admin/orders/{placed['order_id']}"
    approve = shop.api.post(f"{path}/approve", headers=staff)
    assert approve.status_code == 409 and approve.json()["reason"] == "payment_mismatch", approve.text
    # The review wait parks its token a moment after the webhook answered the payment wait.
    assert poll(lambda: shop.api.post(f"{path}/reject", json={}, headers=staff).status_code == 200)
    shop.settles_as(placed, "cancelled")
    assert poll(lambda: shop.level(sku) == (2, 0)) and shop.ledger_balances(sku)


def test_a_success_of_another_intent_naming_the_order_flags_it_and_does_not_pay_it(shop: Fulfilled) -> None:
    sku = shop.sku_at(wh_paris=2)
    response = shop.checkout(*shop.cart_with(sku, 1))
    assert response.status_code == 201, response.text
    placed = dict(response.json())

    answer = shop.signed_delivery(_succeeded(placed, id=f"pi_other{uuid.uuid4().hex[:12]}"))

    assert (answer.status_code, answer.json()["result"]) == (200, "payment_mismatch")
    stored = shop.stored_order(placed["order_id"])
    assert stored["status"] == "pending_payment" and stored.get("payment_outcome") is None
    assert stored["flags"] == ["payment_mismatch"] and shop.level(sku) == (2, 1)
    shop.pay(placed["payment"]["payment_intent_id"], VISA)  # its own payment still pays it
    shop.settles_as(placed, "paid")


def _expire_now(shop: Fulfilled, external_id: str) -> None:
    item_key = key(f"CHANNEL#{MARKETPLACE}", f"CHANNEL_ORDER#{external_id}")
    row = from_item(shop.dynamodb.get_item(TableName=shop.table, Key=item_key, ConsistentRead=True)["Item"])
    assert row["GSI2PK"] == "CHANNEL_RESERVATIONS"
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    shop.dynamodb.update_item(
        TableName=shop.table,
        Key=item_key,
        UpdateExpression="SET GSI2SK = :sk, #data.expires_at = :at",
        ExpressionAttributeNames={"#data": "data"},
        ExpressionAttributeValues=to_item({":sk": f"{past}#{external_id}", ":at": past}),
    )


def test_a_marketplace_reservation_past_its_time_is_released_by_the_sweeper_and_its_commit_is_a_409(
    shop: Fulfilled,
    stack: LocalStack,
    market_key: str,  # noqa: F811
) -> None:
    sku = shop.sku_at(wh_paris=3)
    external_id = f"MKT-EXP-{uuid.uuid4().hex[:8]}"
    headers = {"X-Api-Key": market_key}
    reserved = shop.api.post(
        f"/channels/{MARKETPLACE}/reservations",
        json={"external_order_id": external_id, "lines": {sku: 2}},
        headers=headers,
    )
    assert reserved.status_code == 201, reserved.text
    assert shop.level(sku) == (3, 2)
    _expire_now(shop, external_id)
    assert stack.runtime is not None

    report = stack.runtime.invoke("ReservationSweeperFunction", {})

    assert report["channel_reservations_expired"] >= 1
    assert shop.level(sku) == (3, 0) and shop.ledger_balances(sku)
    commit = shop.api.post(f"/channels/{MARKETPLACE}/reservations/{external_id}/commit", headers=headers)
    assert commit.status_code == 409 and commit.json()["type"].endswith("/reservation-expired"), commit.text
    assert shop.level(sku) == (3, 0)
    order = shop.api.get(f"/channels/{MARKETPLACE}/reservations/{external_id}", headers=headers)
    assert order.json()["status"] == "expired"
    assert json.loads(json.dumps(order.json()))["expires_at"]
