"""A buyer's cancel racing the carrier's first scan, over HTTP with real concurrency, round after round: the
money and the order's status agree every time. Either the cancel won (cancelled, refunded in full at Stripe,
the units back, and the carrier refused to move the voided parcel) or the scan won (shipped, the cancel
answered 409 already-shipped, and nothing refunded anywhere)."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from commerce.adapters.dynamodb.simulated_parcels import DynamoParcels
from local.stack import LocalStack
from local.tools.carrier import advance, send, shipments, webhook_secret

from .conftest import Api
from .test_fulfillment import Fulfilled

pytestmark = pytest.mark.e2e

ROUNDS = 8


@pytest.fixture(scope="module")
def shop(stack: LocalStack, api: Api) -> Fulfilled:
    return Fulfilled(stack, api)


def _refunded_at_stripe(shop: Fulfilled, placed: dict[str, Any]) -> int:
    refunds = shop.stripe.v1.refunds.list(params={"payment_intent": placed["payment"]["payment_intent_id"]})
    return sum(r.amount for r in refunds.data)


class Carrier:
    """The simulated carrier's side. Two speeds, so both orders of arrival happen: a ready scanner (one
    conditional write on its parcel record, then the signed webhook), and `make carrier-advance`'s whole path
    (it looks the stack, its secret and the order's shipments up first)."""

    def __init__(self, shop: Fulfilled) -> None:
        stack = shop.stack
        self._api_url, self._aws_url, self._secret = (
            stack.api_url,
            stack.aws_url,
            webhook_secret(stack.aws_url),
        )
        self._parcels = DynamoParcels(shop.dynamodb, shop.table)

    def first_scan(self, placed: dict[str, Any], tracking_number: str, ready: bool) -> str:
        if not ready:
            ((_, _, result),) = advance(self._api_url, self._aws_url, placed["order_id"], "in_transit")
            return result
        if not self._parcels.scan(tracking_number):
            return "voided"  # the booking was voided first: the parcel never moves
        return str(send(self._api_url, self._secret, tracking_number, "in_transit")["result"])


def _race(
    shop: Fulfilled, carrier: Carrier, placed: dict[str, Any], tracking_number: str, ready: bool
) -> tuple[requests.Response, str]:
    start = threading.Barrier(2)

    def cancel() -> requests.Response:
        start.wait()
        return shop.api.post(
            f"/orders/{placed['order_id']}/cancel", headers={"X-Order-Token": placed["order_token"]}
        )

    def first_scan() -> str:
        start.wait()
        return carrier.first_scan(placed, tracking_number, ready)

    with ThreadPoolExecutor(max_workers=2) as pool:
        cancelled, scanned = pool.submit(cancel), pool.submit(first_scan)
        return cancelled.result(), scanned.result()


def test_a_cancel_racing_the_first_scan_ends_with_money_and_status_agreeing_every_round(
    shop: Fulfilled,
) -> None:
    sku = shop.sku_at(wh_paris=ROUNDS)
    carrier = Carrier(shop)
    outcomes: list[str] = []
    for round_number in range(ROUNDS):
        placed = shop.paid_order({sku: 1})
        (shipment,) = shop.shipments(placed, 1)
        shop.settles_as(placed, "fulfilling")
        total = placed["totals"]["total"]["amount"]

        ready = round_number % 2 == 0
        answer, scanned = _race(shop, carrier, placed, shipment["tracking_number"], ready)

        if answer.status_code == 200:
            assert answer.json()["status"] == "cancelled"
            assert scanned == "voided"  # the carrier refused the parcel
            assert shipments(shop.stack.aws_url, placed["order_id"])[0]["status"] == "label_created"
            stored = shop.stored_order(placed["order_id"])
            assert stored["status"] == "cancelled" and stored["refunded"] == total
            assert _refunded_at_stripe(shop, placed) == total
            outcomes.append("cancelled")
        else:
            assert answer.status_code == 409, answer.text
            assert answer.json()["type"].endswith("/already-shipped")
            assert scanned == "applied"
            shop.settles_as(placed, "shipped")
            stored = shop.stored_order(placed["order_id"])
            assert stored["refunded"] == 0 and stored["status"] == "shipped"
            assert _refunded_at_stripe(shop, placed) == 0
            outcomes.append("shipped")

    on_hand, reserved = shop.level(sku)
    assert (on_hand, reserved) == (ROUNDS - outcomes.count("shipped"), 0)
    assert shop.ledger_balances(sku)
    assert len(outcomes) == ROUNDS
    print(f"cancel against first scan, {ROUNDS} rounds: {Counter(outcomes)}")
