"""The customers function with the sample events, against moto tables built from template.yaml."""

from __future__ import annotations

import base64
import io
import json
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import boto3
import pytest
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from commerce.adapters.dynamodb.keys import email_key
from tests.unit.customer_builders import ADA_HOME

from .conftest import Stack, routed, sample_event

FUNCTION = "CustomersFunction"
_serialize = TypeSerializer().serialize
_deserialize = TypeDeserializer().deserialize


class Customer:
    """A signed-in customer: every call carries their JWT claims, as API Gateway's authorizer passes them."""

    def __init__(self, stack: Stack, email: str | None = None) -> None:
        self.stack = stack
        self.sub = str(uuid.uuid4())
        self.email = email or f"shopper-{self.sub[:8]}@example.com"

    def call(
        self, method: str, path: str, body: Any = None, query: dict[str, Any] | None = None
    ) -> tuple[int, dict[str, Any], Any]:
        route = "/me/addresses/{address_id}" if path.startswith("/me/addresses/") else path
        event = routed(
            sample_event("customers-get-me.json", CUSTOMER_SUB=self.sub), method, route, path, body
        )
        event["requestContext"]["authorizer"]["jwt"]["claims"]["email"] = self.email
        if route != path:
            event["pathParameters"] = {"address_id": path.rsplit("/", 1)[1]}
        if query:
            event["queryStringParameters"] = {k: str(v) for k, v in query.items()}
            event["rawQueryString"] = urlencode(query)
        if body is not None:
            event["headers"]["content-type"] = "application/json"
        return self.stack.call(FUNCTION, event)


def _address(**overrides: Any) -> dict[str, Any]:
    return ADA_HOME | overrides


def _table(stack: Stack) -> tuple[Any, str]:
    return boto3.client("dynamodb"), stack.deployment.physical_ids["MainTable"]


def _put(stack: Stack, item: dict[str, Any]) -> None:
    client, table = _table(stack)
    client.put_item(TableName=table, Item={k: _serialize(v) for k, v in item.items()})


def _get(stack: Stack, pk: str, sk: str) -> dict[str, Any] | None:
    client, table = _table(stack)
    found = client.get_item(TableName=table, Key={"PK": {"S": pk}, "SK": {"S": sk}}, ConsistentRead=True)
    return {k: _deserialize(v) for k, v in found["Item"].items()} if "Item" in found else None


def _write_order(stack: Stack, customer: Customer, order_id: str, created_at: datetime) -> None:
    """An order item of the documented shape (docs/data-model.md), as the checkout will write it."""
    placed = created_at.isoformat()
    address = {
        "recipient_name": "Ada Lovelace",
        "line1": "12 rue de Rivoli",
        "line2": "Bâtiment B",
        "city": "Paris",
        "postal_code": "75001",
        "country": "FR",
        "phone": "+33 1 23 45 67 89",
    }
    _put(
        stack,
        {
            "PK": f"ORDER#{order_id}",
            "SK": "ORDER",
            "type": "order",
            "id": order_id,
            "status": "paid",
            "currency": "EUR",
            "totals": {"subtotal": 2000, "tax": 400, "shipping": 500, "discount": 0, "total": 2900},
            "lines": [
                {"sku": "RUN-40", "name": "Runner", "quantity": 2, "unit_price": 1000, "line_total": 2000}
            ],
            "created_at": placed,
            "customer_id": customer.sub,
            "email": customer.email,
            "shipping_address": address,
            "billing_address": address,
            "GSI1PK": f"CUSTOMER#{customer.sub}",
            "GSI1SK": f"ORDER#{placed}#{order_id}",
        },
    )
    # The fraud screen's index entry the checkout writes beside each order.
    _put(stack, {"PK": email_key(customer.email), "SK": f"ORDER#{placed}#{order_id}", "order_id": order_id})


def _write_orders(stack: Stack, customer: Customer, count: int) -> list[str]:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    ids = [f"ord-{customer.sub[:8]}-{i}" for i in range(count)]
    for i, order_id in enumerate(ids):
        _write_order(stack, customer, order_id, start + timedelta(days=i))
    return ids


def _write_cart(stack: Stack, customer: Customer) -> str:
    cart_id = str(uuid.uuid4())
    now = datetime.now(UTC).isoformat()
    _put(
        stack,
        {
            "PK": f"CART#{cart_id}",
            "SK": "CART",
            "type": "cart",
            "id": cart_id,
            "token_hash": "",
            "currency": "EUR",
            "lines": {"RUN-40": 2},
            "created_at": now,
            "updated_at": now,
            "version": 1,
            "customer_id": customer.sub,
            "expires_at": int(datetime.now(UTC).timestamp()) + 86400,
        },
    )
    _put(stack, {"PK": f"CUSTOMER#{customer.sub}", "SK": "CART", "type": "cart_pointer", "cart_id": cart_id})
    return cart_id


# profile
def test_the_sample_event_signs_in_a_customer_whose_profile_is_created_on_first_read(stack: Stack) -> None:
    sub = str(uuid.uuid4())
    status, _, body = stack.call(FUNCTION, sample_event("customers-get-me.json", CUSTOMER_SUB=sub))
    assert status == 200, body
    assert body["customer_id"] == sub and body["email"] == "ada@example.com"
    assert body["marketing_consent"] == {"granted": False, "changed_at": None}
    assert _get(stack, f"CUSTOMER#{sub}", "PROFILE") is not None
    status, _, again = stack.call(FUNCTION, sample_event("customers-get-me.json", CUSTOMER_SUB=sub))
    assert status == 200 and again == body


def test_a_call_without_claims_is_refused(stack: Stack) -> None:
    event = sample_event("customers-get-me.json", CUSTOMER_SUB="x")
    del event["requestContext"]["authorizer"]
    status, headers, body = stack.call(FUNCTION, event)
    assert status == 401 and headers["Content-Type"] == "application/problem+json", body


def test_put_me_changes_the_profile_and_records_when_consent_was_given(stack: Stack) -> None:
    ada = Customer(stack)
    changes = {"name": "Ada", "locale": "fr_ca", "currency": "JPY", "marketing_consent": True}
    status, _, body = ada.call("PUT", "/me", changes)
    assert status == 200, body
    assert (body["name"], body["locale"], body["currency"]) == ("Ada", "fr-CA", "JPY")
    assert body["marketing_consent"]["granted"] and body["marketing_consent"]["changed_at"]
    status, _, again = ada.call("PUT", "/me", {"marketing_consent": True, "name": None})
    assert again["marketing_consent"] == body["marketing_consent"] and again["name"] is None
    assert again["locale"] == "fr-CA"


@pytest.mark.parametrize(
    "changes",
    [
        {"locale": "not a locale!"},
        {"currency": "GBP"},
        {"currency": "eur"},
        {"email": "nobody"},
        {"marketing_consent": "yes"},
        {"customer_id": "someone-else"},
    ],
)
def test_put_me_refuses_bad_values_with_a_400_problem(stack: Stack, changes: dict[str, Any]) -> None:
    status, headers, body = Customer(stack).call("PUT", "/me", changes)
    assert status == 400, body
    assert headers["Content-Type"] == "application/problem+json"


# addresses
def test_the_sample_address_is_created_with_its_location_and_made_the_default(stack: Stack) -> None:
    sub = str(uuid.uuid4())
    status, headers, body = stack.call(
        FUNCTION, sample_event("customers-create-address.json", CUSTOMER_SUB=sub)
    )
    assert status == 201, body
    assert headers["Location"] == f"/me/addresses/{body['id']}"
    assert body["default_shipping"] and body["default_billing"] and body["line2"] == "Bâtiment B"
    me = stack.call(FUNCTION, sample_event("customers-get-me.json", CUSTOMER_SUB=sub))[2]
    assert me["default_shipping_address_id"] == me["default_billing_address_id"] == body["id"]


def test_addresses_are_added_listed_replaced_and_deleted(stack: Stack) -> None:
    ada = Customer(stack)
    status, _, home = ada.call(
        "POST", "/me/addresses", _address(postal_code="h2x1y4", country="ca", region="qc")
    )
    assert status == 201, home
    assert (home["postal_code"], home["country"], home["region"]) == ("H2X 1Y4", "CA", "QC")
    status, _, work = ada.call("POST", "/me/addresses", _address(label="Work", default_shipping=True))
    assert status == 201 and work["default_shipping"]
    status, _, listed = ada.call("GET", "/me/addresses")
    assert status == 200 and [a["label"] for a in listed["items"]] == ["Home", "Work"]
    status, _, replaced = ada.call("PUT", f"/me/addresses/{home['id']}", _address(line1="3 quai Voltaire"))
    assert (
        status == 200
        and replaced["line1"] == "3 quai Voltaire"
        and replaced["created_at"] == home["created_at"]
    )
    status, _, body = ada.call("DELETE", f"/me/addresses/{work['id']}")
    assert status == 204 and body is None
    assert ada.call("GET", "/me")[2]["default_shipping_address_id"] is None  # the deleted default is cleared
    assert [a["id"] for a in ada.call("GET", "/me/addresses")[2]["items"]] == [home["id"]]
    assert ada.call("DELETE", f"/me/addresses/{work['id']}")[0] == 404


@pytest.mark.parametrize(
    "overrides",
    [
        {"postal_code": "7500"},
        {"country": "US", "postal_code": "ABCDE", "region": "CA"},
        {"country": "GB", "postal_code": "123"},
        {"country": "XX"},
        {"country": "US", "postal_code": "94105"},  # no state
        {"recipient_name": ""},
        {"colour": "blue"},
    ],
)
def test_an_address_that_breaks_its_countrys_rules_is_a_400_problem(
    stack: Stack, overrides: dict[str, Any]
) -> None:
    ada = Customer(stack)
    status, headers, body = ada.call("POST", "/me/addresses", _address(**overrides))
    assert status == 400, body
    assert headers["Content-Type"] == "application/problem+json"
    assert ada.call("GET", "/me/addresses")[2]["items"] == []


def test_another_customer_never_sees_or_changes_my_addresses(stack: Stack) -> None:
    ada, bob = Customer(stack), Customer(stack)
    mine = ada.call("POST", "/me/addresses", _address(default_shipping=True))[2]
    assert bob.call("GET", "/me/addresses")[2]["items"] == []
    status, headers, _ = bob.call("PUT", f"/me/addresses/{mine['id']}", _address(line1="Hijacked 1"))
    assert status == 404 and headers["Content-Type"] == "application/problem+json"
    assert bob.call("DELETE", f"/me/addresses/{mine['id']}")[0] == 404
    (still_mine,) = ada.call("GET", "/me/addresses")[2]["items"]
    assert still_mine == mine
    assert bob.call("GET", "/me")[2]["default_shipping_address_id"] is None


# orders
def test_my_orders_come_newest_first_a_page_at_a_time(stack: Stack) -> None:
    ada, bob = Customer(stack), Customer(stack)
    ids = _write_orders(stack, ada, 5)
    _write_orders(stack, bob, 2)
    event = sample_event("customers-list-orders.json", CUSTOMER_SUB=ada.sub)
    status, _, first = stack.call(FUNCTION, event)
    assert status == 200, first
    assert [o["id"] for o in first["items"]] == [ids[4], ids[3]] and first["next_cursor"]
    order = first["items"][0]
    assert order["totals"]["total"] == {"amount": 2900, "currency": "EUR"}
    assert order["lines"][0]["unit_price"] == {"amount": 1000, "currency": "EUR"}
    seen = [o["id"] for o in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        status, _, page = ada.call("GET", "/me/orders", query={"limit": 2, "cursor": cursor})
        assert status == 200, page
        seen += [o["id"] for o in page["items"]]
        cursor = page["next_cursor"]
    assert seen == list(reversed(ids))
    status, _, body = bob.call("GET", "/me/orders", query={"limit": 2, "cursor": first["next_cursor"]})
    assert status == 400, body  # a cursor is bound to the customer it was made for


# export and erasure
def test_export_returns_everything_in_one_document(stack: Stack) -> None:
    ada = Customer(stack)
    ada.call("PUT", "/me", {"name": "Ada", "marketing_consent": True})
    ada.call("POST", "/me/addresses", _address(default_billing=True))
    cart_id = _write_cart(stack, ada)
    ids = _write_orders(stack, ada, 3)
    status, headers, export = ada.call("GET", "/me/export")
    assert status == 200, export
    assert "attachment" in headers["Content-Disposition"]
    assert export["profile"]["name"] == "Ada" and export["profile"]["email"] == ada.email
    assert [a["default_billing"] for a in export["addresses"]] == [True]
    assert export["cart"]["id"] == cart_id and export["cart"]["lines"] == [{"sku": "RUN-40", "quantity": 2}]
    assert [o["id"] for o in export["orders"]] == list(reversed(ids))
    assert export["orders"][0]["shipping_address"]["line1"] == "12 rue de Rivoli"


def test_erase_deletes_my_data_pseudonymises_my_orders_and_can_run_twice(stack: Stack) -> None:
    ada, bob = Customer(stack), Customer(stack)
    ada.call("PUT", "/me", {"name": "Ada"})
    ada.call("POST", "/me/addresses", _address())
    cart_id = _write_cart(stack, ada)
    ids = _write_orders(stack, ada, 3)
    bobs = _write_orders(stack, bob, 1)
    status, _, body = ada.call("DELETE", "/me")
    assert status == 204, body
    client, table = _table(stack)
    left = client.query(
        TableName=table,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": f"CUSTOMER#{ada.sub}"}},
        ConsistentRead=True,
    )["Items"]
    assert left == []  # profile, addresses and the cart pointer
    assert _get(stack, f"CART#{cart_id}", "CART") is None
    for order_id in ids:
        order = _get(stack, f"ORDER#{order_id}", "ORDER")
        assert order is not None
        assert {"customer_id", "GSI1PK", "GSI1SK"}.isdisjoint(order)
        assert order["erased_at"] and order["email"] == "[erased]"
        for address in (order["shipping_address"], order["billing_address"]):
            assert address["country"] == "FR"
            assert {k for k, v in address.items() if v != "[erased]"} == {"country"}
        assert order["totals"]["total"] == 2900 and order["lines"][0]["quantity"] == 2
        assert order["status"] == "paid" and order["created_at"]
    first_erasure = _get(stack, f"ORDER#{ids[0]}", "ORDER")
    assert ada.call("GET", "/me/orders")[2]["items"] == []
    client, table = _table(stack)
    by_email = client.query(
        TableName=table,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": email_key(ada.email)}},
        ConsistentRead=True,
    )["Items"]
    assert by_email == []  # the hashed email no longer leads to the orders
    assert ada.call("DELETE", "/me")[0] == 204  # again: nothing left, still fine
    assert _get(stack, f"ORDER#{ids[0]}", "ORDER") == first_erasure
    bobs_order = _get(stack, f"ORDER#{bobs[0]}", "ORDER")
    assert bobs_order is not None and bobs_order["customer_id"] == bob.sub


@contextmanager
def _all_log_output(caplog: pytest.LogCaptureFixture) -> Iterator[io.StringIO]:
    """Every log line as CloudWatch would get it: the Powertools JSON of the function's logger, plus every
    record of any logger (message, extra fields and traceback), e.g. the tracer's error logs."""
    function_logger = logging.getLogger("commerce")
    powertools = next(h for h in function_logger.handlers if h.formatter is not None)
    buffer = io.StringIO()
    copy = logging.StreamHandler(buffer)
    copy.setFormatter(powertools.formatter)
    function_logger.addHandler(copy)
    caplog.set_level(logging.INFO)  # the level the template deploys (LogLevel)
    try:
        yield buffer
    finally:
        function_logger.removeHandler(copy)
        formatter = logging.Formatter()
        for record in caplog.records:
            buffer.write(json.dumps(record.__dict__, default=str) + "\n")
            if record.exc_info:
                buffer.write(formatter.formatException(record.exc_info) + "\n")


def test_the_logs_of_a_whole_customer_journey_hold_no_personal_data(
    stack: Stack, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    ada = Customer(stack, email="zelda.quixote-4711@example.net")
    personal = {
        "name": "Zelda Quixote",
        "line1": "99 Boulevard Haussmann",
        "line2": "Escalier Z",
        "postal_code": "75009",
        "phone": "+33 6 98 76 54 32",
    }
    capfd.readouterr()
    with _all_log_output(caplog) as logs:
        ada.call("GET", "/me")
        ada.call("PUT", "/me", {"name": personal["name"], "marketing_consent": True})
        address = _address(
            recipient_name=personal["name"], **{k: v for k, v in personal.items() if k != "name"}
        )
        created = ada.call("POST", "/me/addresses", address | {"default_shipping": True})[2]
        ada.call("PUT", f"/me/addresses/{created['id']}", address | {"city": "Lyon", "postal_code": "69001"})
        ada.call("POST", "/me/addresses", address | {"postal_code": "bad-1"})  # refused
        ada.call("PUT", "/me", {"email": "zelda at example"})  # refused
        _write_orders(stack, ada, 2)
        ada.call("GET", "/me/orders")
        ada.call("GET", "/me/export")
        ada.call("DELETE", f"/me/addresses/{created['id']}")
        ada.call("DELETE", "/me")
    printed = capfd.readouterr()
    text = logs.getvalue() + printed.out + printed.err
    assert "customer erased" in text and "address added" in text  # the journey was logged...
    for value in [ada.email, *personal.values(), "69001", "Haussmann", "Zelda", "bad-1", "zelda at example"]:
        assert value not in text  # ...without any of it


# Found by the schemathesis run (tests/e2e/test_api_fuzz.py): each of these was a 500.
@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "multipart/form-data", "application/x-www-form-urlencoded"],
)
def test_a_body_that_is_not_json_is_a_415_problem(stack: Stack, content_type: str) -> None:
    ada = Customer(stack)
    event = sample_event("customers-get-me.json", CUSTOMER_SUB=ada.sub)
    event["routeKey"] = event["requestContext"]["routeKey"] = "PUT /me"
    event["requestContext"]["http"]["method"] = "PUT"
    event["requestContext"]["authorizer"]["jwt"]["claims"]["email"] = ada.email
    event["headers"]["content-type"] = content_type
    event["body"] = json.dumps({"name": "Ada"})

    status, headers, body = stack.call(FUNCTION, event)

    assert status == 415
    assert headers["Content-Type"] == "application/problem+json"
    assert body["type"].endswith("/unsupported-media-type")


def test_a_body_that_is_not_utf8_is_a_400_problem(stack: Stack) -> None:
    ada = Customer(stack)
    event = sample_event("customers-get-me.json", CUSTOMER_SUB=ada.sub)
    event["routeKey"] = event["requestContext"]["routeKey"] = "PUT /me"
    event["requestContext"]["http"]["method"] = "PUT"
    event["requestContext"]["authorizer"]["jwt"]["claims"]["email"] = ada.email
    event["headers"]["content-type"] = "application/json"
    event["body"] = base64.b64encode(b"\xff\xfe{").decode()
    event["isBase64Encoded"] = True

    status, _, body = stack.call(FUNCTION, event)

    assert status == 400
    assert body["type"].endswith("/invalid-request")


def test_a_204_has_no_content_type(stack: Stack) -> None:
    status, headers, body = Customer(stack).call("DELETE", "/me")

    assert status == 204
    assert body is None
    assert "Content-Type" not in headers and "content-type" not in headers
