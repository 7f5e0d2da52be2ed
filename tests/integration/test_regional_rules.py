"""Regional rules through the real handlers, on moto built from template.yaml with the demo data: browse
hides a product restricted in the shopper's country, checkout refuses it with the reason, and the same
product is priced in each region's currency, tax and shipping."""

from __future__ import annotations

import json
from typing import Any

import boto3

from commerce.adapters.dynamodb.orders import DynamoOrders

from .checkouts import checkout_on_dynamodb
from .conftest import Stack, checkout_event, sample_event
from .test_admin_catalog_handler import admin_event, create_product

SCARF = "ACC-SLK-BLU"  # prd-0061, not shipped to the US in the demo data
TEE = "TEE-ORG-BLK-M"


def _cart(stack: Stack, country: str, region: str | None, sku: str) -> dict[str, Any]:
    event = sample_event("cart-create.json")
    event["body"] = json.dumps({"country": country, **({"region": region} if region else {})})
    status, _, cart = stack.call("CartFunction", event)
    assert status == 201, cart
    line = sample_event("cart-set-line.json", CART_ID=cart["id"], CART_TOKEN=cart["token"], SKU=sku)
    line["body"] = json.dumps({"quantity": 1})
    status, _, body = stack.call("CartFunction", line)
    assert status == 200, body
    return {**body, "token": cart["token"]}


def test_browse_hides_a_product_not_shipped_to_the_shoppers_country(stack: Stack) -> None:
    def listed(country: str) -> set[str]:
        event = sample_event("browse-list-products.json")
        event["queryStringParameters"] = {"category": "accessories", "limit": "100", "country": country}
        event["rawQueryString"] = f"category=accessories&limit=100&country={country}"
        status, _, body = stack.call("BrowseFunction", event)
        assert status == 200, body
        return {product["id"] for product in body["items"]}

    assert "prd-0061" in listed("FR") and "prd-0061" not in listed("US")


def test_checkout_refuses_a_product_not_shipped_to_the_address_and_says_which(stack: Stack) -> None:
    cart = _cart(stack, "US", "NY", SCARF)
    assert cart["estimate"] is None and cart["estimate_problem"]["type"].endswith("restricted-in-region")
    new_york = {
        "recipient_name": "Ada",
        "line1": "1 Main St",
        "city": "New York",
        "region": "NY",
        "postal_code": "10001",
        "country": "US",
    }
    event = checkout_event(cart["id"], cart["token"], shipping_address=new_york)
    status, _, problem = stack.call("CheckoutFunction", event)
    assert status == 422 and problem["type"].endswith("restricted-in-region"), problem
    assert problem["lines"] == [{"sku": SCARF, "reason": "not shipped to US"}]


def test_the_same_tee_is_priced_in_each_regions_currency_tax_and_shipping(stack: Stack) -> None:
    germany = _cart(stack, "DE", None, TEE)["estimate"]
    usa = _cart(stack, "US", "CA", TEE)["estimate"]
    japan = _cart(stack, "JP", None, TEE)["estimate"]

    assert [e["totals"]["total"]["currency"] for e in (germany, usa, japan)] == ["EUR", "USD", "JPY"]
    # Germany: 29.90 with 19 % VAT inside (477), EU shipping 5.90 with 94 inside; total = shelf + shipping
    assert germany["totals"]["tax_included"] and germany["tax_region"] == "DE"
    assert germany["totals"]["tax"]["amount"] == 477 + 94
    assert germany["totals"]["total"]["amount"] == 2990 + 590
    # California: 32.90 + 7.25 % (2.385 -> 2.39) on top; 200 g: 5.95 + 1.50, not taxed
    assert not usa["totals"]["tax_included"] and usa["tax_region"] == "US-CA"
    assert usa["totals"]["tax"]["amount"] == 239
    assert usa["totals"]["total"]["amount"] == 3290 + 239 + 745
    # Japan: 4,780 with 10 % inside (435), shipping 800 with 73 inside
    assert japan["totals"]["tax"]["amount"] == 435 + 73
    assert japan["totals"]["total"]["amount"] == 4780 + 800


def test_staff_restrict_a_product_by_country_and_browse_hides_it_there_at_once(stack: Stack) -> None:
    product_id, _sku = create_product(stack)
    terms = {"tax_class": "reduced", "weight_grams": 350, "not_sold_in": ["CH"], "not_shipped_to": ["AU"]}
    event = admin_event("PUT", "/admin/products/{product_id}/pricing-terms", terms, product_id=product_id)
    status, _, body = stack.call("AdminCatalogFunction", event)
    assert status == 200, body
    assert body == {"product_id": product_id, **terms}

    for country, shown in (("CH", 404), ("AU", 404), ("FR", 200)):
        get = sample_event("browse-get-product.json")
        get["pathParameters"] = {"product_id": product_id}
        get["rawPath"] = get["requestContext"]["http"]["path"] = f"/products/{product_id}"
        get["queryStringParameters"] = {"country": country}
        get["rawQueryString"] = f"country={country}"
        assert stack.call("BrowseFunction", get)[0] == shown, country

    bad = admin_event(
        "PUT", "/admin/products/{product_id}/pricing-terms", {"tax_class": "luxury"}, product_id=product_id
    )
    assert stack.call("AdminCatalogFunction", bad)[0] == 400


def test_an_order_stores_what_its_invoice_needs(stack: Stack) -> None:
    module = vars(stack.runtime.module("CheckoutFunction").checkouts)
    settings = stack.runtime.module("CheckoutFunction").settings
    real = module["checkout"]
    client = boto3.client("dynamodb")
    module["checkout"] = checkout_on_dynamodb(settings, client)
    try:
        cart = _cart(stack, "DE", None, TEE)
        berlin = {
            "recipient_name": "Ada",
            "line1": "Unter den Linden 1",
            "city": "Berlin",
            "postal_code": "10117",
            "country": "DE",
        }
        event = checkout_event(cart["id"], cart["token"], shipping_address=berlin)
        status, _, placed = stack.call("CheckoutFunction", event)
    finally:
        module["checkout"] = real
    assert status == 201, placed
    assert placed["invoice"]["tax_region"] == "DE" and placed["invoice"]["delivery_days"] == [2, 5]

    order = DynamoOrders(boto3.client("dynamodb"), settings.table_name).get(placed["order_id"])

    assert order is not None and order.pricing is not None
    assert order.pricing.seller == {"name": "Commerce demo shop"}
    assert (order.pricing.tax_region, order.pricing.tax_included, order.pricing.shipping_zone) == (
        "DE",
        True,
        "eu",
    )
    assert order.email and order.billing_address["country"] == "DE" and order.currency == "EUR"
    (line,) = order.lines
    assert (line.sku, line.quantity, line.unit_price.amount, line.tax_class) == (TEE, 1, 2990, "standard")
    assert [(t.name, t.rate_ppm, t.base.amount, t.tax.amount) for t in line.taxes] == [
        ("VAT", 190_000, 2513, 477)
    ]
    assert [(t.rate_ppm, t.tax.amount) for t in order.totals.tax_breakdown] == [(190_000, 477 + 94)]
    assert order.totals.shipping_tax is not None and order.totals.shipping_tax.amount == 94
