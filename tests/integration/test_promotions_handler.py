"""Promotions against moto tables built from template.yaml: staff create, report and pause them through the
admin function; a code goes on a cart through the cart function; and a usage limit holds under concurrent
checkouts because it is a condition in the checkout's own DynamoDB transaction."""

from __future__ import annotations

import functools
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from typing import Any

import boto3
import pytest

from commerce import bootstrap
from commerce.adapters.dynamodb.codec import to_item
from commerce.adapters.dynamodb.customers import DynamoOrderHistory
from commerce.adapters.dynamodb.orders import DynamoOrders, order_to_item
from commerce.adapters.dynamodb.promotions import DynamoFxRates, DynamoPromotions
from commerce.adapters.dynamodb.stock import DynamoStock
from commerce.adapters.reporting_rates import StoredReportingRates
from commerce.config import Settings
from commerce.domain.customer import AddressInput
from commerce.domain.errors import CommerceError
from commerce.domain.money import Money
from commerce.domain.order import Order, OrderStatus
from commerce.domain.order_lines import OrderTotals
from commerce.domain.pricing import OrderPricing
from commerce.domain.promotions import DiscountCodeExhausted
from commerce.services.checkout import CheckoutRequest

from .checkouts import checkout_on_dynamodb
from .conftest import Stack, routed, sample_event
from .test_admin_catalog_handler import admin_event as staff_event

SKU = "TEE-ORG-BLK-M"
BUYERS = 30
LIMIT = 5

admin_event = functools.partial(
    staff_event, groups="[admin]"
)  # promotions and FX rates need the marketing permission: admin by default


def _promotion(stack: Stack, **fields: Any) -> tuple[int, Any]:
    body = {
        "kind": "percentage",
        "description": "10 % off",
        "percent_bp": 1000,
        "starts_at": "2026-01-01T00:00:00+00:00",
        **fields,
    }
    status, _, answer = stack.call("AdminPromotionsFunction", admin_event("POST", "/admin/promotions", body))
    return status, answer


def _cart(stack: Stack, quantity: int = 1) -> tuple[str, str]:
    return stack.cart({SKU: quantity})


def _add_code(stack: Stack, cart_id: str, token: str, code: str) -> tuple[int, Any]:
    event = sample_event("cart-add-discount-code.json", CART_ID=cart_id, CART_TOKEN=token, DISCOUNT_CODE=code)
    status, _, body = stack.call("CartFunction", event)
    return status, body


def test_staff_create_a_code_and_read_its_report(stack: Stack) -> None:
    status, _, body = stack.call("AdminPromotionsFunction", sample_event("admin-create-promotion.json"))
    assert status == 201, body
    assert body["id"] == "AUTUMN10" and body["status"] == "active" and body["uses"] == 0

    status, _, again = stack.call("AdminPromotionsFunction", sample_event("admin-create-promotion.json"))
    assert status == 409, again

    status, _, listed = stack.call("AdminPromotionsFunction", admin_event("GET", "/admin/promotions"))
    assert status == 200 and "AUTUMN10" in [p["id"] for p in listed["items"]]


def test_a_customer_cannot_reach_the_promotions_back_office(stack: Stack) -> None:
    status, _, body = stack.call(
        "AdminPromotionsFunction", admin_event("GET", "/admin/promotions", groups="[]")
    )
    assert status == 403, body


def test_a_code_goes_on_a_cart_and_the_cart_shows_the_discount_and_why(stack: Stack) -> None:
    status, _ = _promotion(stack, code="CART10", description="10 % off, autumn mailing")
    assert status == 201
    cart_id, token = _cart(stack, 2)

    status, body = _add_code(stack, cart_id, token, "cart10")

    assert status == 200, body
    assert body["discount_code"] == "CART10"
    discounts = body["estimate"]["discounts"]
    assert [(d["code"], d["description"]) for d in discounts] == [("CART10", "10 % off, autumn mailing")]
    totals = body["estimate"]["totals"]
    assert totals["discount"]["amount"] == discounts[0]["amount"]["amount"] > 0
    assert sum(t["tax"]["amount"] for t in totals["tax_breakdown"]) == totals["tax"]["amount"]


@pytest.mark.parametrize(
    ("fields", "status", "slug"),
    [
        ({}, 422, "discount-code-invalid"),  # not created
        ({"ends_at": "2026-02-01T00:00:00+00:00"}, 422, "discount-code-expired"),
        ({"min_subtotal": {"EUR": 10_000_000}}, 422, "discount-code-not-applicable"),
    ],
)
def test_a_code_that_does_not_apply_gets_a_problem_that_says_which(
    stack: Stack, fields: dict[str, Any], status: int, slug: str
) -> None:
    code = "X" + uuid.uuid4().hex[:8].upper()
    if fields:
        assert _promotion(stack, code=code, **fields)[0] == 201
    cart_id, token = _cart(stack)

    answer_status, body = _add_code(stack, cart_id, token, code)

    assert answer_status == status and body["type"].endswith(slug), body


def test_a_paused_code_stops_applying_and_the_report_says_so(stack: Stack) -> None:
    assert _promotion(stack, code="PAUSEME")[0] == 201
    event = admin_event("POST", "/admin/promotions/{promotion_id}/pause", promotion_id="PAUSEME")
    status, _, body = stack.call("AdminPromotionsFunction", event)
    assert status == 200 and body["status"] == "paused"
    cart_id, token = _cart(stack)
    status, problem = _add_code(stack, cart_id, token, "PAUSEME")
    assert status == 422 and problem["type"].endswith("discount-code-invalid")


def test_a_usage_limit_of_5_under_30_concurrent_checkouts_is_used_exactly_5_times(stack: Stack) -> None:
    # Given a code that may be used 5 times, and 30 buyers each with the code on a cart of their own
    # the checkout function's own settings: the environment of this process may belong to another stack
    settings: Settings = stack.runtime.module("CheckoutFunction").settings
    client = boto3.client("dynamodb")
    DynamoStock(client, settings.table_name).receive(SKU, "wh-paris", BUYERS * 2, "promotion test")
    assert _promotion(stack, code="FIVE", usage_limit=LIMIT)[0] == 201
    carts = [_cart(stack) for _ in range(BUYERS)]
    for cart_id, token in carts:
        assert _add_code(stack, cart_id, token, "FIVE")[0] == 200
    checkout = checkout_on_dynamodb(settings, client)

    def buy(cart: tuple[str, str]) -> str:
        address = AddressInput(
            recipient_name="Ada", line1="1 rue de Rivoli", city="Paris", postal_code="75001", country="FR"
        )
        request = CheckoutRequest(email=f"{uuid.uuid4().hex}@example.com", shipping_address=address)
        try:
            checkout.guest(cart[0], cart[1], request)
            return "placed"
        except DiscountCodeExhausted:
            return "exhausted"
        except CommerceError as error:
            return f"{type(error).__name__}: {error.detail}"

    # When all 30 check out at once
    with ThreadPoolExecutor(max_workers=BUYERS) as pool:
        outcomes = list(pool.map(buy, carts))

    # Then exactly 5 orders carry the code, everyone else is told it is used up, and the counter says 5
    assert outcomes.count("placed") == LIMIT, outcomes
    assert outcomes.count("exhausted") == BUYERS - LIMIT, outcomes
    status, _, report = stack.call(
        "AdminPromotionsFunction", admin_event("GET", "/admin/promotions/{promotion_id}", promotion_id="FIVE")
    )
    assert status == 200 and report["uses"] == LIMIT
    assert report["discount_given"][0]["amount"] > 0


def test_staff_store_a_days_fx_rates_and_read_them_back(stack: Stack) -> None:
    snapshot = {
        "base": "EUR",
        "date": "2026-11-26",
        "rates": {"USD": "1.0812", "JPY": "162.5"},
        "source": "ECB",
    }
    status, _, body = stack.call("AdminPromotionsFunction", admin_event("POST", "/admin/fx-rates", snapshot))
    assert status == 201, body
    event = admin_event("GET", "/admin/fx-rates/{base}/{day}", base="EUR", day="2026-11-26")
    status, _, body = stack.call("AdminPromotionsFunction", event)
    assert status == 200 and body["rates"] == {"USD": "1.0812", "JPY": "162.5"}
    bad = {**snapshot, "rates": {"USD": "-1"}}
    status, _, body = stack.call("AdminPromotionsFunction", admin_event("POST", "/admin/fx-rates", bad))
    assert status == 400, body

    # The reports read the same snapshot (the reporting currency is its base), and no other day's.
    stored = StoredReportingRates(
        DynamoFxRates(
            boto3.client("dynamodb", region_name="us-east-1"), stack.deployment.physical_ids["MainTable"]
        ),
        "EUR",
    )
    day = stored.for_day(date(2026, 11, 26))
    assert day is not None and (day.base, dict(day.rates)) == ("EUR", {"USD": "1.0812", "JPY": "162.5"})
    assert stored.for_day(date(2026, 11, 25)) is None


def _me(method: str, route: str, body: Any = None, customer: str = "", **params: str) -> dict[str, Any]:
    event = routed(sample_event("cart-get-mine.json"), method, route, route.format(**params), body)
    event["pathParameters"] = params
    event["requestContext"]["authorizer"]["jwt"]["claims"]["sub"] = customer
    return event


def test_a_signed_in_customer_puts_the_first_order_code_on_their_cart(stack: Stack) -> None:
    customer = str(uuid.uuid4())
    line = _me("PUT", "/me/cart/lines/{sku}", {"quantity": 1}, customer, sku=SKU)
    assert stack.call("CartFunction", line)[0] == 200
    moved = stack.call("CartFunction", _me("PUT", "/me/cart/destination", {"country": "JP"}, customer))
    assert moved[0] == 200 and moved[2]["estimate"]["tax_region"] == "JP"

    status, _, body = stack.call(
        "CartFunction", _me("POST", "/me/cart/discount-code", {"code": "welcome10"}, customer)
    )

    assert status == 200, body
    assert [d["code"] for d in body["estimate"]["discounts"]] == ["WELCOME10"]
    status, _, body = stack.call("CartFunction", _me("DELETE", "/me/cart/discount-code", None, customer))
    assert status == 200 and body["discount_code"] is None


def test_automatic_promotions_are_read_once_per_cache_period(stack: Stack) -> None:
    settings: Settings = stack.runtime.module("CartFunction").settings
    clock = [1000.0]
    store = DynamoPromotions(boto3.client("dynamodb"), settings.table_name, 30, lambda: clock[0])
    before = {p.id for p in store.automatic()}
    # one that starts in years, so that it changes no other test's cart
    later = {
        "id": "flash-" + uuid.uuid4().hex[:6],
        "kind": "free_shipping",
        "starts_at": "2036-01-01T00:00:00+00:00",
    }
    assert _promotion(stack, **later)[0] == 201

    cached = {p.id for p in store.automatic()}
    clock[0] += 30
    fresh = {p.id for p in store.automatic()}

    assert cached == before and len(fresh) == len(before) + 1


def test_erasing_a_customer_removes_whose_discount_limits_their_orders_counted_against(stack: Stack) -> None:
    settings: Settings = stack.runtime.module("CustomersFunction").settings
    client = boto3.client("dynamodb")
    customer = str(uuid.uuid4())
    now = datetime.now(UTC)
    order = Order(
        id=str(uuid.uuid4()),
        status=OrderStatus.PAID,
        currency="EUR",
        lines=(),
        totals=OrderTotals(*(Money(0, "EUR"),) * 5),
        email="ada@example.com",
        shipping_address={"country": "FR", "city": "Paris"},
        billing_address={"country": "FR", "city": "Paris"},
        created_at=now,
        reservations=(),
        reservation_expires_at=now,
        order_token_hash="",
        customer_id=customer,
        pricing=OrderPricing(
            seller={"name": "Shop"}, tax_region="FR", tax_included=True, shopper_key=f"CUSTOMER#{customer}"
        ),
    )
    client.put_item(TableName=settings.table_name, Item=to_item(order_to_item(order)))

    assert DynamoOrderHistory(client, settings.table_name).pseudonymise_orders(customer, now) == 1

    stored = DynamoOrders(client, settings.table_name).get(order.id)
    assert stored is not None and stored.pricing is not None
    assert stored.pricing.shopper_key is None and stored.pricing.tax_region == "FR"


def test_a_cancelled_unpaid_order_gives_the_last_use_of_a_code_back(stack: Stack) -> None:
    settings: Settings = stack.runtime.module("CheckoutFunction").settings
    client = boto3.client("dynamodb")
    DynamoStock(client, settings.table_name).receive(SKU, "wh-paris", 5, "promotion test")
    assert _promotion(stack, code="LASTONE", usage_limit=1)[0] == 201
    checkout = checkout_on_dynamodb(settings, client)
    orders = bootstrap.order_repository(settings, client)
    address = AddressInput(
        recipient_name="Ada", line1="1 rue de Rivoli", city="Paris", postal_code="75001", country="FR"
    )

    def buy() -> Order:
        cart_id, token = _cart(stack)
        status, body = _add_code(stack, cart_id, token, "LASTONE")
        if status != 200:
            raise DiscountCodeExhausted(str(body))
        request = CheckoutRequest(email=f"{uuid.uuid4().hex}@example.com", shipping_address=address)
        return checkout.guest(cart_id, token, request).order

    def uses() -> int:
        status, _, report = stack.call(
            "AdminPromotionsFunction",
            admin_event("GET", "/admin/promotions/{promotion_id}", promotion_id="LASTONE"),
        )
        assert status == 200, report
        return int(report["uses"])

    declined = buy()
    with pytest.raises(DiscountCodeExhausted):
        buy()
    assert uses() == 1

    orders.release(declined.cancelled(bootstrap.now(), "payment_failed"), declined.version, "payment_failed")

    assert uses() == 0
    assert buy().pricing is not None
    assert uses() == 1
