"""The channel API against moto built from template.yaml, and checkouts racing channel reservations."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import boto3
import pytest

from commerce.adapters.dynamodb.carts import DynamoCarts
from commerce.adapters.dynamodb.inventory import DynamoInventory
from commerce.adapters.dynamodb.orders import DynamoOrders
from commerce.config import Settings
from commerce.domain.cart import Cart
from commerce.domain.channels import Channel
from commerce.domain.errors import Conflict, OutOfStock
from commerce.services.channels import Channels
from commerce.services.inventory import Inventory
from tests.fakes.events import InMemoryEvents

from .conftest import Stack, routed, sample_event
from .test_admin_catalog_handler import admin_event
from .test_dynamodb_orders import NOW, _order

FN = "ChannelsFunction"


def channel_event(
    method: str, route: str, body: Any = None, key: str | None = None, **params: str
) -> dict[str, Any]:
    event = routed(sample_event("browse-list-products.json"), method, route, route.format(**params), body)
    event["pathParameters"] = params
    event["queryStringParameters"] = None
    event["rawQueryString"] = ""
    event["headers"] = {"content-type": "application/json", **({"x-api-key": key} if key else {})}
    return event


@pytest.fixture(scope="module")
def market(stack: Stack) -> tuple[str, str]:
    """A marketplace channel selling from wh-paris, and its API key (issued through the staff API)."""
    name = f"marketplace:m{uuid.uuid4().hex[:6]}"
    status, _, body = stack.call(
        "InventoryAdminFunction",
        admin_event(
            "PUT",
            "/admin/channels/{channel_id}",
            {"currency": "EUR", "locations": ["wh-paris"]},
            groups="[admin]",  # channels are integrations: admin only by default
            channel_id=name,
        ),
    )
    assert status == 200, body
    status, _, body = stack.call(
        "InventoryAdminFunction",
        admin_event("POST", "/admin/channels/{channel_id}/api-keys", groups="[admin]", channel_id=name),
    )
    assert status == 201, body
    return name, body["api_key"]


def _receive(stack: Stack, sku: str, location: str, quantity: int) -> None:
    body = {"location": location, "quantity": quantity}
    status, _, answer = stack.call(
        "InventoryAdminFunction", admin_event("POST", "/admin/inventory/{sku}/receipts", body, sku=sku)
    )
    assert status == 200, answer


def test_a_channel_reserves_commits_and_releases_each_once(stack: Stack, market: tuple[str, str]) -> None:
    channel, key = market
    sku = f"CH-{uuid.uuid4().hex[:8].upper()}"
    _receive(stack, sku, "wh-paris", 5)
    body = {"external_order_id": "M-1001", "lines": {sku: 2}}
    route = "/channels/{channel_id}/reservations"
    status, _, first = stack.call(FN, channel_event("POST", route, body, key, channel_id=channel))
    assert status == 201, first
    status, _, again = stack.call(FN, channel_event("POST", route, body, key, channel_id=channel))
    assert status == 201 and again == first
    commit = "/channels/{channel_id}/reservations/{external_order_id}/commit"
    for _ in range(2):
        status, _, done = stack.call(
            FN, channel_event("POST", commit, None, key, channel_id=channel, external_order_id="M-1001")
        )
        assert status == 200 and done["status"] == "committed", done
    status, _, stock = stack.call(
        FN, channel_event("GET", "/channels/{channel_id}/stock/{sku}", None, key, channel_id=channel, sku=sku)
    )
    assert status == 200 and stock["available"] == 3


def test_a_wrong_or_missing_key_is_a_401_problem(stack: Stack, market: tuple[str, str]) -> None:
    channel, _ = market
    body = {"external_order_id": "M-1", "lines": {"ANY-SKU": 1}}
    for key in (None, "not-the-key"):
        status, headers, problem = stack.call(
            FN, channel_event("POST", "/channels/{channel_id}/reservations", body, key, channel_id=channel)
        )
        assert status == 401, problem
        assert headers["Content-Type"] == "application/problem+json"


def test_a_shopper_asks_for_a_back_in_stock_alert_without_signing_in(stack: Stack) -> None:
    status, _, _ = stack.call(
        FN, channel_event("POST", "/stock-alerts", {"sku": "HAT-X", "email": "ada@example.com"})
    )
    assert status == 204
    status, _, problem = stack.call(
        FN, channel_event("POST", "/stock-alerts", {"sku": "HAT-X", "email": "nope"})
    )
    assert status == 400, problem


@pytest.mark.parametrize("shards", [1, 4])
def test_checkouts_and_channel_reservations_racing_for_one_sku_never_oversell(
    stack: Stack, shards: int
) -> None:
    settings = Settings.from_env()
    client = boto3.client("dynamodb")
    store = DynamoInventory(client, settings.table_name)
    inventory = Inventory(store, InMemoryEvents(), lambda: NOW)
    channels = Channels(store, inventory, lambda: NOW)
    market = channels.save(Channel(f"marketplace:r{uuid.uuid4().hex[:6]}", "EUR"))
    sku = f"RACE-{uuid.uuid4().hex[:8].upper()}"
    _receive(stack, sku, "wh-paris", 6)
    _receive(stack, sku, "wh-berlin", 4)
    inventory.make_hot(sku, shards)
    assert len(store.levels(sku)) == 2 * shards
    carts = DynamoCarts(client, settings.table_name)
    orders = DynamoOrders(client, settings.table_name, clock=lambda: NOW)
    sold: list[int] = []
    refused: list[str] = []
    lock = threading.Lock()

    def checkout(n: int) -> None:
        cart = Cart(
            id=str(uuid.uuid4()),
            token_hash="h",
            currency="EUR",
            created_at=NOW,
            updated_at=NOW,
            lines={sku: 2},
        )
        carts.add(cart, int(NOW.timestamp()) + 3600)
        try:
            orders.place(_order({sku: 2}), cart)
            with lock:
                sold.append(2)
        except (OutOfStock, Conflict) as error:
            with lock:
                refused.append(type(error).__name__)

    def reserve(n: int) -> None:
        try:
            channels.reserve(market, f"E-{n}", {sku: 2})
            with lock:
                sold.append(2)
        except (OutOfStock, Conflict) as error:
            with lock:
                refused.append(type(error).__name__)

    threads = [threading.Thread(target=checkout if n % 2 else reserve, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    levels = store.levels(sku)
    reserved = sum(level.reserved for level in levels)
    assert sum(sold) == reserved <= 10
    assert sum(level.on_hand for level in levels) == 10
    assert all(level.reserved <= level.on_hand for level in levels)
    assert all(inventory.explained(sku).values())
    assert len(sold) + len(refused) == 12 and refused


def test_browsing_as_a_store_till_shows_the_stores_stock_only(stack: Stack) -> None:
    def listed(query: dict[str, str]) -> dict[str, Any]:
        event = sample_event("browse-list-products.json")
        event["queryStringParameters"] = {"limit": "100", **query}
        event["rawQueryString"] = "&".join(f"{k}={v}" for k, v in event["queryStringParameters"].items())
        status, _, body = stack.call("BrowseFunction", event)
        assert status == 200, body
        return dict(body)

    web = listed({})
    store = listed({"channel": "pos:store-berlin"})
    assert [p["id"] for p in store["items"]] == [p["id"] for p in web["items"]]
    availability = {v["availability"] for p in store["items"] for v in p["variants"]}
    assert availability == {"out_of_stock"}  # the seed receives stock at the warehouses only
    assert any(v["availability"] == "in_stock" for p in web["items"] for v in p["variants"])


@pytest.mark.parametrize(
    ("settings", "unknown"),
    [
        ({"currency": "EUR", "locations": ["wh-paris", "atlantis"]}, {"unknown_locations": ["atlantis"]}),
        ({"currency": "EUR", "products": ["no-such-product"]}, {"unknown_products": ["no-such-product"]}),
    ],
)
def test_an_admin_cannot_point_the_web_channel_at_locations_or_products_that_do_not_exist(
    stack: Stack, settings: dict[str, Any], unknown: dict[str, list[str]]
) -> None:
    route = "/admin/channels/{channel_id}"
    status, _, before = stack.call(
        "InventoryAdminFunction", admin_event("GET", "/admin/channels", groups="[admin]")
    )
    assert status == 200, before

    status, _, body = stack.call(
        "InventoryAdminFunction", admin_event("PUT", route, settings, groups="[admin]", channel_id="web")
    )

    assert status == 400 and body["type"].endswith("invalid-request"), body
    assert {key: body[key] for key in unknown} == unknown
    status, _, after = stack.call(
        "InventoryAdminFunction", admin_event("GET", "/admin/channels", groups="[admin]")
    )
    assert after == before
