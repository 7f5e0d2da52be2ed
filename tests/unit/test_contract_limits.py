"""The limits the code enforces are the ones docs/openapi.json states."""

from __future__ import annotations

import json
from pathlib import Path

from commerce.api.models import SetLineIn
from commerce.domain.cart import MAX_CART_LINES, MAX_QUANTITY_PER_LINE, CartPolicy
from commerce.domain.customer import MAX_ADDRESSES

OPENAPI = json.loads((Path(__file__).resolve().parents[2] / "docs" / "openapi.json").read_text())
SCHEMAS = OPENAPI["components"]["schemas"]


def test_the_per_line_quantity_limit_the_cart_enforces_is_the_one_the_contract_states() -> None:
    quantity = SCHEMAS["SetLineIn"]["properties"]["quantity"]
    assert quantity["maximum"] == MAX_QUANTITY_PER_LINE == CartPolicy().max_quantity_per_line == 99
    assert SetLineIn.model_json_schema()["properties"]["quantity"]["maximum"] == MAX_QUANTITY_PER_LINE
    assert f"at most {MAX_CART_LINES} lines" in quantity["description"]


def test_the_address_books_size_is_stated_on_the_address_it_limits() -> None:
    assert f"at most {MAX_ADDRESSES}" in SCHEMAS["CustomerAddressIn"]["description"]


def test_every_operation_documents_the_405_a_wrong_method_gets() -> None:
    for path, operations in OPENAPI["paths"].items():
        for method, operation in operations.items():
            assert "405" in operation["responses"], f"{method.upper()} {path}"
