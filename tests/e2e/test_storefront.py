"""A shopper browses the demo catalog and fills a cart over HTTP."""

from __future__ import annotations

import pytest

from local import demo_catalog

from .conftest import Api

PROBLEM = "application/problem+json"


def _all_pages(api: Api, **params: str) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    cursor = None
    for _ in range(50):  # bounded: 76 products at 7 a page need 11 pages
        query = dict(params, **({"cursor": cursor} if cursor else {}))
        response = api.get("/products", params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("pagination did not end")


def test_paging_through_the_catalog_shows_every_product_on_sale_once(api: Api) -> None:
    items = _all_pages(api, limit="7")
    ids = [str(p["id"]) for p in items]
    demo = {p.id: p for p in demo_catalog.products()}
    on_sale = {pid for pid, p in demo.items() if p.status.value == "active"}
    assert len(ids) == len(set(ids)), "a product appeared twice"
    assert on_sale <= set(ids), "a product on sale was skipped"
    assert not (set(demo) - on_sale) & set(ids), "a draft or archived product was shown"


def test_browsing_a_category_shows_only_its_products(api: Api) -> None:
    items = _all_pages(api, category="shoes", limit="4")
    expected = {p.id for p in demo_catalog.products() if p.category == "shoes" and p.status.value == "active"}
    assert expected <= {str(p["id"]) for p in items}  # other tests may add products of their own
    assert all(p["category"] == "shoes" for p in items)


def test_searching_in_french_finds_french_words(api: Api) -> None:
    response = api.get("/products", params={"q": "écharpe"}, headers={"Accept-Language": "fr-CA,fr;q=0.9"})
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert items
    assert all("écharpe" in (str(p["name"]) + " " + str(p["description"])).lower() for p in items)
    english = api.get("/products", params={"q": "écharpe", "locale": "en"}).json()["items"]
    assert english == []


def test_prices_and_availability_follow_the_request(api: Api) -> None:
    product = api.get("/products/prd-0001", params={"currency": "JPY", "locale": "de"}).json()
    assert product["name"] == "T-Shirt aus Bio-Baumwolle"
    assert all(
        v["price"]["currency"] == "JPY" and isinstance(v["price"]["amount"], int) for v in product["variants"]
    )
    levels = {v["availability"] for p in _all_pages(api, limit="100") for v in p["variants"]}
    assert levels == {"in_stock", "low_stock", "out_of_stock"}


def test_a_variant_not_priced_in_a_currency_is_not_offered_in_it(api: Api) -> None:
    sku = sorted(demo_catalog.NOT_SOLD_IN_JPY)[0]
    product = next(p for p in demo_catalog.products() if p.variant(sku))
    in_jpy = api.get(f"/products/{product.id}", params={"currency": "JPY"}).json()
    in_eur = api.get(f"/products/{product.id}", params={"currency": "EUR"}).json()
    assert sku not in {v["sku"] for v in in_jpy["variants"]}
    assert sku in {v["sku"] for v in in_eur["variants"]}


def test_categories_are_listed_in_the_requested_language(api: Api) -> None:
    body = api.get("/categories", params={"locale": "fr"}).json()
    assert {c["slug"]: c["name"] for c in body["items"]} == {
        c.slug: c.names["fr"] for c in demo_catalog.categories()
    }


def test_a_shopper_fills_a_cart_priced_by_the_server(api: Api) -> None:
    created = api.post("/carts", json={"currency": "USD"})
    assert created.status_code == 201, created.text
    cart = created.json()
    headers = {"X-Cart-Token": cart["token"]}
    product = api.get("/products/prd-0001", params={"currency": "USD"}).json()
    first, second = product["variants"][0], product["variants"][1]
    api.put(f"/carts/{cart['id']}/lines/{first['sku']}", json={"quantity": 2}, headers=headers)
    response = api.put(f"/carts/{cart['id']}/lines/{second['sku']}", json={"quantity": 1}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    expected = 2 * first["price"]["amount"] + second["price"]["amount"]
    assert body["totals"]["subtotal"] == {"amount": expected, "currency": "USD"}
    removed = api.delete(f"/carts/{cart['id']}/lines/{first['sku']}", headers=headers).json()
    assert [line["sku"] for line in removed["lines"]] == [second["sku"]]
    assert api.get(f"/carts/{cart['id']}", headers=headers).json() == removed


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/products", {"currency": "GBP"}, 400),
        ("/products", {"currency": "eur"}, 400),
        ("/products", {"cursor": "not-a-cursor"}, 400),
        ("/products", {"limit": "0"}, 400),
        ("/products", {"limit": "101"}, 400),
        ("/products", {"limit": "ten"}, 400),
        ("/products/prd-9999", {}, 404),
        ("/products/prd-0073", {}, 404),  # a draft
    ],
)
def test_bad_browse_requests_get_a_problem(api: Api, path: str, params: dict[str, str], status: int) -> None:
    response = api.get(path, params=params)
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == status and problem["title"] and problem["detail"]


def test_a_cursor_cannot_be_altered_or_reused_for_another_query(api: Api) -> None:
    cursor = api.get("/products", params={"limit": "3"}).json()["next_cursor"]
    tampered = cursor[:-3] + ("AAA" if not cursor.endswith("AAA") else "BBB")
    for params in ({"limit": "3", "cursor": tampered}, {"limit": "3", "category": "shoes", "cursor": cursor}):
        response = api.get("/products", params=params)
        assert response.status_code == 400 and response.headers["Content-Type"] == PROBLEM


@pytest.fixture
def cart(api: Api) -> tuple[str, dict[str, str]]:
    body = api.post("/carts", json={"currency": "JPY"}).json()
    return body["id"], {"X-Cart-Token": body["token"]}


def test_bad_cart_requests_get_a_problem_and_change_nothing(
    api: Api, cart: tuple[str, dict[str, str]]
) -> None:
    cart_id, headers = cart
    not_in_jpy = sorted(demo_catalog.NOT_SOLD_IN_JPY)[0]
    archived = next(p for p in demo_catalog.products() if p.status.value == "archived").variants[0].sku
    cases = [
        ("POST", "/carts", {"json": {"currency": "GBP"}}, 400),
        ("POST", "/carts", {"json": {"currency": 978}}, 400),
        ("POST", "/carts", {"data": "{oops", "headers": {"content-type": "application/json"}}, 400),
        ("PUT", f"/carts/{cart_id}/lines/NO-SUCH-SKU", {"json": {"quantity": 1}, "headers": headers}, 422),
        ("PUT", f"/carts/{cart_id}/lines/{archived}", {"json": {"quantity": 1}, "headers": headers}, 422),
        ("PUT", f"/carts/{cart_id}/lines/{not_in_jpy}", {"json": {"quantity": 1}, "headers": headers}, 422),
        (
            "PUT",
            f"/carts/{cart_id}/lines/TEE-ORG-BLK-M",
            {"json": {"quantity": 100}, "headers": headers},
            400,
        ),
        ("PUT", f"/carts/{cart_id}/lines/TEE-ORG-BLK-M", {"json": {"quantity": -1}, "headers": headers}, 400),
        (
            "PUT",
            f"/carts/{cart_id}/lines/TEE-ORG-BLK-M",
            {"json": {"quantity": 1.5}, "headers": headers},
            400,
        ),
        (
            "PUT",
            f"/carts/{cart_id}/lines/TEE-ORG-BLK-M",
            {"json": {"quantity": "2"}, "headers": headers},
            400,
        ),
        (
            "PUT",
            f"/carts/{cart_id}/lines/TEE-ORG-BLK-M",
            {"json": {"quantity": 1, "price": 1}, "headers": headers},
            400,
        ),
        ("GET", f"/carts/{cart_id}", {}, 404),
        ("GET", f"/carts/{cart_id}", {"headers": {"X-Cart-Token": "wrong"}}, 404),
        ("GET", "/carts/no-such-cart", {"headers": headers}, 404),
    ]
    for method, path, kwargs, status in cases:
        response = api.request(method, path, **kwargs)
        assert response.status_code == status, (method, path, kwargs, response.text)
        assert response.headers["Content-Type"] == PROBLEM, (method, path)
    assert api.get(f"/carts/{cart_id}", headers=headers).json()["lines"] == []


def test_a_cart_holds_at_most_forty_lines(api: Api, cart: tuple[str, dict[str, str]]) -> None:
    # 40: checking a cart out is one DynamoDB transaction of at most 100 items (see docs/data-model.md).
    cart_id, headers = cart
    skus = [
        v.sku
        for p in demo_catalog.products()
        if p.status.value == "active"
        for v in p.variants
        if "JPY" in v.prices
    ]
    for sku in skus[:40]:
        assert (
            api.put(f"/carts/{cart_id}/lines/{sku}", json={"quantity": 1}, headers=headers).status_code == 200
        )
    response = api.put(f"/carts/{cart_id}/lines/{skus[40]}", json={"quantity": 1}, headers=headers)
    assert response.status_code == 400 and response.headers["Content-Type"] == PROBLEM
    assert len(api.get(f"/carts/{cart_id}", headers=headers).json()["lines"]) == 40
