"""Staff change the catalog through the admin function; the browse function sees it at once."""

from __future__ import annotations

import itertools
import json
from typing import Any
from urllib.parse import urlencode

from local import demo_catalog

from .conftest import Stack, routed, sample_event

STAFF = "staff-1"
_numbers = itertools.count(1)
TRANSLATION = "/admin/products/{product_id}/translations/{locale}"


def admin_event(
    method: str, route: str, body: Any = None, groups: str | None = "[staff]", **params: str
) -> dict[str, Any]:
    """An HTTP API event for an admin route, signed in as the sample's staff member (or with other groups)."""
    event = routed(sample_event("admin-put-translation.json"), method, route, route.format(**params), body)
    event["pathParameters"] = params
    claims = event["requestContext"]["authorizer"]["jwt"]["claims"]
    if groups is None:
        del claims["cognito:groups"]
    else:
        claims["cognito:groups"] = groups
    return event


def admin_get(
    stack: Stack, function: str, route: str, query: dict[str, str], groups: str = "[staff]", **params: str
) -> tuple[int, Any]:
    """A staff GET with query parameters; (status, decoded body)."""
    event = admin_event("GET", route, groups=groups, **params)
    event["queryStringParameters"] = query
    event["rawQueryString"] = urlencode(query)
    status, _, body = stack.call(function, event)
    return status, body


def create_product(stack: Stack, activate: bool = True) -> tuple[str, str]:
    """A new product from the sample event, with a slug and SKU of its own; (id, sku)."""
    n = next(_numbers)
    sku = f"HAT-EDW-{n:03d}"
    event = sample_event("admin-create-product.json", **{"edelweiss-balaclava": f"edelweiss-balaclava-{n}"})
    event["body"] = event["body"].replace("HAT-EDW-GRY", sku)
    status, headers, body = stack.call("AdminCatalogFunction", event)
    assert status == 201, body
    assert headers["Location"] == f"/admin/products/{body['id']}"
    assert body["id"].startswith("prd-") and body["status"] == "draft"
    if activate:
        event = admin_event(
            "PATCH", "/admin/products/{product_id}", {"status": "active"}, product_id=body["id"]
        )
        status, _, patched = stack.call("AdminCatalogFunction", event)
        assert status == 200, patched
        assert patched["status"] == "active"
    return body["id"], sku


def found(stack: Stack, q: str, locale: str) -> set[str]:
    """Ids the storefront search returns for the words in the locale."""
    query = {"q": q, "locale": locale, "currency": "EUR", "limit": "100"}
    event = sample_event("browse-search-products.json")
    event["queryStringParameters"] = query
    event["rawQueryString"] = urlencode(query)
    status, _, body = stack.call("BrowseFunction", event)
    assert status == 200, body
    assert body["next_cursor"] is None
    return {p["id"] for p in body["items"]}


def browse_product(stack: Stack, product_id: str) -> tuple[int, Any]:
    event = sample_event("browse-get-product.json", **{"prd-0001": product_id})
    event["queryStringParameters"] = {"currency": "EUR", "locale": "fr"}
    event["rawQueryString"] = "currency=EUR&locale=fr"
    status, _, body = stack.call("BrowseFunction", event)
    return status, body


def test_staff_create_a_product_in_english_and_french_and_once_active_browse_finds_it_in_both(
    stack: Stack,
) -> None:
    product_id, sku = create_product(stack, activate=False)
    assert product_id not in found(stack, "edelweiss", "en"), "a draft is not on sale"

    event = admin_event("PATCH", "/admin/products/{product_id}", {"status": "active"}, product_id=product_id)
    status, _, body = stack.call("AdminCatalogFunction", event)
    assert status == 200, body

    assert product_id in found(stack, "edelweiss balaclava", "en")
    assert product_id in found(stack, "cagoule", "fr")
    status, page = browse_product(stack, product_id)
    assert status == 200, page
    assert page["name"] == "Cagoule edelweiss"
    assert page["variants"] == [
        {
            "sku": sku,
            "attributes": {"colour": "grey"},
            "price": {"amount": 3490, "currency": "EUR"},
            "availability": "out_of_stock",
        }
    ]


def test_staff_read_every_translation_and_price_of_a_draft(stack: Stack) -> None:
    product_id, sku = create_product(stack, activate=False)
    event = admin_event(
        "PUT",
        "/admin/products/{product_id}/variants/{sku}/prices/{currency}",
        {"amount": 3900, "currency": "USD"},
        product_id=product_id,
        sku=sku,
        currency="USD",
    )
    status, headers, body = stack.call("AdminCatalogFunction", event)
    assert status == 201, body
    assert headers["Location"] == f"/admin/products/{product_id}/variants/{sku}/prices/USD"

    status, _, body = stack.call(
        "AdminCatalogFunction", admin_event("GET", "/admin/products/{product_id}", product_id=product_id)
    )
    assert status == 200, body
    assert body["status"] == "draft"
    assert set(body["translations"]) == {"en", "fr"}
    assert body["translations"]["fr"]["name"] == "Cagoule edelweiss"
    (variant,) = body["variants"]
    assert variant["prices"] == [{"amount": 3490, "currency": "EUR"}, {"amount": 3900, "currency": "USD"}]


def test_renaming_a_product_takes_it_off_the_old_words_and_onto_the_new_ones(stack: Stack) -> None:
    product_id, _ = create_product(stack)
    assert product_id in found(stack, "edelweiss", "fr")

    event = sample_event("admin-put-translation.json", PRODUCT_ID=product_id, LOCALE="fr")
    status, headers, body = stack.call("AdminCatalogFunction", event)
    assert status == 200, body
    assert "Location" not in headers, "the translation existed: replaced, not created"
    assert body["translations"]["fr"]["name"] == "Cagoule glacier"
    english = {
        "name": "Aurora balaclava",
        "description": "A knitted balaclava in merino wool for cold ski lifts.",
    }
    event = admin_event("PUT", TRANSLATION, english, product_id=product_id, locale="en")
    status, _, body = stack.call("AdminCatalogFunction", event)
    assert status == 200, body

    assert product_id in found(stack, "glacier", "fr")
    assert product_id in found(stack, "aurora", "en")
    assert product_id not in found(stack, "edelweiss", "fr")
    assert product_id not in found(stack, "edelweiss", "en")


def test_a_new_translation_is_created_under_its_normalised_locale_and_can_be_deleted(stack: Stack) -> None:
    product_id, _ = create_product(stack)
    german = {"name": "Edelweiss-Sturmhaube"}
    event = admin_event("PUT", TRANSLATION, german, product_id=product_id, locale="de_at")
    status, headers, body = stack.call("AdminCatalogFunction", event)
    assert status == 201, body
    assert headers["Location"] == f"/admin/products/{product_id}/translations/de-AT"
    assert body["translations"]["de-AT"] == {"name": "Edelweiss-Sturmhaube", "description": ""}
    assert product_id in found(stack, "sturmhaube", "de")

    event = admin_event("DELETE", TRANSLATION, product_id=product_id, locale="de-AT")
    status, _, body = stack.call("AdminCatalogFunction", event)
    assert status == 204 and body is None
    assert product_id not in found(stack, "sturmhaube", "de")


def test_a_customer_without_a_staff_group_gets_403_and_changes_nothing(stack: Stack) -> None:
    event = sample_event(
        "admin-create-product.json", **{"edelweiss-balaclava": "edelweiss-balaclava-by-customer"}
    )
    event["body"] = json.dumps({**json.loads(event["body"]), "id": "prd-by-customer", "variants": []})
    del event["requestContext"]["authorizer"]["jwt"]["claims"]["cognito:groups"]
    status, headers, body = stack.call("AdminCatalogFunction", event)
    assert status == 403, body
    assert headers["Content-Type"] == "application/problem+json"

    for groups in (None, "[customers]", "[]"):
        event = admin_event("GET", "/admin/products/{product_id}", groups=groups, product_id="prd-0001")
        status, _, body = stack.call("AdminCatalogFunction", event)
        assert status == 403, (groups, body)

    status, _, _ = stack.call(
        "AdminCatalogFunction",
        admin_event("GET", "/admin/products/{product_id}", product_id="prd-by-customer"),
    )
    assert status == 404


def test_an_admin_may_do_what_staff_do(stack: Stack) -> None:
    event = admin_event("GET", "/admin/products/{product_id}", groups="[admin]", product_id="prd-0073")
    status, _, body = stack.call("AdminCatalogFunction", event)
    assert status == 200, body
    assert body["status"] == "draft", "staff see drafts the storefront hides"


def test_archiving_hides_the_product_from_browse_for_good(stack: Stack) -> None:
    product_id, _ = create_product(stack)
    assert product_id in found(stack, "edelweiss", "en")

    event = admin_event("POST", "/admin/products/{product_id}/archive", product_id=product_id)
    status, _, body = stack.call("AdminCatalogFunction", event)
    assert status == 200, body
    assert body["status"] == "archived"

    assert product_id not in found(stack, "edelweiss", "en")
    assert product_id not in found(stack, "cagoule", "fr")
    assert browse_product(stack, product_id)[0] == 404
    event = admin_event("PATCH", "/admin/products/{product_id}", {"status": "active"}, product_id=product_id)
    status, _, body = stack.call("AdminCatalogFunction", event)
    assert status == 409, body
    assert product_id not in found(stack, "edelweiss", "en")


def test_a_sku_or_slug_a_demo_product_uses_is_a_409(stack: Stack) -> None:
    demo = next(p for p in demo_catalog.products() if p.status.value == "active")
    taken = demo.variants[0].sku
    product_id, _ = create_product(stack)

    event = admin_event(
        "PUT",
        "/admin/products/{product_id}/variants/{sku}",
        {"attributes": {"colour": "red"}, "prices": [{"amount": 1000, "currency": "EUR"}]},
        product_id=product_id,
        sku=taken,
    )
    status, headers, body = stack.call("AdminCatalogFunction", event)
    assert status == 409, body
    assert headers["Content-Type"] == "application/problem+json"
    assert taken in body["detail"]

    event = admin_event("PATCH", "/admin/products/{product_id}", {"slug": demo.slug}, product_id=product_id)
    status, _, body = stack.call("AdminCatalogFunction", event)
    assert status == 409, body
    assert demo.slug in body["detail"]

    # Nothing moved: the demo product keeps its SKU, ours its own variant.
    status, _, ours = stack.call(
        "AdminCatalogFunction", admin_event("GET", "/admin/products/{product_id}", product_id=product_id)
    )
    assert [v["sku"] for v in ours["variants"]] != [taken] and ours["slug"] != demo.slug
    assert browse_product(stack, demo.id)[1]["variants"][0]["sku"] == taken


def test_a_price_must_be_whole_minor_units_in_a_currency_the_shop_sells(stack: Stack) -> None:
    product_id, sku = create_product(stack, activate=False)
    route = "/admin/products/{product_id}/variants/{sku}/prices/{currency}"
    for currency, body in (
        ("EUR", {"amount": 12.5, "currency": "EUR"}),
        ("EUR", {"amount": "1250", "currency": "EUR"}),
        ("EUR", {"amount": -1, "currency": "EUR"}),
        ("EUR", {"amount": 10**13, "currency": "EUR"}),
        ("EUR", {"amount": 1250, "currency": "USD"}),
        ("GBP", {"amount": 1250, "currency": "GBP"}),
        ("eur", {"amount": 1250, "currency": "eur"}),
    ):
        event = admin_event("PUT", route, body, product_id=product_id, sku=sku, currency=currency)
        status, headers, problem = stack.call("AdminCatalogFunction", event)
        assert status == 400, (body, problem)
        assert headers["Content-Type"] == "application/problem+json"

    event = admin_event(
        "PUT", route, {"amount": 2990, "currency": "EUR"}, product_id=product_id, sku=sku, currency="EUR"
    )
    status, headers, body = stack.call("AdminCatalogFunction", event)
    assert status == 200 and "Location" not in headers, body
    assert body["variants"][0]["prices"] == [{"amount": 2990, "currency": "EUR"}]


def test_variants_are_added_and_deleted(stack: Stack) -> None:
    product_id, sku = create_product(stack)
    other = sku + "-L"
    route = "/admin/products/{product_id}/variants/{sku}"
    body = {"attributes": {"colour": "grey", "size": "L"}, "prices": [{"amount": 3690, "currency": "EUR"}]}
    status, headers, product = stack.call(
        "AdminCatalogFunction", admin_event("PUT", route, body, product_id=product_id, sku=other)
    )
    assert status == 201, product
    assert headers["Location"] == f"/admin/products/{product_id}/variants/{other}"
    assert [v["sku"] for v in product["variants"]] == [sku, other]

    status, _, deleted = stack.call(
        "AdminCatalogFunction", admin_event("DELETE", route, product_id=product_id, sku=sku)
    )
    assert status == 204, deleted
    status, page = browse_product(stack, product_id)
    assert status == 200 and [v["sku"] for v in page["variants"]] == [other]


def test_a_category_slug_is_created_once(stack: Stack) -> None:
    body = {"slug": "hats", "names": {"en": "Hats again"}}
    status, _, problem = stack.call("AdminCatalogFunction", admin_event("POST", "/admin/categories", body))
    assert status == 409, problem
    event = admin_event(
        "PUT", "/admin/categories/{slug}", {"names": {"en": "Nothing"}}, slug="no-such-category"
    )
    status, _, problem = stack.call("AdminCatalogFunction", event)
    assert status == 404, problem


def test_unknown_fields_are_refused(stack: Stack) -> None:
    product_id, _ = create_product(stack, activate=False)
    event = admin_event(
        "PATCH", "/admin/products/{product_id}", {"status": "archived"}, product_id=product_id
    )
    assert stack.call("AdminCatalogFunction", event)[0] == 400
    event = admin_event("PATCH", "/admin/products/{product_id}", {"id": "prd-other"}, product_id=product_id)
    assert stack.call("AdminCatalogFunction", event)[0] == 400
