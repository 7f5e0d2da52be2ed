"""Disputes on the local stack, end to end: a card paid in localstripe, the parcel delivered through the
simulated carrier's signed webhooks, then Stripe's signed dispute events. A won dispute leaves the order
delivered, so the buyer's cancel (even sent while the dispute closes) is a 409 with no refund and no stock
movement; a lost one is recorded as refunded once, with no refund of ours."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from local.stack import LocalStack

from .conftest import Api, Tokens
from .test_fulfillment import Fulfilled

pytestmark = pytest.mark.e2e
ROUNDS = 3


@pytest.fixture(scope="module")
def shop(stack: LocalStack, api: Api) -> Fulfilled:
    return Fulfilled(stack, api)


def dispute(shop: Fulfilled, placed: dict[str, Any], kind: str, status: str) -> requests.Response:
    intent = placed["payment"]["payment_intent_id"]
    event = {
        "id": f"evt_{uuid.uuid4().hex}",
        "type": f"charge.dispute.{kind}",
        "created": 1,
        "data": {
            "object": {
                "id": f"dp_{placed['order_id']}",
                "object": "dispute",
                "charge": f"ch_{placed['order_id']}",
                "payment_intent": intent,
                "amount": placed["totals"]["total"]["amount"],
                "currency": placed["totals"]["total"]["currency"].lower(),
                "reason": "product_not_received",
                "status": status,
                "evidence_details": {"due_by": 1798761599},
            }
        },
    }
    response = shop.signed_delivery(event)
    assert response.status_code == 200, response.text
    return response


def cancel(shop: Fulfilled, placed: dict[str, Any]) -> requests.Response:
    return shop.api.post(
        f"/orders/{placed['order_id']}/cancel", headers={"X-Order-Token": placed["order_token"]}
    )


def refunded_at_stripe(shop: Fulfilled, placed: dict[str, Any]) -> int:
    refunds = shop.stripe.v1.refunds.list(params={"payment_intent": placed["payment"]["payment_intent_id"]})
    return sum(r.amount for r in refunds.data)


def test_a_won_dispute_then_a_cancel_of_a_delivered_order_is_a_409_with_no_refund_and_no_stock_moved(
    shop: Fulfilled, tokens: Tokens
) -> None:
    sku = shop.sku_at(wh_paris=ROUNDS + 1)
    for _ in range(ROUNDS):
        placed = shop.delivered_order(sku)
        level, moves = shop.level(sku), len(shop.movements(sku))
        dispute(shop, placed, "created", "needs_response")
        shop.settles_as(placed, "disputed")
        listed = shop.api.get("/admin/orders?status=disputed&limit=100", headers=tokens.headers("staff"))
        assert listed.status_code == 200, listed.text
        case = next(o for o in listed.json()["items"] if o["id"] == placed["order_id"])["dispute"]
        assert (
            case["due_by"].startswith("2026-12-31T23:59:59") and case["status_before_dispute"] == "delivered"
        )

        # The buyer's cancel races the dispute's close: whichever lands first, nothing is refunded.
        with ThreadPoolExecutor(2) as pool:
            closing = pool.submit(dispute, shop, placed, "closed", "won")
            cancelling = pool.submit(cancel, shop, placed)
            closing.result()
            raced = cancelling.result()
        after = cancel(shop, placed)

        assert raced.status_code == 409, raced.text
        assert after.status_code == 409 and after.json()["type"].endswith("/already-shipped")
        assert shop.settles_as(placed, "delivered")["payment"]["refunded"]["amount"] == 0
        assert refunded_at_stripe(shop, placed) == 0
        assert (shop.level(sku), len(shop.movements(sku))) == (level, moves)
        assert shop.ledger_balances(sku)


def test_a_lost_dispute_records_the_amount_refunded_once_and_refunds_nothing_itself(shop: Fulfilled) -> None:
    sku = shop.sku_at(wh_paris=1)
    placed = shop.delivered_order(sku)
    total = placed["totals"]["total"]["amount"]
    dispute(shop, placed, "created", "needs_response")
    shop.settles_as(placed, "disputed")

    results = [dispute(shop, placed, "closed", "lost").json()["result"] for _ in range(2)]

    assert results == ["applied", "no_change"]
    order = shop.settles_as(placed, "delivered")
    assert order["payment"]["refunded"]["amount"] == total
    assert [e["event"] for e in order["timeline"]].count("refund_recorded") == 1
    assert refunded_at_stripe(shop, placed) == 0
    stored = shop.stored_order(placed["order_id"])
    assert stored["flags"] == ["dispute_lost"]
    assert cancel(shop, placed).status_code == 409  # still delivered: a lost dispute reopens nothing
