from __future__ import annotations

import json

from local import demo_catalog

from .conftest import Stack, sample_event


def _sku_with_all_prices() -> tuple[str, int]:
    for product in demo_catalog.products():
        if product.status.value != "active":
            continue
        for variant in product.variants:
            if {"EUR", "USD", "JPY"} <= set(variant.prices):
                return variant.sku, variant.prices["EUR"].amount
    raise AssertionError("the demo catalog has no fully priced SKU")


def _new_cart(stack: Stack) -> tuple[str, str]:
    status, headers, body = stack.call("CartFunction", sample_event("cart-create.json"))
    assert status == 201, body
    assert headers["Location"] == f"/carts/{body['id']}"
    return body["id"], body["token"]


def test_a_cart_is_created_filled_and_read_back_priced_by_the_server(stack: Stack) -> None:
    cart_id, token = _new_cart(stack)
    sku, eur = _sku_with_all_prices()
    ids = {"CART_ID": cart_id, "CART_TOKEN": token, "SKU": sku}
    status, _, body = stack.call("CartFunction", sample_event("cart-set-line.json", **ids))
    assert status == 200, body
    (line,) = body["lines"]
    assert line["quantity"] == 2
    assert line["unit_price"] == {"amount": eur, "currency": "EUR"}
    assert body["totals"]["subtotal"] == {"amount": 2 * eur, "currency": "EUR"}
    status, _, again = stack.call("CartFunction", sample_event("cart-get.json", **ids))
    assert status == 200 and again == body


def test_a_price_sent_by_the_client_is_refused(stack: Stack) -> None:
    cart_id, token = _new_cart(stack)
    sku, _ = _sku_with_all_prices()
    event = sample_event("cart-set-line.json", CART_ID=cart_id, CART_TOKEN=token, SKU=sku)
    event["body"] = json.dumps({"quantity": 1, "unit_price": {"amount": 1, "currency": "EUR"}})
    status, headers, body = stack.call("CartFunction", event)
    assert status == 400 and headers["Content-Type"] == "application/problem+json"
    assert body["errors"]


def test_removing_a_line_empties_the_cart(stack: Stack) -> None:
    cart_id, token = _new_cart(stack)
    sku, _ = _sku_with_all_prices()
    ids = {"CART_ID": cart_id, "CART_TOKEN": token, "SKU": sku}
    stack.call("CartFunction", sample_event("cart-set-line.json", **ids))
    status, _, body = stack.call("CartFunction", sample_event("cart-remove-line.json", **ids))
    assert status == 200, body
    assert body["lines"] == [] and body["totals"]["subtotal"]["amount"] == 0


def test_another_carts_token_opens_nothing(stack: Stack) -> None:
    cart_id, _ = _new_cart(stack)
    _, other_token = _new_cart(stack)
    status, headers, _body = stack.call(
        "CartFunction", sample_event("cart-get.json", CART_ID=cart_id, CART_TOKEN=other_token)
    )
    assert status == 404 and headers["Content-Type"] == "application/problem+json"


def test_a_malformed_json_body_is_a_400_problem(stack: Stack) -> None:
    event = sample_event("cart-create.json")
    event["body"] = "{not json"
    status, headers, body = stack.call("CartFunction", event)
    assert status == 400, body
    assert headers["Content-Type"] == "application/problem+json"


def test_a_signed_in_customer_claims_a_guest_cart_into_their_own(stack: Stack) -> None:
    cart_id, token = _new_cart(stack)
    sku, eur = _sku_with_all_prices()
    stack.call("CartFunction", sample_event("cart-set-line.json", CART_ID=cart_id, CART_TOKEN=token, SKU=sku))
    status, _, claimed = stack.call(
        "CartFunction",
        sample_event("cart-claim.json", CART_ID=cart_id, CART_TOKEN=token, CUSTOMER_SUB="cust-claim"),
    )
    assert status == 200, claimed
    assert claimed["id"] != cart_id
    assert [(line["sku"], line["quantity"]) for line in claimed["lines"]] == [(sku, 2)]
    status, _, mine = stack.call(
        "CartFunction", sample_event("cart-get-mine.json", CUSTOMER_SUB="cust-claim")
    )
    assert status == 200 and mine["id"] == claimed["id"]
    assert mine["totals"]["subtotal"] == {"amount": 2 * eur, "currency": "EUR"}
    status, _, _ = stack.call(
        "CartFunction", sample_event("cart-get.json", CART_ID=cart_id, CART_TOKEN=token)
    )
    assert status == 404


def test_customers_never_see_each_others_carts(stack: Stack) -> None:
    _, _, ada = stack.call("CartFunction", sample_event("cart-get-mine.json", CUSTOMER_SUB="cust-ada"))
    _, _, bob = stack.call("CartFunction", sample_event("cart-get-mine.json", CUSTOMER_SUB="cust-bob"))
    assert ada["id"] != bob["id"]
    status, _, _ = stack.call("CartFunction", sample_event("cart-get.json", CART_ID=ada["id"], CART_TOKEN=""))
    assert status == 404


def test_claiming_without_a_signed_in_customer_is_refused(stack: Stack) -> None:
    cart_id, token = _new_cart(stack)
    event = sample_event("cart-claim.json", CART_ID=cart_id, CART_TOKEN=token)
    del event["requestContext"]["authorizer"]
    status, headers, _ = stack.call("CartFunction", event)
    assert status == 401 and headers["Content-Type"] == "application/problem+json"
