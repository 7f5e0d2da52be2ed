"""Checkout under faults: DynamoDB throttling and transaction conflicts, Stripe timeouts and 5xx.

The real handler, the real DynamoDB and Stripe adapters; the faults come in on the wire (a botocore
`before-send` answer, a Stripe SDK transport). Whatever happens, the order completes or is refused with a
problem, and the stock ledger still balances."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import stripe._stripe_client as stripe_client_module

from commerce import bootstrap
from commerce.adapters.stripe_payments import StripePayments
from commerce.config import Settings
from commerce.domain.ports import PaymentIntent

from .conftest import Stack, checkout_event, sample_event
from .faults import (
    Answer,
    DynamoFaults,
    Ledger,
    Predicate,
    StripeWire,
    any_request,
    cancelled,
    instant_botocore_backoff,
    throttled,
    writes_key_prefix,
)

__all__ = ["instant_botocore_backoff"]  # a fixture, used by name

PROBLEM = "application/problem+json"
UNITS = 5


@dataclass
class Shop:
    stack: Stack
    faults: DynamoFaults
    stripe: StripeWire
    ledger: Ledger

    def cart(self, sku: str, quantity: int = 1) -> tuple[str, str]:
        return self.stack.cart({sku: quantity})

    def checkout(self, cart_id: str, token: str) -> tuple[int, dict[str, str], dict[str, Any]]:
        return self.stack.call("CheckoutFunction", checkout_event(cart_id, token))

    def cart_still_open(self, cart_id: str, token: str) -> bool:
        status, _, _ = self.stack.call(
            "CartFunction", sample_event("cart-get.json", CART_ID=cart_id, CART_TOKEN=token)
        )
        return status == 200


@pytest.fixture
def shop(stack: Stack, instant_botocore_backoff: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Shop]:
    """The checkout function rebuilt around a DynamoDB client with faults and a Stripe transport with
    faults; the function's own checkout is put back after the test."""
    settings = Settings.from_env()
    wire = StripeWire()
    monkeypatch.setattr(stripe_client_module, "new_default_http_client", lambda *a, **k: wire)
    client = bootstrap.dynamodb_client()
    faults = DynamoFaults(client)
    payments = StripePayments(lambda: {"api_key": "sk_test_faults", "webhook_secret": "whsec_faults"})
    module = vars(stack.runtime.module("CheckoutFunction").checkouts)
    real = module["checkout"]
    module["checkout"] = bootstrap.checkout(settings, client=client, payment_gateway=payments)
    try:
        yield Shop(stack, faults, wire, Ledger(settings.table_name))
    finally:
        module["checkout"] = real


class NothingToSettle:
    """A gateway for the sweeper: every intent it asks about (other tests' orders too) is cancelled."""

    def retrieve(self, intent_id: str) -> PaymentIntent:
        return PaymentIntent(intent_id, "canceled", 0, "EUR")

    def cancel_intent(self, intent_id: str) -> PaymentIntent:
        return self.retrieve(intent_id)


def expect_problem(status: int, headers: dict[str, str], body: dict[str, Any], expected: int) -> None:
    assert status == expected, body
    assert headers["Content-Type"] == PROBLEM and body["status"] == expected, (headers, body)


def refused_cleanly(shop: Shop, sku: str, cart_id: str, token: str) -> None:
    """Nothing reserved, no order written, the cart still there to try again."""
    assert shop.ledger.level(sku) == (UNITS, 0)
    assert shop.ledger.balances(sku)
    assert shop.ledger.orders_of_cart(cart_id) == []
    assert shop.cart_still_open(cart_id, token)


def cancelled_at_once(shop: Shop, sku: str, cart_id: str) -> dict[str, Any]:
    """The cart's one order, cancelled by the failed checkout itself: no reservation left, units back."""
    (order,) = shop.ledger.orders_of_cart(cart_id)
    assert order["status"] == "cancelled" and order["cancel_reason"] == "checkout_failed"
    assert not shop.ledger.has_reservation_marker(order["id"])
    assert shop.ledger.level(sku) == (UNITS, 0)
    assert shop.ledger.balances(sku)
    return order


# DynamoDB: throttling and conflicts while the stock is reserved
@pytest.mark.parametrize("code", ["ProvisionedThroughputExceededException", "ThrottlingException"])
def test_a_reservation_throttled_twice_is_retried_and_places_one_order(shop: Shop, code: str) -> None:
    sku = shop.ledger.new_sku(UNITS)
    cart_id, token = shop.cart(sku, 2)
    shop.faults.fail("TransactWriteItems", throttled(code), times=2, when=writes_key_prefix("CART#"))

    status, _, body = shop.checkout(cart_id, token)

    assert status == 201, (body, shop.faults.sent, shop.faults.injected)
    assert shop.faults.injected["TransactWriteItems"] == 2
    assert shop.ledger.level(sku) == (UNITS, 2)
    assert shop.ledger.balances(sku)
    assert [o["id"] for o in shop.ledger.orders_of_cart(cart_id)] == [body["order_id"]]


@pytest.mark.parametrize("code", ["ProvisionedThroughputExceededException", "ThrottlingException"])
def test_a_reservation_throttled_on_every_attempt_is_a_503_and_reserves_nothing(
    shop: Shop, code: str
) -> None:
    sku = shop.ledger.new_sku(UNITS)
    cart_id, token = shop.cart(sku, 2)
    shop.faults.fail("TransactWriteItems", throttled(code), times=1_000, when=writes_key_prefix("CART#"))

    status, headers, body = shop.checkout(cart_id, token)

    expect_problem(status, headers, body, 503)
    assert body["type"].endswith("/service-busy")
    shop.faults.clear()
    refused_cleanly(shop, sku, cart_id, token)


def test_a_transaction_conflict_on_the_reservation_is_retried_with_fresh_stock(shop: Shop) -> None:
    sku = shop.ledger.new_sku(UNITS)
    cart_id, token = shop.cart(sku)
    shop.faults.fail(
        "TransactWriteItems", cancelled("TransactionConflict"), times=2, when=writes_key_prefix("CART#")
    )

    status, _, body = shop.checkout(cart_id, token)

    assert status == 201, body
    assert shop.faults.injected["TransactWriteItems"] == 2
    assert shop.ledger.level(sku) == (UNITS, 1)
    assert shop.ledger.balances(sku)


@pytest.mark.parametrize(
    ("operation", "fault", "when", "expected"),
    [
        ("TransactWriteItems", cancelled("TransactionConflict"), writes_key_prefix("CART#"), 409),
        ("TransactWriteItems", cancelled("ThrottlingError"), writes_key_prefix("CART#"), 503),
        ("BatchGetItem", throttled(), any_request, 503),
    ],
    ids=[
        "transaction conflicts that never end are a 409",
        "a transaction cancelled for throttling is a 503",
        "stock reads throttled on every attempt are a 503",
    ],
)
def test_a_fault_on_every_attempt_is_a_problem_and_reserves_nothing(
    shop: Shop, operation: str, fault: Answer, when: Predicate, expected: int
) -> None:
    sku = shop.ledger.new_sku(UNITS)
    cart_id, token = shop.cart(sku)
    shop.faults.fail(operation, fault, times=1_000, when=when)

    status, headers, body = shop.checkout(cart_id, token)

    expect_problem(status, headers, body, expected)
    shop.faults.clear()
    refused_cleanly(shop, sku, cart_id, token)


def test_a_write_throttled_after_the_reservation_gives_the_units_back_at_once(shop: Shop) -> None:
    sku = shop.ledger.new_sku(UNITS)
    cart_id, token = shop.cart(sku, 3)
    # The transaction that stores the PaymentIntent on the order (with its PAYMENT_INTENT# pointer).
    shop.faults.fail(
        "TransactWriteItems", throttled(), times=1_000, when=writes_key_prefix("PAYMENT_INTENT#")
    )

    status, headers, body = shop.checkout(cart_id, token)

    expect_problem(status, headers, body, 503)
    order = cancelled_at_once(shop, sku, cart_id)
    assert [i["status"] for i in shop.stripe.created(order["id"])] == ["canceled"]


# Stripe: timeouts and 5xx while the PaymentIntent is created
@pytest.mark.parametrize(
    "faults",
    [["timeout"], ["timeout_after"], ["500"], ["503", "timeout_after"], ["timeout_after", "500"]],
    ids=["timeout", "answer lost", "500", "503 then answer lost", "answer lost then 500"],
)
def test_a_payment_intent_retried_after_a_fault_is_one_intent_under_one_idempotency_key(
    shop: Shop, faults: list[str]
) -> None:
    sku = shop.ledger.new_sku(UNITS)
    cart_id, token = shop.cart(sku)
    shop.stripe.faults = list(faults)

    status, _, body = shop.checkout(cart_id, token)

    assert status == 201, body
    order_id = body["order_id"]
    creates = [r for r in shop.stripe.requests if r[:2] == ("post", "/v1/payment_intents")]
    assert len(creates) == len(faults) + 1
    assert {key for _, _, key in creates} == {f"order-{order_id}"}
    (intent,) = shop.stripe.created(order_id)
    assert body["payment"]["payment_intent_id"] == intent["id"]
    assert shop.ledger.level(sku) == (UNITS, 1)


@pytest.mark.parametrize(
    "faults",
    [["timeout"] * 3, ["500"] * 3, ["timeout_after", "500", "503"]],
    ids=["three timeouts", "three 500s", "created, then 5xx until the SDK gives up"],
)
def test_a_payment_provider_that_keeps_failing_is_a_502_and_the_order_is_cancelled_at_once(
    shop: Shop, faults: list[str]
) -> None:
    sku = shop.ledger.new_sku(UNITS)
    cart_id, token = shop.cart(sku, 2)
    shop.stripe.faults = list(faults)

    status, headers, body = shop.checkout(cart_id, token)

    expect_problem(status, headers, body, 502)
    order = cancelled_at_once(shop, sku, cart_id)
    assert len(shop.stripe.created(order["id"])) <= 1


def test_an_order_the_failed_checkout_could_not_undo_is_released_by_the_sweeper(shop: Shop) -> None:
    sku = shop.ledger.new_sku(UNITS)
    cart_id, token = shop.cart(sku, 2)
    shop.stripe.faults = ["500"] * 3
    # The undo (its release transaction) is throttled too: the order stays pending, its units reserved.
    releases = writes_key_prefix("SKU#")
    placement = writes_key_prefix("CART#")
    shop.faults.fail(
        "TransactWriteItems", throttled(), times=1_000, when=lambda r: releases(r) and not placement(r)
    )

    status, _, body = shop.checkout(cart_id, token)

    assert status == 502, body
    (order,) = shop.ledger.orders_of_cart(cart_id)
    assert order["status"] == "pending_payment" and shop.ledger.level(sku) == (UNITS, 2)
    shop.faults.clear()
    sweeper = bootstrap.order_workflow(Settings.from_env(), payment_gateway=NothingToSettle())
    later = datetime.now(UTC) + timedelta(seconds=Settings.from_env().payment_timeout_seconds + 600)

    report = sweeper.sweep(later)

    assert report.cancelled >= 1
    swept = shop.ledger.order(order["id"])
    assert swept and swept["status"] == "cancelled" and swept["cancel_reason"] == "payment_timeout"
    assert not shop.ledger.has_reservation_marker(order["id"])
    assert shop.ledger.level(sku) == (UNITS, 0)
    assert shop.ledger.balances(sku)
