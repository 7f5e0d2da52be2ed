"""The shipping connector on the local stack, end to end: a cart's shipping rates through the
simulated carrier, the zone rate still answering when the carrier is down, and staff fetching the label of a
parcel booked for a paid order."""

from __future__ import annotations

import base64
import hashlib

import boto3
import pytest

from commerce.adapters.carriers import SIMULATED_DOWN_POSTAL_CODE
from local.stack import LocalStack
from tests.polling import poll

from .conftest import Api, Tokens
from .test_fulfillment import Fulfilled

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def shop(stack: LocalStack, api: Api) -> Fulfilled:
    return Fulfilled(stack, api)


def _cart(shop: Fulfilled, quantity: int = 2) -> tuple[str, dict[str, str]]:
    sku = shop.sku_at(wh_paris=5)
    cart = shop.api.post("/carts", json={"currency": "EUR", "country": "FR"})
    assert cart.status_code == 201, cart.text
    cart_id, headers = cart.json()["id"], {"X-Cart-Token": cart.json()["token"]}
    line = shop.api.put(f"/carts/{cart_id}/lines/{sku}", json={"quantity": quantity}, headers=headers)
    assert line.status_code == 200, line.text
    return cart_id, headers


def test_a_shopper_sees_the_zone_rate_and_the_simulated_carriers_quotes_for_a_cart(shop: Fulfilled) -> None:
    cart_id, headers = _cart(shop)

    response = shop.api.get(
        f"/carts/{cart_id}/shipping-rates", params={"country": "DE", "postal_code": "10115"}, headers=headers
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["live_rates"], body["country"], body["origin_location"]) == ("included", "DE", "wh-berlin")
    by_code = {option["service_code"]: option for option in body["options"]}
    assert set(by_code) == {"zone:eu", "sim-standard", "sim-express"}
    assert by_code["zone:eu"]["source"] == "zone" and by_code["sim-express"]["carrier"] == "simulated"
    prices = [option["price"]["amount"] for option in body["options"]]
    assert prices == sorted(prices)
    estimate = shop.api.get(f"/carts/{cart_id}", headers=headers).json()
    assert by_code["zone:eu"]["price"] == estimate["estimate"]["totals"]["shipping"]  # what checkout charges


def test_a_carrier_that_is_down_does_not_break_the_cart(shop: Fulfilled) -> None:
    cart_id, headers = _cart(shop)

    response = shop.api.get(
        f"/carts/{cart_id}/shipping-rates",
        params={"country": "FR", "postal_code": SIMULATED_DOWN_POSTAL_CODE},
        headers=headers,
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["live_rates"] == "unavailable" and body["live_rates_problem"]
    assert [option["service_code"] for option in body["options"]] == ["zone:eu"]
    assert shop.api.get(f"/carts/{cart_id}", headers=headers).status_code == 200


def test_a_bad_destination_or_a_wrong_token_is_a_problem(shop: Fulfilled) -> None:
    cart_id, headers = _cart(shop)
    for params in ({"country": "ZZ"}, {"country": "FRA"}, {"country": "FR", "postal_code": "ABC"}):
        response = shop.api.get(f"/carts/{cart_id}/shipping-rates", params=params, headers=headers)
        assert 400 <= response.status_code < 500, (params, response.text)
        assert response.headers["Content-Type"] == "application/problem+json"
    wrong = shop.api.get(f"/carts/{cart_id}/shipping-rates", headers={"X-Cart-Token": "nope"})
    assert wrong.status_code == 404


def test_a_booked_parcels_label_is_stored_at_booking_and_staff_fetch_it_and_ask_again(
    shop: Fulfilled, tokens: Tokens
) -> None:
    sku = shop.sku_at(wh_paris=2)
    placed = shop.paid_order({sku: 1})
    (shipment,) = shop.shipments(placed, 1)
    path = f"/admin/shipments/{shipment['id']}/label"
    staff = tokens.headers("staff")
    assert shop.stack.deployment is not None
    s3 = boto3.client(
        "s3",
        endpoint_url=shop.stack.aws_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    bucket = shop.stack.deployment.physical_ids["ShippingLabelsBucket"]
    key = f"labels/{shipment['id']}"
    # Fulfillment asked for the label when it booked the parcel: it is there before anyone asks.
    stored = poll(lambda: s3.list_objects_v2(Bucket=bucket, Prefix=key).get("KeyCount", 0) == 1)
    assert stored

    first = shop.api.get(path, headers=staff)

    assert first.status_code == 200, first.text
    label = first.json()
    content = base64.b64decode(label["content_base64"])
    assert content.startswith(b"%PDF-") and shipment["tracking_number"].encode() in content
    assert label["sha256"] == hashlib.sha256(content).hexdigest()
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == content
    again = shop.api.post(path, headers=staff)
    assert again.status_code == 200 and again.json()["sha256"] == label["sha256"]
    assert shop.api.get(path, headers=tokens.headers("customer")).status_code == 403
    assert shop.api.get(path).status_code == 401
    assert shop.api.get(f"/admin/shipments/{placed['order_id']}-9/label", headers=staff).status_code == 404
