"""Whole purchases over HTTP: checkout, a card paid in localstripe, its signed webhook, the workflow."""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
import stripe

from commerce.adapters.dynamodb.codec import from_item, key, to_item
from local.stack import LocalStack
from tests.polling import poll
from tests.stocked import stocked_sku

from .conftest import Api, aws_client

pytestmark = pytest.mark.e2e

LOCATION = "wh-paris"
VISA = "4242424242424242"
DECLINED = "4000000000000341"
PAID_OR_LATER = {"paid", "fulfilling", "partially_shipped", "shipped", "delivered"}
SHIPPING = {
    "recipient_name": "Ada Buyer",
    "line1": "1 Rue de la Paix",
    "city": "Paris",
    "postal_code": "75002",
    "country": "FR",
}


class Shop:
    """The stack as seen by a storefront (HTTP), the payment provider and an auditor (the table)."""

    def __init__(self, stack: LocalStack, api: Api) -> None:
        assert stack.deployment is not None
        self.stack, self.api = stack, api
        self.table = stack.deployment.physical_ids["MainTable"]
        self.dynamodb = aws_client(stack, "dynamodb")
        self.stripe = stripe.StripeClient(stack.stripe_keys.api_key, base_addresses={"api": stack.stripe_url})

    # setting up
    def new_sku(self, units: int) -> str:
        """A product of its own with `units` in stock, received through the catalog admin use case."""
        return stocked_sku("E2E", "e2e", **{LOCATION: units})

    def cart_with(self, sku: str, quantity: int = 1) -> tuple[str, str]:
        cart = self.api.post("/carts", json={"currency": "EUR"})
        assert cart.status_code == 201, cart.text
        cart_id, token = cart.json()["id"], cart.json()["token"]
        line = self.api.put(
            f"/carts/{cart_id}/lines/{sku}", json={"quantity": quantity}, headers={"X-Cart-Token": token}
        )
        assert line.status_code == 200, line.text
        return cart_id, token

    def checkout(self, cart_id: str, token: str, key: str | None = None) -> requests.Response:
        body = {
            "cart_id": cart_id,
            "email": f"buyer.{cart_id[:8]}@example.com",
            "shipping_address": SHIPPING,
        }
        headers = {"X-Cart-Token": token, "Idempotency-Key": key or str(uuid.uuid4())}
        return self.api.post("/checkout", json=body, headers=headers)

    def buy(self, sku: str, quantity: int = 1) -> dict[str, Any]:
        response = self.checkout(*self.cart_with(sku, quantity))
        assert response.status_code == 201, response.text
        return dict(response.json())

    def pay(self, intent_id: str, card: str) -> None:
        method = self.stripe.v1.payment_methods.create(
            params={"type": "card", "card": {"number": card, "exp_month": 12, "exp_year": 2035, "cvc": "123"}}
        )
        self.stripe.v1.payment_intents.update(intent_id, params={"payment_method": method.id})
        with contextlib.suppress(
            stripe.CardError
        ):  # declined: localstripe sends payment_intent.payment_failed
            self.stripe.v1.payment_intents.confirm(intent_id)

    def declined(self, placed: dict[str, Any]) -> dict[str, Any]:
        """The order once the decline's webhook is applied: still waiting, its last attempt failed."""
        return dict(poll(lambda: (o := self.order(placed))["payment"]["status"] == "failed" and o))

    def let_the_reservation_expire(self, placed: dict[str, Any]) -> dict[str, Any]:
        """The reservation's expiry (the index the sweeper reads) moved to a minute ago, then the sweeper."""
        marker = key(f"ORDER#{placed['order_id']}", "RESERVATION")
        row = from_item(self.dynamodb.get_item(TableName=self.table, Key=marker, ConsistentRead=True)["Item"])
        expired = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
        self.dynamodb.update_item(
            TableName=self.table,
            Key=marker,
            UpdateExpression="SET GSI2SK = :at",
            ExpressionAttributeValues=to_item({":at": f"{expired}#{row['order_id']}"}),
        )
        assert self.stack.runtime is not None
        return dict(self.stack.runtime.invoke("ReservationSweeperFunction", {}))

    # looking
    def order(self, placed: dict[str, Any]) -> dict[str, Any]:
        response = self.api.get(
            f"/orders/{placed['order_id']}", headers={"X-Order-Token": placed["order_token"]}
        )
        assert response.status_code == 200, response.text
        return dict(response.json())

    def settles_as(self, placed: dict[str, Any], status: str, seconds: float = 30.0) -> dict[str, Any]:
        # A paid order moves on to fulfillment by itself, so "paid" is reached at paid or beyond.
        wanted = PAID_OR_LATER if status == "paid" else {status}
        return dict(poll(lambda: (o := self.order(placed))["status"] in wanted and o, seconds))

    def stored_order(self, order_id: str) -> dict[str, Any]:
        found = self.dynamodb.get_item(
            TableName=self.table, Key=key(f"ORDER#{order_id}", "ORDER"), ConsistentRead=True
        )
        return from_item(found["Item"])

    def level(self, sku: str) -> tuple[int, int]:
        found = self.dynamodb.get_item(
            TableName=self.table, Key=key(f"SKU#{sku}", f"STOCK#{LOCATION}"), ConsistentRead=True
        )
        row = from_item(found["Item"])
        return int(row.get("on_hand", 0)), int(row.get("reserved", 0))

    def movements(self, sku: str) -> list[dict[str, Any]]:
        rows = self.dynamodb.query(
            TableName=self.table,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :move)",
            ExpressionAttributeValues=to_item({":pk": f"SKU#{sku}", ":move": "MOVE#"}),
            ConsistentRead=True,
        )["Items"]
        return [from_item(r) for r in rows]

    def ledger_balances(self, sku: str) -> bool:
        """on_hand is what the movements add up to; reserved is what open reservations hold."""
        moves = Counter[str]()
        for move in self.movements(sku):
            moves[move["reason"]] += int(move["quantity"])
        on_hand, reserved = self.level(sku)
        return (
            on_hand == moves["receipt"] + moves["adjustment"] + moves["return"] - moves["sale"]
            and reserved == moves["reservation"] - moves["release"] - moves["sale"]
        )

    # the provider's side
    def signed_delivery(self, event: dict[str, Any], secret: str | None = None) -> requests.Response:
        payload = json.dumps(event)
        timestamp = int(time.time())
        signature = stripe.WebhookSignature._compute_signature(
            f"{timestamp}.{payload}", secret or self.stack.stripe_keys.webhook_secret
        )
        headers = {"content-type": "application/json", "stripe-signature": f"t={timestamp},v1={signature}"}
        return self.api.post("/webhooks/stripe", data=payload, headers=headers)

    def sent_event(self, kind: str, intent_id: str) -> dict[str, Any]:
        """The event localstripe itself emitted for the intent (listed through its API)."""
        events = self.stripe.v1.events.list(params={"type": kind, "limit": 100})
        for event in events.data:
            if event.data.object["id"] == intent_id:
                return dict(json.loads(str(event)))
        raise AssertionError(f"localstripe sent no {kind} for {intent_id}")


@pytest.fixture(scope="module")
def shop(stack: LocalStack, api: Api) -> Shop:
    return Shop(stack, api)


def test_a_card_that_pays_makes_the_order_paid_and_sells_the_units(shop: Shop) -> None:
    sku = shop.new_sku(5)
    placed = shop.buy(sku, quantity=2)
    assert placed["status"] == "pending_payment"

    shop.pay(placed["payment"]["payment_intent_id"], VISA)

    order = shop.settles_as(placed, "paid")
    assert order["payment"]["status"] == "succeeded"
    events = [entry["event"] for entry in order["timeline"]]
    assert "payment_succeeded" in events and "order_paid" in events
    assert shop.level(sku) == (3, 0)
    assert shop.ledger_balances(sku)


def test_a_declined_card_leaves_the_order_open_for_another_card_which_pays_it(shop: Shop) -> None:
    sku = shop.new_sku(5)
    placed = shop.buy(sku, quantity=2)

    shop.pay(placed["payment"]["payment_intent_id"], DECLINED)

    order = shop.declined(placed)
    assert order["status"] == "pending_payment"
    assert shop.level(sku) == (5, 2)
    shop.pay(placed["payment"]["payment_intent_id"], VISA)
    shop.settles_as(placed, "paid")


def test_a_declined_card_nobody_replaces_cancels_the_order_and_gives_the_units_back(shop: Shop) -> None:
    sku = shop.new_sku(5)
    placed = shop.buy(sku, quantity=2)
    shop.pay(placed["payment"]["payment_intent_id"], DECLINED)
    shop.declined(placed)

    shop.let_the_reservation_expire(placed)

    order = shop.settles_as(placed, "cancelled")
    assert order["cancel_reason"] == "payment_failed"
    assert order["payment"]["status"] == "failed"
    assert poll(lambda: shop.level(sku) == (5, 0))
    assert shop.ledger_balances(sku)


def test_a_webhook_delivered_five_times_and_out_of_order_moves_the_order_once(shop: Shop) -> None:
    sku = shop.new_sku(3)
    placed = shop.buy(sku)
    intent_id = placed["payment"]["payment_intent_id"]
    shop.pay(intent_id, VISA)
    shop.settles_as(placed, "fulfilling")  # paid, and handed to fulfillment: nothing else will change it
    before = shop.stored_order(placed["order_id"])
    succeeded = shop.sent_event("payment_intent.succeeded", intent_id)
    # An older failure, delivered last: Stripe does not promise any order.
    stale_failure = {
        **succeeded,
        "id": f"evt_stale{uuid.uuid4().hex[:10]}",
        "type": "payment_intent.payment_failed",
        "created": succeeded["created"] - 60,
    }

    answers = [shop.signed_delivery(succeeded) for _ in range(5)] + [shop.signed_delivery(stale_failure)]

    assert [a.status_code for a in answers] == [200] * 6
    assert {a.json()["result"] for a in answers[:5]} == {"duplicate"}
    after = shop.stored_order(placed["order_id"])
    assert after["status"] == "fulfilling"
    assert after["version"] == before["version"]
    timeline = [entry["event"] for entry in after["timeline"]]
    assert timeline.count("payment_succeeded") == 1 and timeline.count("order_paid") == 1
    assert shop.level(sku) == (2, 0)


def test_a_webhook_with_a_bad_signature_is_refused_and_changes_nothing(shop: Shop) -> None:
    sku = shop.new_sku(2)
    placed = shop.buy(sku)
    intent = shop.stripe.v1.payment_intents.retrieve(placed["payment"]["payment_intent_id"])
    forged = {
        "id": f"evt_forged{uuid.uuid4().hex[:8]}",
        "object": "event",
        "type": "payment_intent.payment_failed",
        "created": int(time.time()),
        "data": {"object": json.loads(str(intent))},
    }
    before = shop.stored_order(placed["order_id"])

    answer = shop.signed_delivery(forged, secret="whsec_not_ours")

    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"
    assert shop.stored_order(placed["order_id"]) == before
    assert shop.level(sku) == (2, 1)


def test_a_client_retrying_checkout_with_one_idempotency_key_gets_one_order_and_one_payment(
    shop: Shop,
) -> None:
    sku = shop.new_sku(4)
    cart_id, token = shop.cart_with(sku)
    retry_key = str(uuid.uuid4())

    first = shop.checkout(cart_id, token, retry_key)
    second = shop.checkout(cart_id, token, retry_key)

    assert (first.status_code, second.status_code) == (201, 201), (first.text, second.text)
    assert second.json()["order_id"] == first.json()["order_id"]
    assert second.json()["payment"]["payment_intent_id"] == first.json()["payment"]["payment_intent_id"]
    intents = shop.stripe.v1.payment_intents.list(params={"limit": 100}).data
    assert [i.id for i in intents if i.metadata.to_dict().get("order_id") == first.json()["order_id"]] == [
        first.json()["payment"]["payment_intent_id"]
    ]
    assert shop.level(sku) == (4, 1)


def test_a_payment_that_never_comes_cancels_the_order_and_frees_the_units(shop: Shop) -> None:
    sku = shop.new_sku(3)
    placed = shop.buy(sku, quantity=3)
    assert shop.level(sku) == (3, 3)

    report = shop.let_the_reservation_expire(placed)

    assert report["timed_out"] + report["cancelled"] >= 1
    order = shop.settles_as(placed, "cancelled")
    assert order["cancel_reason"] == "payment_timeout"
    assert poll(lambda: shop.level(sku) == (3, 0))
    assert shop.ledger_balances(sku)


def test_the_flash_sale_of_ten_units_to_forty_buyers_sells_exactly_ten(shop: Shop) -> None:
    sku = shop.new_sku(10)
    carts = [shop.cart_with(sku) for _ in range(40)]
    answers: list[requests.Response] = []
    lock, start = threading.Lock(), threading.Barrier(40)

    def buyer(cart_id: str, token: str) -> None:
        start.wait(timeout=30)
        response = requests.post(
            f"{shop.api.base}/checkout",
            json={"cart_id": cart_id, "email": "flash@example.com", "shipping_address": SHIPPING},
            headers={"X-Cart-Token": token, "Idempotency-Key": str(uuid.uuid4())},
            timeout=120,
        )
        with lock:
            answers.append(response)

    threads = [threading.Thread(target=buyer, args=cart) for cart in carts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)

    statuses = Counter(a.status_code for a in answers)
    assert statuses == {201: 10, 409: 30}, [
        (a.status_code, a.text[:200]) for a in answers if a.status_code != 201
    ]
    assert all(
        a.headers["content-type"] == "application/problem+json" for a in answers if a.status_code == 409
    )
    assert len({a.json()["order_id"] for a in answers if a.status_code == 201}) == 10
    on_hand, reserved = shop.level(sku)
    assert (on_hand, reserved) == (10, 10)
    assert on_hand - reserved >= 0
    assert shop.ledger_balances(sku)
