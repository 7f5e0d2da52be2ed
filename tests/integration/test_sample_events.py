"""The sample events the handler tests fill in: a value put in is never taken for another placeholder."""

from __future__ import annotations

from .conftest import sample_event


def test_a_token_that_holds_another_placeholders_name_is_kept_as_given() -> None:
    event = sample_event("cart-set-line.json", CART_ID="cart-1", CART_TOKEN="abSKUcd-CART_ID", SKU="TEE-M")

    assert event["headers"]["x-cart-token"] == "abSKUcd-CART_ID"
    assert event["rawPath"] == "/carts/cart-1/lines/TEE-M"
