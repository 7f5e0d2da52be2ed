"""A scripted day of browsing, purchases and refunds on a local stack of its own; then the staff reports
must agree with a recomputation from the raw orders, to the minor unit, and replayed events change nothing."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from commerce.adapters.dynamodb.codec import from_item, key, to_item
from commerce.domain.events import SOURCE, DomainEvent, order_event
from commerce.domain.inventory import effects
from local.stack import LocalStack
from local.tools import jobs
from tests.polling import poll

from .conftest import Api, Tokens, aws_client, local_stack
from .test_purchase import DECLINED, LOCATION, PAID_OR_LATER, VISA, Shop

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    with local_stack(tmp_path_factory, seed=True) as running:
        yield running


def put_on_bus(stack: LocalStack, *events: DomainEvent | dict[str, Any]) -> None:
    assert stack.deployment is not None
    entries = []
    for event in events:
        envelope = event.envelope() if isinstance(event, DomainEvent) else event
        entries.append(
            {
                "Source": SOURCE,
                "DetailType": envelope["type"],
                "Detail": json.dumps(envelope),
                "EventBusName": stack.deployment.physical_ids["EventBus"],
            }
        )
    assert aws_client(stack, "events").put_events(Entries=entries)["FailedEntryCount"] == 0


def paid_orders(shop: Shop) -> list[dict[str, Any]]:
    """The raw orders: every paid order in the table (this stack has only the scenario's), in whichever
    status it has reached since (a paid order moves on to fulfillment by itself). The index is read one
    status at a time, so an order moving on between two reads (paid -> fulfilling) is missed by that pass:
    passes are repeated until one finds no order the others had not."""
    found: dict[str, dict[str, Any]] = {}
    for _ in range(50):
        seen = len(found)
        for status in sorted(PAID_OR_LATER):
            rows = shop.dynamodb.query(
                TableName=shop.table,
                IndexName="GSI2",
                KeyConditionExpression="GSI2PK = :pk",
                ExpressionAttributeValues=to_item({":pk": f"ORDERS#{status}"}),
            )["Items"]
            found |= {order["id"]: order for order in (from_item(row) for row in rows)}
        if found and len(found) == seen:
            return list(found.values())
    raise AssertionError(f"the paid orders never settled: {len(found)} seen")


@pytest.fixture(scope="module")
def scenario(stack: LocalStack) -> dict[str, Any]:
    api = Api(stack.api_url)
    shop = Shop(stack, api)
    sku_a, sku_b = shop.new_sku(50), shop.new_sku(50)
    product_a, product_b = sku_a.removesuffix("-M"), sku_b.removesuffix("-M")
    # Browsing: 3 + 2 product views (two from the mobile app), one search.
    for product_id, channel in [
        (product_a, "web"),
        (product_a, "web"),
        (product_a, "mobile"),
        (product_b, "web"),
    ]:
        assert api.get(f"/products/{product_id}", headers={"X-Channel": channel}).status_code == 200
    assert api.get(f"/products/{product_b}", headers={"X-Channel": "mobile"}).status_code == 200
    assert api.get("/products", params={"q": "trail"}).status_code == 200
    # Purchases: three paid, one declined (each is a cart, a cart add and a checkout).
    bought = [shop.buy(sku_a, 2), shop.buy(sku_b, 1), shop.buy(sku_a, 1), shop.buy(sku_b, 3)]
    for placed, card in zip(bought, [VISA, VISA, VISA, DECLINED], strict=True):
        shop.pay(placed["payment"]["payment_intent_id"], card)
    shop.declined(bought[3])
    shop.let_the_reservation_expire(bought[3])  # nobody tries another card
    for placed, status in zip(bought, ["paid", "paid", "paid", "cancelled"], strict=True):
        shop.settles_as(placed, status)
    # A campaign: three carts from the newsletter, two bought; one cart from another campaign, not bought.
    campaign = {"utm_source": "newsletter", "utm_medium": "email", "utm_campaign": "black-friday"}
    campaign_carts = [campaign_cart(api, sku_a, campaign) for _ in range(3)]
    campaign_carts.append(
        campaign_cart(api, sku_b, {"utm_campaign": "spring", "referrer": "https://blog.example/x"})
    )
    for cart_id, token in campaign_carts[:2]:
        response = shop.checkout(cart_id, token)
        assert response.status_code == 201, response.text
        placed = dict(response.json())
        shop.pay(placed["payment"]["payment_intent_id"], VISA)
        shop.settles_as(placed, "paid")
        bought.append(placed)
    # Refunds as the payments work announces them (RefundIssued; that branch publishes it on merge).
    refunds = {bought[0]["order_id"]: 700, bought[1]["order_id"]: 150}
    now = datetime.now(UTC)
    put_on_bus(
        stack,
        *(
            order_event("RefundIssued", order_id, now, {"amount": amount, "currency": "EUR"})
            for order_id, amount in refunds.items()
        ),
    )
    staff = {"Authorization": f"Bearer {Tokens(stack.issuer_url).mint('staff')}"}
    return {
        "api": api,
        "shop": shop,
        "staff": staff,
        "today": now.date().isoformat(),
        "products": {sku_a: product_a, sku_b: product_b},
        "refunds": refunds,
        "bought": bought,
        "paid": 5,
        "cart_adds": len(bought) + 2,  # every checked-out cart had one line; two campaign carts were left
        "campaign_carts": {"black-friday": 3, "spring": 1},
        "spring_cart": campaign_carts[3][0],
    }


def campaign_cart(api: Api, sku: str, attribution: dict[str, str]) -> tuple[str, str]:
    cart = api.post("/carts", json={"currency": "EUR", **attribution})
    assert cart.status_code == 201, cart.text
    cart_id, token = cart.json()["id"], cart.json()["token"]
    line = api.put(f"/carts/{cart_id}/lines/{sku}", json={"quantity": 1}, headers={"X-Cart-Token": token})
    assert line.status_code == 200, line.text
    return cart_id, token


def sales(scenario: dict[str, Any]) -> dict[str, Any]:
    today = scenario["today"]
    response = scenario["api"].get(
        "/admin/reports/sales",
        params={"from": today, "to": today, "currency": "EUR"},
        headers=scenario["staff"],
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def expected_sales(scenario: dict[str, Any]) -> dict[str, Any]:
    """The sales report recomputed from the raw paid orders and the refunds issued."""
    orders = paid_orders(scenario["shop"])
    revenue = sum(int(o["totals"]["total"]) for o in orders)
    units = sum(int(line["quantity"]) for o in orders for line in o["lines"])
    per_product: Counter[str] = Counter()
    units_per_product: Counter[str] = Counter()
    for order in orders:
        for line in order["lines"]:
            per_product[scenario["products"][line["sku"]]] += int(line["line_total"])
            units_per_product[scenario["products"][line["sku"]]] += int(line["quantity"])
    return {
        "orders": len(orders),
        "revenue": revenue,
        "average_order_value": round(Fraction(revenue, len(orders))),  # half even, as the report
        "units": units,
        "discounts": sum(int(o["totals"]["discount"]) for o in orders),
        "refunds": sum(scenario["refunds"].values()),
        "refunded_orders": len(scenario["refunds"]),
        "top_products": sorted(
            ((p, units_per_product[p], revenue) for p, revenue in per_product.items()), key=lambda t: -t[2]
        ),
    }


def figures(report_part: dict[str, Any]) -> dict[str, int]:
    return {
        "orders": report_part["orders"],
        "revenue": report_part["revenue"]["amount"],
        "average_order_value": report_part["average_order_value"]["amount"],
        "units": report_part["units"],
        "discounts": report_part["discounts"]["amount"],
        "refunds": report_part["refunds"]["amount"],
        "refunded_orders": report_part["refunded_orders"],
    }


def settled_sales(scenario: dict[str, Any]) -> dict[str, Any]:
    """The report once the consumer has counted every event the scenario made (bounded poll)."""
    refunded = len(scenario["refunds"])
    return dict(
        poll(
            lambda: (
                (r := sales(scenario))["total"]["orders"] == scenario["paid"]
                and r["total"]["refunded_orders"] == refunded
                and r
            )
        )
    )


def test_every_sales_figure_equals_a_recomputation_from_the_raw_orders(scenario: dict[str, Any]) -> None:
    report = settled_sales(scenario)
    expected = expected_sales(scenario)

    top = [(p["product_id"], p["units_sold"], p["revenue"]["amount"]) for p in report["top_products"]]
    assert top == expected.pop("top_products")
    assert figures(report["total"]) == expected
    assert [day["day"] for day in report["days"]] == [scenario["today"]]
    assert figures(report["days"][0]) == expected
    assert report["currency"] == "EUR"
    assert report["rates"] == []


def test_the_funnel_counts_the_scenarios_views_cart_adds_checkouts_and_paid_orders(
    scenario: dict[str, Any],
) -> None:
    settled_sales(scenario)
    today = scenario["today"]

    response = scenario["api"].get(
        "/admin/reports/funnel", params={"from": today, "to": today}, headers=scenario["staff"]
    )
    mobile = scenario["api"].get(
        "/admin/reports/funnel",
        params={"from": today, "to": today, "channel": "mobile"},
        headers=scenario["staff"],
    )

    assert response.status_code == 200, response.text
    total = response.json()["total"]
    paid = len(paid_orders(scenario["shop"]))
    checkouts = len(scenario["bought"])
    assert total == {
        "views": 5,
        "cart_adds": scenario["cart_adds"],
        "checkouts": checkouts,
        "paid": paid,
        "searches": 1,
    }
    assert response.json()["conversion"]["checkout_to_paid"] == f"{paid / checkouts:.4f}"
    assert mobile.json()["total"]["views"] == 2


def test_replayed_events_change_no_report_figure(scenario: dict[str, Any]) -> None:
    before = settled_sales(scenario)
    shop: Shop = scenario["shop"]
    first = shop.stored_order(scenario["bought"][0]["order_id"])
    replayed_paid = order_event(
        "OrderPaid",
        first["id"],
        datetime.now(UTC),
        {
            "currency": "EUR",
            "total": int(first["totals"]["total"]),
            "lines": [
                {"sku": line["sku"], "quantity": int(line["quantity"]), "line_total": int(line["line_total"])}
                for line in first["lines"]
            ],
        },
    )
    replayed_refund = order_event(
        "RefundIssued", first["id"], datetime.now(UTC), {"amount": 700, "currency": "EUR"}
    )
    marker = DomainEvent("SearchMade", datetime.now(UTC), {"channel": "pos", "query": "after the replays"})

    put_on_bus(shop.stack, replayed_paid, replayed_refund, marker)
    today = scenario["today"]
    poll(
        lambda: (
            scenario["api"]
            .get(
                "/admin/reports/funnel",
                params={"from": today, "to": today, "channel": "pos"},
                headers=scenario["staff"],
            )
            .json()["total"]["searches"]
            == 1
        )
    )

    assert sales(scenario) == before


def test_the_raw_events_are_in_the_local_raw_events_bucket_under_todays_date(
    scenario: dict[str, Any],
) -> None:
    settled_sales(scenario)
    shop: Shop = scenario["shop"]
    assert shop.stack.deployment is not None
    s3 = aws_client(shop.stack, "s3")
    bucket = shop.stack.deployment.physical_ids["RawEventsBucket"]
    prefix = "events/" + datetime.now(UTC).strftime("%Y/%m/%d") + "/"

    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])]
    types = Counter(
        json.loads(line)["type"]
        for key in keys
        for line in s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode().splitlines()
    )

    assert types["ProductViewed"] == 5
    assert types["OrderPaid"] >= 3


def test_the_campaign_report_equals_a_recomputation_from_the_raw_orders_attribution(
    scenario: dict[str, Any],
) -> None:
    settled_sales(scenario)
    today = scenario["today"]
    revenue: Counter[str] = Counter()
    count: Counter[str] = Counter()
    for order in paid_orders(scenario["shop"]):
        name = order.get("attribution", {}).get("utm_campaign")
        if name:
            revenue[name] += int(order["totals"]["total"])
            count[name] += 1

    response = scenario["api"].get(
        "/admin/reports/campaigns", params={"from": today, "to": today}, headers=scenario["staff"]
    )

    assert response.status_code == 200, response.text
    found = {
        c["campaign"]: (c["carts"], c["orders"], c["revenue"]["amount"]) for c in response.json()["campaigns"]
    }
    carts = scenario["campaign_carts"]
    assert found == {name: (carts[name], count[name], revenue[name]) for name in carts}
    assert count["black-friday"] == 2
    shop: Shop = scenario["shop"]
    spring = shop.dynamodb.get_item(TableName=shop.table, Key=key(f"CART#{scenario['spring_cart']}", "CART"))
    assert from_item(spring["Item"])["attribution"] == {"utm_campaign": "spring", "referrer": "blog.example"}


def test_a_products_recommendations_fall_back_to_its_categorys_bestsellers_from_the_paid_orders(
    scenario: dict[str, Any],
) -> None:
    settled_sales(scenario)
    product_of = scenario["products"]
    product_a = next(iter(product_of.values()))
    sold: Counter[str] = Counter()
    for order in paid_orders(scenario["shop"]):
        for line in order["lines"]:
            sold[product_of[line["sku"]]] += int(line["quantity"])

    response = scenario["api"].get(f"/products/{product_a}/recommendations")

    assert response.status_code == 200, response.text
    items = [(i["product_id"], i["reason"], i["score"]) for i in response.json()["items"]]
    expected = [(p, "category_bestseller", units) for p, units in sold.most_common() if p != product_a]
    assert items == expected
    assert scenario["api"].get("/products/NOPE/recommendations").status_code == 404


def test_a_signed_in_customer_sees_the_products_they_viewed_latest_first(scenario: dict[str, Any]) -> None:
    first, second = scenario["products"].values()
    token = Tokens(scenario["shop"].stack.issuer_url).mint("customer", "viewer@example.com")
    me = {"Authorization": f"Bearer {token}"}

    assert scenario["api"].put(f"/me/recently-viewed/{first}", headers=me).status_code == 200
    assert scenario["api"].put(f"/me/recently-viewed/{second}", headers=me).status_code == 200
    listed = scenario["api"].get("/me/recently-viewed", headers=me)

    assert [i["product_id"] for i in listed.json()["items"]] == [second, first]
    assert scenario["api"].get("/me/recently-viewed").status_code == 401


def test_staff_see_a_customer_whole_with_their_notes(scenario: dict[str, Any]) -> None:
    api: Api = scenario["api"]
    tokens = Tokens(scenario["shop"].stack.issuer_url)
    me = {"Authorization": f"Bearer {tokens.mint('customer', 'whole@example.com')}"}
    profile = api.get("/me", headers=me)
    assert profile.status_code == 200, profile.text
    customer_id = profile.json()["customer_id"]

    added = api.post(
        f"/admin/customers/{customer_id}/notes", json={"text": "prefers email"}, headers=scenario["staff"]
    )
    whole = api.get(f"/admin/customers/{customer_id}", headers=scenario["staff"])

    assert added.status_code == 200, added.text
    assert whole.status_code == 200, whole.text
    body = whole.json()
    assert body["email"] == "whole@example.com"
    assert [n["text"] for n in body["notes"]] == ["prefers email"]
    assert (body["orders"], body["disputes"], body["returns"], body["lifetime_value"]) == ([], [], [], [])
    assert api.get("/admin/customers/nobody", headers=scenario["staff"]).status_code == 404
    assert api.get(f"/admin/customers/{customer_id}", headers=me).status_code == 403


# the inventory report (docs/analytics.md "The inventory report")
def ledger(shop: Shop, sku: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The SKU's stock items and movements, read straight from the table."""
    rows = []
    request: dict[str, Any] = {
        "TableName": shop.table,
        "KeyConditionExpression": "PK = :pk",
        "ExpressionAttributeValues": to_item({":pk": f"SKU#{sku}"}),
        "ConsistentRead": True,
    }
    while True:
        page = shop.dynamodb.query(**request)
        rows += [from_item(row) for row in page["Items"]]
        if "LastEvaluatedKey" not in page:
            break
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    levels = [r for r in rows if str(r["SK"]).startswith("STOCK#")]
    moves = [r for r in rows if str(r["SK"]).startswith("MOVE#")]
    return levels, moves


def whole_inventory_report(api: Any, staff: dict[str, str]) -> dict[str, Any]:
    """The inventory report with the SKU figures of every page (the totals are on each)."""
    report: dict[str, Any] = {}
    skus: list[dict[str, Any]] = []
    after: str | None = None
    for _ in range(50):
        params = {"limit": "200", **({"after": after} if after else {})}
        response = api.get("/admin/reports/inventory", headers=staff, params=params)
        assert response.status_code == 200, response.text
        report = dict(response.json())
        skus += report["skus"]
        after = report["next_after"]
        if after is None:
            break
    return {**report, "skus": skus}


def test_the_inventory_report_agrees_with_the_stock_items_and_movements_to_the_unit_and_minor_unit(
    scenario: dict[str, Any],
) -> None:
    api, shop, staff = scenario["api"], scenario["shop"], scenario["staff"]
    costs = dict(zip(scenario["products"], (1_234, 999), strict=True))
    for sku, cost in costs.items():
        policy = {
            "reorder_point": 3,
            "reorder_quantity": 24,
            "supplier": "acme",
            "lead_time_days": 5,
            "location": LOCATION,
            "unit_cost": {"amount": cost, "currency": "EUR"},
        }
        response = api.put(f"/admin/inventory/{sku}/reorder-policy", json=policy, headers=staff)
        assert response.status_code == 200, response.text
    since = datetime.now(UTC) - timedelta(days=28)

    def agreed() -> dict[str, Any] | None:
        """The report, once every sold unit is in the ledger and the report says what the table says."""
        # the figures as of now: the report's snapshot of the last minute forgotten
        shop.dynamodb.delete_item(
            TableName=shop.table, Key={"PK": {"S": "REPORT#inventory"}, "SK": {"S": "REPORT"}}
        )
        report = whole_inventory_report(api, staff)
        figures = {s["sku"]: s for s in report["skus"]}
        for sku in costs:
            levels, moves = ledger(shop, sku)
            sold = sum(
                m["quantity"]
                for m in moves
                if m["reason"] == "sale" and datetime.fromisoformat(m["at"]) >= since
            )
            on_hand = sum(level.get("on_hand", 0) for level in levels)
            if sold == 0 or figures[sku]["on_hand"] != on_hand:
                return None
        return report

    report = poll(agreed)
    figures = {s["sku"]: s for s in report["skus"]}
    units_here, value_here = 0, 0
    for sku in figures:
        levels, moves = ledger(shop, sku)
        here = [level for level in levels if level["location"] == LOCATION]
        units_here += sum(level.get("on_hand", 0) for level in here)
        value_here += sum(level.get("on_hand", 0) for level in here) * costs.get(sku, 0)
        if sku not in costs:
            continue
        # The ledger explains the stock items, and the report says both.
        on_hand = sum(level.get("on_hand", 0) for level in levels)
        assert on_hand == sum(effects(m["reason"], m["quantity"])[0] for m in moves)
        available = sum(max(0, level.get("on_hand", 0) - level.get("reserved", 0)) for level in levels)
        sold = sum(
            m["quantity"] for m in moves if m["reason"] == "sale" and datetime.fromisoformat(m["at"]) >= since
        )
        assert (figures[sku]["on_hand"], figures[sku]["available"]) == (on_hand, available)
        assert figures[sku]["units_sold_per_day"] == round(sold / 28, 3)
        assert figures[sku]["days_of_cover"] == round(available / (sold / 28), 1)
    (location,) = [loc for loc in report["locations"] if loc["location"] == LOCATION]
    assert location["units_on_hand"] == units_here
    assert location["value_at_cost"] == [{"amount": value_here, "currency": "EUR"}]
    assert not set(costs) & set(report["without_cost"])


def test_the_daily_report_job_writes_the_report_and_mails_the_merchant_a_link(stack: LocalStack) -> None:
    """The local stack sets MerchantNotificationEmail: the merchant's summary is an email in .local/mail/."""

    def invoke(function: str, payload: dict[str, Any]) -> Any:
        return jobs.invoke_running_stack(function, payload, stack.endpoints_file)

    jobs.run("daily-report", invoke)

    def merchant_mail() -> list[str]:
        texts = (p.read_text(encoding="utf-8") for p in Path(stack.mail_dir).glob("*.eml"))
        return [t for t in texts if "To: merchant@example.com" in t and "X-Template: merchant_notice" in t]

    (mail,) = poll(merchant_mail)
    yesterday = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
    assert f"Subject: Daily report {yesterday}" in mail
    assert "report.html" in mail


def test_a_view_in_the_apps_sales_channel_counts_in_that_channels_funnel(scenario: dict[str, Any]) -> None:
    """Runs last: it adds a view the funnel test above does not expect."""
    api, today = scenario["api"], scenario["today"]
    product_id = next(iter(scenario["products"].values()))
    assert api.get(f"/products/{product_id}", params={"channel": "app"}).status_code == 200

    def app_views() -> int:
        response = api.get(
            "/admin/reports/funnel",
            params={"from": today, "to": today, "channel": "app"},
            headers=scenario["staff"],
        )
        assert response.status_code == 200, response.text
        return int(response.json()["total"]["views"])

    assert poll(lambda: app_views() == 1)
