"""The shipping connector's routes against the moto stack built from template.yaml: a cart's
shipping rates through the simulated carrier (and without it when it is down), and staff fetching a
shipment's label, kept in the encrypted labels bucket."""

from __future__ import annotations

import base64
import hashlib

import boto3

from commerce.adapters.carriers import SIMULATED_DOWN_POSTAL_CODE
from commerce.adapters.dynamodb.catalog import DynamoCatalog

from .conftest import Stack, sample_event
from .test_cart_handler import _new_cart, _sku_with_all_prices
from .test_tracking_handler import _fulfilling_order

LABEL = "TrackingFunction"


def _cart_with(stack: Stack, quantity: int) -> tuple[dict[str, str], str]:
    cart_id, token = _new_cart(stack)
    sku, _ = _sku_with_all_prices()
    ids = {"CART_ID": cart_id, "CART_TOKEN": token, "SKU": sku}
    status, _, body = stack.call("CartFunction", sample_event("cart-set-line.json", **ids))  # 2 units
    assert status == 200, body
    return ids, sku


def _rates(stack: Stack, ids: dict[str, str], country: str, postal_code: str) -> tuple[int, dict]:
    event = sample_event("cart-shipping-rates.json", COUNTRY=country, POSTAL_CODE=postal_code, **ids)
    status, _, body = stack.call("CartFunction", event)
    return status, body


def test_a_cart_is_quoted_the_zone_rate_and_the_simulated_carriers_services(stack: Stack) -> None:
    ids, sku = _cart_with(stack, 2)

    status, body = _rates(stack, ids, "FR", "75001")

    assert status == 200, body
    assert body["live_rates"] == "included" and body["live_rates_problem"] is None
    assert (body["country"], body["postal_code"], body["origin_location"]) == ("FR", "75001", "wh-paris")
    record = DynamoCatalog(boto3.client("dynamodb"), stack.deployment.physical_ids["MainTable"]).get_skus(
        [sku]
    )
    assert body["weight_grams"] == 2 * record[sku].terms.weight_grams
    codes = [option["service_code"] for option in body["options"]]
    assert sorted(codes) == ["sim-express", "sim-standard", "zone:eu"]
    prices = [option["price"]["amount"] for option in body["options"]]
    assert prices == sorted(prices) and all(o["price"]["currency"] == "EUR" for o in body["options"])


def test_a_carrier_that_is_down_leaves_the_zone_rate(stack: Stack) -> None:
    ids, _ = _cart_with(stack, 2)

    status, body = _rates(stack, ids, "FR", SIMULATED_DOWN_POSTAL_CODE)

    assert status == 200, body
    assert body["live_rates"] == "unavailable" and "simulated" in body["live_rates_problem"]
    assert [option["source"] for option in body["options"]] == ["zone"]


def test_a_bad_country_or_postal_code_is_a_problem_not_a_500(stack: Stack) -> None:
    ids, _ = _cart_with(stack, 2)
    for country, postal in (("ZZ", "75001"), ("BR", "01000-000"), ("FR", "7500")):
        status, body = _rates(stack, ids, country, postal)
        assert 400 <= status < 500 and body["status"] == status, (country, body)


def test_staff_get_a_shipments_label_once_stored_and_get_it_again_on_request(stack: Stack) -> None:
    _, shipment = _fulfilling_order(stack)
    event = sample_event("admin-get-shipment-label.json", SHIPMENT_ID=shipment.id)

    status, _, first = stack.call(LABEL, event)
    assert status == 200, first
    content = base64.b64decode(first["content_base64"])
    assert content.startswith(b"%PDF-") and shipment.tracking_number.encode() in content
    assert (first["format"], first["content_type"]) == ("PDF", "application/pdf")
    assert first["sha256"] == hashlib.sha256(content).hexdigest() and first["size_bytes"] == len(content)
    stored = boto3.client("s3").get_object(
        Bucket=stack.deployment.physical_ids["ShippingLabelsBucket"], Key=f"labels/{shipment.id}"
    )
    assert stored["Body"].read() == content

    status, _, again = stack.call(LABEL, event)
    assert status == 200 and again == first  # read from the bucket: the same stored_at

    event["requestContext"]["http"]["method"] = "POST"
    status, _, renewed = stack.call(LABEL, event)
    assert status == 200, renewed
    assert renewed["sha256"] == first["sha256"] and renewed["stored_at"] >= first["stored_at"]


def test_a_label_is_staff_only_and_an_unknown_shipment_has_none(stack: Stack) -> None:
    _, shipment = _fulfilling_order(stack)
    customer = sample_event("admin-get-shipment-label.json", SHIPMENT_ID=shipment.id)
    customer["requestContext"]["authorizer"]["jwt"]["claims"]["cognito:groups"] = "[]"
    status, _, body = stack.call(LABEL, customer)
    assert status == 403 and "content_base64" not in body

    anonymous = sample_event("admin-get-shipment-label.json", SHIPMENT_ID=shipment.id)
    del anonymous["requestContext"]["authorizer"]
    assert stack.call(LABEL, anonymous)[0] == 401

    unknown = sample_event("admin-get-shipment-label.json", SHIPMENT_ID=f"{shipment.order_id}-7")
    assert stack.call(LABEL, unknown)[0] == 404
