"""Inventory over HTTP on the local stack: a marketplace and the web shop compete for the last units,
the restock job drafts a purchase order that is received into stock, and the ledger explains every unit."""

from __future__ import annotations

import json
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from local.stack import LocalStack
from local.tools import jobs
from tests.polling import poll
from tests.unit.catalog_builders import product, variant

from .conftest import Api, Tokens
from .test_purchase import LOCATION, SHIPPING, Shop

pytestmark = pytest.mark.e2e

MARKETPLACE = "marketplace:demo-market"


@pytest.fixture(scope="module")
def shop(stack: LocalStack, api: Api) -> Shop:
    return Shop(stack, api)


@pytest.fixture(scope="module")
def market_key(stack: LocalStack) -> str:
    """The key `make dev` prints: the seed issued it and wrote it beside the endpoints file."""
    return str(json.loads(stack.channel_keys_file.read_text(encoding="utf-8"))[MARKETPLACE])


def _explained(api: Api, tokens: Tokens, sku: str) -> dict[str, Any]:
    """The staff view of the SKU, checked against the sum of every movement it shows."""
    stock = api.get(f"/admin/inventory/{sku}", headers=tokens.headers("staff"))
    assert stock.status_code == 200, stock.text
    view = stock.json()
    assert view["on_hand"] == sum(m["on_hand_change"] for m in view["recent_movements"])
    return dict(view)


def test_a_marketplace_order_and_web_orders_racing_for_the_last_units_sell_only_what_exists(
    shop: Shop, api: Api, tokens: Tokens, market_key: str
) -> None:
    sku = shop.new_sku(3)
    carts = [shop.cart_with(sku, 1) for _ in range(3)]
    outcomes: list[tuple[str, int]] = []
    lock = threading.Lock()

    def web(cart: tuple[str, str]) -> None:
        response = shop.checkout(*cart)
        with lock:
            outcomes.append(("web", response.status_code))

    def marketplace(external_id: str) -> None:
        response = api.post(
            f"/channels/{MARKETPLACE}/reservations",
            json={"external_order_id": external_id, "lines": {sku: 1}},
            headers={"X-Api-Key": market_key},
        )
        with lock:
            outcomes.append((external_id, response.status_code))

    threads = [threading.Thread(target=web, args=(cart,)) for cart in carts]
    threads += [threading.Thread(target=marketplace, args=(f"MKT-{sku}-{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    won = [who for who, status in outcomes if status == 201]
    assert len(outcomes) == 5 and len(won) <= 3
    assert all(status in (201, 409) for _, status in outcomes), outcomes
    assert shop.level(sku) == (3, len(won))

    for external_id in (w for w in won if w != "web"):
        committed = api.post(
            f"/channels/{MARKETPLACE}/reservations/{external_id}/commit", headers={"X-Api-Key": market_key}
        )
        assert committed.status_code == 200 and committed.json()["status"] == "committed"
    sold_on_marketplace = sum(1 for w in won if w != "web")
    assert shop.level(sku) == (3 - sold_on_marketplace, won.count("web"))
    assert shop.ledger_balances(sku)
    _explained(api, tokens, sku)


def test_the_restock_job_drafts_a_purchase_order_that_is_received_into_stock(
    shop: Shop, api: Api, tokens: Tokens
) -> None:
    staff = tokens.headers("staff")
    sku = shop.new_sku(2)

    def invoke(function: str, payload: dict[str, Any]) -> Any:
        return jobs.invoke_running_stack(function, payload, shop.stack.endpoints_file)

    policy = {
        "reorder_point": 5,
        "reorder_quantity": 30,
        "supplier": "e2e-supplier",
        "lead_time_days": 2,
        "location": LOCATION,
    }
    assert api.put(f"/admin/inventory/{sku}/reorder-policy", json=policy, headers=staff).status_code == 200

    drafted = jobs.run("restock", invoke)["drafted"]
    assert jobs.run("restock", invoke)["drafted"] == []
    orders = [api.get(f"/admin/inventory/purchase-orders/{po}", headers=staff).json() for po in drafted]
    (po,) = [o for o in orders if o["supplier"] == "e2e-supplier"]
    assert po["lines"] == [{"sku": sku, "quantity": 30, "received": 0}]

    assert (
        api.post(f"/admin/inventory/purchase-orders/{po['id']}/send", headers=staff).json()["status"]
        == "sent"
    )
    for units, status in ((10, "partially_received"), (20, "received")):
        received = api.post(
            f"/admin/inventory/purchase-orders/{po['id']}/receipts",
            json={"lines": {sku: units}},
            headers=staff,
        )
        assert received.status_code == 200 and received.json()["status"] == status, received.text
    view = poll(lambda: (v := _explained(api, tokens, sku))["on_hand"] == 32 and v)
    assert [m["reason"] for m in view["recent_movements"]] == ["receipt", "receipt", "receipt"]


# checkout per sales channel
def _stock_at(shop: Shop, sku: str, location: str) -> tuple[int, int]:
    found = shop.dynamodb.get_item(
        TableName=shop.table,
        Key={"PK": {"S": f"SKU#{sku}"}, "SK": {"S": f"STOCK#{location}"}},
        ConsistentRead=True,
    )
    item = found["Item"]
    return int(item["on_hand"]["N"]), int(item.get("reserved", {"N": "0"})["N"])


def test_a_store_channels_checkout_takes_stock_only_from_its_store(shop: Shop, api: Api) -> None:
    from commerce import bootstrap  # noqa: PLC0415 - Powertools reads the stack's environment

    store = "store-berlin"  # the seeded `pos:store-berlin` channel sells from it alone
    sku = shop.new_sku(5)  # at the Paris warehouse
    bootstrap.catalog_admin().receive_stock(sku, store, 1, note="e2e")
    till_key = bootstrap.stockroom().channels.issue_key("pos:store-berlin")

    def checkout(channel: str, key: str | None = till_key) -> Any:
        cart_id, token = shop.cart_with(sku, 1)
        body = {"cart_id": cart_id, "email": "till@example.com", "shipping_address": SHIPPING}
        headers = {"X-Cart-Token": token, "Idempotency-Key": f"{cart_id}-{channel}", "X-Api-Key": key or ""}
        return api.post("/checkout", params={"channel": channel}, json=body, headers=headers)

    for anonymous in ("pos:store-berlin", "marketplace:demo-market"):  # a shopper naming a keyed channel
        refused = checkout(anonymous, key=None)
        assert refused.status_code == 403, refused.text
        assert refused.json()["type"].endswith("channel-key-required")
    assert _stock_at(shop, sku, store) == (1, 0)

    first = checkout("pos:store-berlin")
    assert first.status_code == 201, first.text
    assert first.json()["channel"] == "pos:store-berlin"
    assert _stock_at(shop, sku, store) == (1, 1)
    assert _stock_at(shop, sku, LOCATION) == (5, 0)

    second = checkout("pos:store-berlin")  # the warehouse still has 5: not the store's to sell
    assert second.status_code == 409, second.text
    assert second.json()["unavailable"] == [{"sku": sku, "requested": 1, "available": 0}]
    assert _stock_at(shop, sku, LOCATION) == (5, 0)

    placed = first.json()
    order = api.get(f"/orders/{placed['order_id']}", headers={"X-Order-Token": placed["order_token"]})
    assert order.status_code == 200 and order.json()["channel"] == "pos:store-berlin"


def test_a_shopper_who_asked_is_emailed_once_in_their_language_when_the_sku_is_back(
    shop: Shop, api: Api, tokens: Tokens
) -> None:
    from commerce import bootstrap  # noqa: PLC0415 - reads the environment the stack put in place

    product_id = f"BIS{uuid.uuid4().hex[:8].upper()}"
    sku = f"{product_id}-M"
    bootstrap.catalog_admin().save_product(product(product_id, variants=(variant(sku, eur=2500),)))
    address = f"waiting.{product_id.lower()}@example.com"
    asked = api.post("/stock-alerts", json={"sku": sku, "email": address, "locale": "fr-FR"})
    assert asked.status_code == 204, asked.text
    staff = tokens.headers("staff")

    for _ in range(2):  # a second receipt: still in stock, nobody is told again
        received = api.post(
            f"/admin/inventory/{sku}/receipts", json={"location": LOCATION, "quantity": 3}, headers=staff
        )
        assert received.status_code == 200, received.text

    def emails() -> list[str]:
        texts = (p.read_text(encoding="utf-8") for p in Path(shop.stack.mail_dir).glob("*.eml"))
        return [t for t in texts if f"To: {address}" in t]

    (email,) = poll(emails)
    assert "X-Template: back_in_stock" in email and "Content-Language: fr" in email
    assert "Subject: Chaussure de trail est de nouveau disponible" in email


def test_the_inventory_report_of_the_demo_catalog_answers_in_under_a_second(api: Api, tokens: Tokens) -> None:
    staff = tokens.headers("staff")
    first = api.get("/admin/reports/inventory", headers=staff)  # stores the snapshot if there is none
    assert first.status_code == 200, first.text
    timings: list[float] = []
    for _ in range(3):  # the best of three: the machine runs other work besides this stack
        started = time.perf_counter()
        response = api.get(
            "/admin/reports/inventory", headers=staff, params={"after": first.json()["next_after"]}
        )
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.text
        assert (
            len(response.json()["skus"]) == 25
            and response.json()["generated_at"] == first.json()["generated_at"]
        )
    assert min(timings) < 1.0, timings
