from __future__ import annotations

from local import demo_catalog

from .conftest import Stack, sample_event


def test_listing_a_category_returns_its_products_in_french(stack: Stack) -> None:
    status, headers, body = stack.call("BrowseFunction", sample_event("browse-list-products.json"))
    assert status == 200, body
    assert headers["Content-Type"] == "application/json"
    assert len(body["items"]) == 5
    assert {p["category"] for p in body["items"]} == {"shoes"}
    french = {p.id: p.texts["fr"].name for p in demo_catalog.products()}
    assert all(p["name"] == french[p["id"]] for p in body["items"])
    assert all(v["price"]["currency"] == "EUR" for p in body["items"] for v in p["variants"])
    assert body["next_cursor"]


def test_searching_in_french_finds_shoes(stack: Stack) -> None:
    status, _, body = stack.call("BrowseFunction", sample_event("browse-search-products.json"))
    assert status == 200, body
    assert body["items"]
    assert all("chaussure" in (p["name"] + " " + p["description"]).lower() for p in body["items"])


def test_a_product_is_priced_in_the_requested_currency(stack: Stack) -> None:
    status, _, body = stack.call("BrowseFunction", sample_event("browse-get-product.json"))
    assert status == 200, body
    assert body["id"] == "prd-0001"
    assert body["variants"] and all(v["price"]["currency"] == "JPY" for v in body["variants"])
    assert all(isinstance(v["price"]["amount"], int) for v in body["variants"])


def test_an_unknown_product_is_a_404_problem(stack: Stack) -> None:
    event = sample_event("browse-get-product.json", **{"prd-0001": "prd-9999"})
    status, headers, body = stack.call("BrowseFunction", event)
    assert status == 404
    assert headers["Content-Type"] == "application/problem+json"
    assert body["status"] == 404 and body["title"] and body["detail"]


def test_categories_are_named_in_german(stack: Stack) -> None:
    status, _, body = stack.call("BrowseFunction", sample_event("browse-list-categories.json"))
    assert status == 200, body
    german = {c.slug: c.names["de"] for c in demo_catalog.categories()}
    # Other tests on this stack may add categories of their own; every demo category is named in German.
    assert {c["slug"]: c["name"] for c in body["items"] if c["slug"] in german} == german


def test_an_unsupported_currency_is_a_400_problem(stack: Stack) -> None:
    event = sample_event("browse-list-products.json")
    event["queryStringParameters"]["currency"] = "GBP"
    status, headers, body = stack.call("BrowseFunction", event)
    assert status == 400 and headers["Content-Type"] == "application/problem+json"
    assert "GBP" in body["detail"]
