"""The same product bought over HTTP from Germany, the US (California) and Japan: each shows and charges its
region's currency, tax and shipping, down to the PaymentIntent in localstripe; a discount code applies."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from local.stack import LocalStack
from local.tools import fx_rates

from .conftest import Api
from .test_purchase import VISA, Shop

pytestmark = pytest.mark.e2e

PRODUCT = "prd-0001"  # organic cotton tee: 29.90 EUR, 32.90 USD, 4,780 JPY; 200 g
SKU = "TEE-ORG-BLK-M"
ADDRESSES = {
    "DE": {"recipient_name": "Ada", "line1": "Unter den Linden 1", "city": "Berlin", "postal_code": "10117"},
    "US": {
        "recipient_name": "Ada",
        "line1": "1 Market St",
        "city": "San Francisco",
        "region": "CA",
        "postal_code": "94105",
    },
    "JP": {"recipient_name": "Ada", "line1": "1-1 Chiyoda", "city": "Tokyo", "postal_code": "100-0001"},
}
# Worked by hand (docs/tax.md): Germany 29.90 with 19 % inside (4.77) + shipping 5.90 with 0.94 inside;
# California 32.90 + 7.25 % (2.385 -> 2.39) + 5.95 + 1.50 for a started kilogram, shipping untaxed;
# Japan 4,780 with 10 % inside (435) + shipping 800 with 73 inside.
EXPECTED = {
    "DE": {"currency": "EUR", "price": 2990, "tax": 477 + 94, "shipping": 590, "total": 2990 + 590},
    "US": {"currency": "USD", "price": 3290, "tax": 239, "shipping": 745, "total": 3290 + 239 + 745},
    "JP": {"currency": "JPY", "price": 4780, "tax": 435 + 73, "shipping": 800, "total": 4780 + 800},
}


@pytest.fixture(scope="module")
def shop(stack: LocalStack, api: Api) -> Shop:
    return Shop(stack, api)


def _buy_from(shop: Shop, country: str) -> dict[str, Any]:
    address = {**ADDRESSES[country], "country": country}
    cart = shop.api.post("/carts", json={"country": country, **({"region": "CA"} if country == "US" else {})})
    assert cart.status_code == 201, cart.text
    cart_id, token = cart.json()["id"], cart.json()["token"]
    line = shop.api.put(
        f"/carts/{cart_id}/lines/{SKU}", json={"quantity": 1}, headers={"X-Cart-Token": token}
    )
    assert line.status_code == 200, line.text
    body = {"cart_id": cart_id, "email": f"{country.lower()}.{uuid.uuid4().hex[:8]}@example.com"}
    headers = {"X-Cart-Token": token, "Idempotency-Key": str(uuid.uuid4())}
    placed = shop.api.post("/checkout", json={**body, "shipping_address": address}, headers=headers)
    assert placed.status_code == 201, placed.text
    return {"cart": line.json(), "order": placed.json()}


@pytest.mark.parametrize("country", ["DE", "US", "JP"])
def test_the_same_tee_shows_and_charges_the_regions_currency_tax_and_shipping(
    shop: Shop, country: str
) -> None:
    expected = EXPECTED[country]
    shown = shop.api.get(f"/products/{PRODUCT}", params={"country": country})
    assert shown.status_code == 200, shown.text
    variant = next(v for v in shown.json()["variants"] if v["sku"] == SKU)
    assert variant["price"] == {"amount": expected["price"], "currency": expected["currency"]}

    bought = _buy_from(shop, country)

    estimate = bought["cart"]["estimate"]["totals"]
    totals = bought["order"]["totals"]
    assert estimate == totals  # the cart showed what checkout charged
    assert totals["total"] == {"amount": expected["total"], "currency": expected["currency"]}
    assert totals["tax"]["amount"] == expected["tax"] and totals["shipping"]["amount"] == expected["shipping"]
    assert totals["tax_included"] is (country != "US")
    shown_order = shop.order(bought["order"])
    assert shown_order["invoice"]["tax_region"] == {"DE": "DE", "US": "US-CA", "JP": "JP"}[country]
    assert shown_order["totals"] == totals
    intent_id = bought["order"]["payment"]["payment_intent_id"]
    intent = shop.stripe.v1.payment_intents.retrieve(intent_id)
    assert (intent.amount, intent.currency) == (expected["total"], expected["currency"].lower())
    shop.pay(intent_id, VISA)
    assert shop.settles_as(bought["order"], "paid")["status"] == "paid"


def test_a_discount_code_shows_on_the_cart_with_its_reason_and_a_wrong_one_says_why(shop: Shop) -> None:
    cart = shop.api.post("/carts", json={"country": "FR"}).json()
    headers = {"X-Cart-Token": cart["token"]}
    shop.api.put(f"/carts/{cart['id']}/lines/{SKU}", json={"quantity": 2}, headers=headers)

    applied = shop.api.post(f"/carts/{cart['id']}/discount-code", json={"code": "save5"}, headers=headers)
    unknown = shop.api.post(f"/carts/{cart['id']}/discount-code", json={"code": "NOPE99"}, headers=headers)
    removed = shop.api.delete(f"/carts/{cart['id']}/discount-code", headers=headers)

    assert applied.status_code == 200, applied.text
    discounts = applied.json()["estimate"]["discounts"]
    assert [(d["code"], d["amount"]["amount"], d["description"]) for d in discounts] == [
        ("SAVE5", 500, "5 off an order of 50 or more")
    ]
    assert unknown.status_code == 422 and unknown.json()["type"].endswith("discount-code-invalid")
    assert removed.status_code == 200 and removed.json()["discount_code"] is None


def test_a_days_fx_rates_load_from_a_file_into_the_running_stack(stack: LocalStack, tmp_path: Path) -> None:
    file = tmp_path / "rates.json"
    file.write_text(
        json.dumps({"base": "EUR", "date": "2026-11-20", "rates": {"USD": "1.0790"}, "source": "ECB"})
    )

    stored = fx_rates.load(file, stack.endpoints_file)

    assert stored == {"base": "EUR", "date": "2026-11-20", "rates": {"USD": "1.0790"}, "source": "ECB"}
