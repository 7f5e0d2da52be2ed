"""Checkout through the real handler against moto tables built from template.yaml; Stripe is a fake."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from commerce import bootstrap
from commerce.adapters.dynamodb.orders import DynamoOrders
from commerce.adapters.dynamodb.stock import DynamoStock
from commerce.config import Settings
from commerce.domain.order import OrderStatus, StockState
from local import demo_catalog
from tests.fakes.payments import InMemoryPayments

from .conftest import Stack, checkout_event, sample_event


@pytest.fixture(scope="module")
def payments(stack: Stack) -> Iterator[InMemoryPayments]:
    """The checkout function's Stripe replaced by a fake: integration tests never leave the machine."""
    module = vars(stack.runtime.module("CheckoutFunction").checkouts)
    fake = InMemoryPayments()
    real = module["checkout"]
    module["checkout"] = bootstrap.checkout(Settings.from_env(), payment_gateway=fake)
    yield fake
    module["checkout"] = real


@pytest.fixture(scope="module")
def settings(stack: Stack) -> Settings:
    return Settings.from_env()


def _split_sku() -> str:
    """A low-stock SKU held in both warehouses, priced in EUR."""
    receipts: dict[str, int] = {}
    for sku, _location, _units in demo_catalog.stock():
        receipts[sku] = receipts.get(sku, 0) + 1
    for sku in sorted(demo_catalog.LOW_STOCK_SKUS):
        if receipts.get(sku) == 2:
            return sku
    raise AssertionError("the demo catalog has no low-stock SKU in two warehouses")


def _plenty_sku() -> str:
    return next(
        sku
        for sku, _location, units in demo_catalog.stock()
        if units >= 5 and sku not in demo_catalog.LOW_STOCK_SKUS and "-" in sku
    )


def _checkout(stack: Stack, cart_id: str, token: str, key: str | None = None) -> tuple[int, dict[str, Any]]:
    status, _, body = stack.call("CheckoutFunction", checkout_event(cart_id, token, key))
    return status, body


def _available(settings: Settings, sku: str) -> int:
    return DynamoStock(boto3.client("dynamodb"), settings.table_name).available([sku])[sku]


def test_checkout_reserves_the_stock_and_answers_201_with_the_payment(
    stack: Stack, payments: InMemoryPayments, settings: Settings
) -> None:
    sku = _plenty_sku()
    before = _available(settings, sku)
    cart_id, token = stack.cart({sku: 2})

    status, body = _checkout(stack, cart_id, token)

    assert status == 201, body
    assert body["status"] == "pending_payment" and body["order_token"]
    totals = body["totals"]
    # The sample address is in a tax-inclusive country: the tax is inside the subtotal, not added to it.
    assert totals["tax_included"] and totals["tax"]["amount"] > 0
    assert totals["total"]["amount"] == sum(totals[p]["amount"] for p in ("subtotal", "shipping"))
    assert sum(t["tax"]["amount"] for t in totals["tax_breakdown"]) == totals["tax"]["amount"]
    assert body["payment"]["provider"] == "stripe" and body["payment"]["client_secret"]
    assert _available(settings, sku) == before - 2
    order = DynamoOrders(boto3.client("dynamodb"), settings.table_name).get(body["order_id"])
    assert order and order.status is OrderStatus.PENDING_PAYMENT and order.stock is StockState.RESERVED
    assert order.payment_intent_id == body["payment"]["payment_intent_id"]
    status, _, _ = stack.call(
        "CartFunction", sample_event("cart-get.json", CART_ID=cart_id, CART_TOKEN=token)
    )
    assert status == 404  # the cart checked out


def test_short_stock_is_a_409_listing_each_sku_and_leaves_stock_and_cart_untouched(
    stack: Stack, payments: InMemoryPayments, settings: Settings
) -> None:
    sku, other = _split_sku(), _plenty_sku()
    available, other_before = _available(settings, sku), _available(settings, other)
    cart_id, token = stack.cart({sku: available + 1, other: 1})

    status, body = _checkout(stack, cart_id, token)

    assert status == 409, body
    assert body["unavailable"] == [{"sku": sku, "requested": available + 1, "available": available}]
    assert _available(settings, sku) == available and _available(settings, other) == other_before
    status, _, cart = stack.call(
        "CartFunction", sample_event("cart-get.json", CART_ID=cart_id, CART_TOKEN=token)
    )
    assert status == 200 and {line["sku"] for line in cart["lines"]} == {sku, other}


def test_a_line_split_over_two_warehouses_is_reserved_in_both(
    stack: Stack, payments: InMemoryPayments, settings: Settings
) -> None:
    sku = _split_sku()
    available = _available(settings, sku)
    cart_id, token = stack.cart({sku: available})
    status, body = _checkout(stack, cart_id, token)
    assert status == 201, body
    order = DynamoOrders(boto3.client("dynamodb"), settings.table_name).get(body["order_id"])
    assert order and sum(r.quantity for r in order.reservations) == available
    assert _available(settings, sku) == 0


def test_the_same_idempotency_key_twice_places_one_order(
    stack: Stack, payments: InMemoryPayments, settings: Settings
) -> None:
    sku = _plenty_sku()
    before = _available(settings, sku)
    cart_id, token = stack.cart({sku: 1})
    key = str(uuid.uuid4())

    first = _checkout(stack, cart_id, token, key)
    second = _checkout(stack, cart_id, token, key)

    assert first[0] == second[0] == 201
    assert first[1] == second[1]
    assert _available(settings, sku) == before - 1


def test_an_idempotency_key_is_required_and_bounded(stack: Stack, payments: InMemoryPayments) -> None:
    cart_id, token = stack.cart({_plenty_sku(): 1})
    event = sample_event("checkout-guest.json", CART_ID=cart_id, CART_TOKEN=token, IDEMPOTENCY_KEY="x")
    del event["headers"]["idempotency-key"]
    status, headers, body = stack.call("CheckoutFunction", event)
    assert status == 400 and headers["Content-Type"] == "application/problem+json", body
    event["headers"]["idempotency-key"] = "k" * 256
    status, _, body = stack.call("CheckoutFunction", event)
    assert status == 400, body


def test_an_empty_cart_is_a_422(stack: Stack, payments: InMemoryPayments) -> None:
    cart_id, token = stack.cart({})
    status, body = _checkout(stack, cart_id, token)
    assert status == 422 and body["type"].endswith("/empty-cart"), body


def test_a_customer_checks_out_their_active_cart(stack: Stack, payments: InMemoryPayments) -> None:
    sku = _plenty_sku()
    event = sample_event("cart-get-mine.json", CUSTOMER_SUB="cust-checkout")
    stack.call("CartFunction", event)
    line = sample_event("cart-set-line.json", CART_ID="x", CART_TOKEN="", SKU=sku)
    line.update(
        routeKey="PUT /me/cart/lines/{sku}",
        rawPath=f"/me/cart/lines/{sku}",
        pathParameters={"sku": sku},
    )
    line["requestContext"].update(event["requestContext"])
    line["requestContext"]["http"] = {
        **event["requestContext"]["http"],
        "method": "PUT",
        "path": f"/me/cart/lines/{sku}",
    }
    line["requestContext"]["routeKey"] = "PUT /me/cart/lines/{sku}"
    status, _, cart = stack.call("CartFunction", line)
    assert status == 200, cart

    status, _, body = stack.call(
        "CheckoutFunction",
        sample_event(
            "checkout-customer.json", CUSTOMER_SUB="cust-checkout", IDEMPOTENCY_KEY=str(uuid.uuid4())
        ),
    )

    assert status == 201, body
    assert [line["sku"] for line in body["lines"]] == [sku]
