"""Staff list and find products of every status through the admin catalog function (GSI3, GSI4 and the staff
keyword index of the table built from template.yaml)."""

from __future__ import annotations

import uuid
from typing import Any

from .conftest import Stack
from .test_admin_catalog_handler import admin_event, admin_get


def listed(stack: Stack, groups: str = "[staff]", **query: str) -> tuple[int, Any]:
    return admin_get(stack, "AdminCatalogFunction", "/admin/products", query, groups)


def a_shelf(stack: Stack) -> str:
    """A category of its own, so that the listing holds only this test's products."""
    slug = f"shelf-{uuid.uuid4().hex[:8]}"
    event = admin_event("POST", "/admin/categories", {"slug": slug, "names": {"en": "Shelf"}})
    status, _, body = stack.call("AdminCatalogFunction", event)
    assert status == 201, body
    return slug


def a_product(stack: Stack, shelf: str, name: str, status: str = "draft") -> dict[str, Any]:
    n = uuid.uuid4().hex[:8]
    body = {
        "slug": f"{shelf}-{n}",
        "category": shelf,
        "status": status,
        "translations": {"en": {"name": name}},
        "variants": [{"sku": f"SKU-{n.upper()}", "prices": [{"amount": 1000, "currency": "EUR"}]}],
    }
    created, _, product = stack.call("AdminCatalogFunction", admin_event("POST", "/admin/products", body))
    assert created == 201, product
    return product


def test_staff_page_through_a_category_in_every_status_by_name(stack: Stack) -> None:
    shelf = a_shelf(stack)
    wool = a_product(stack, shelf, "Wool mittens", status="active")
    alpaca = a_product(stack, shelf, "alpaca scarf")
    mohair = a_product(stack, shelf, "Mohair hat")

    status, first = listed(stack, category=shelf, limit="2")
    assert status == 200, first
    status, second = listed(stack, category=shelf, limit="2", cursor=first["next_cursor"])
    assert status == 200, second

    assert [p["id"] for p in first["items"] + second["items"]] == [alpaca["id"], mohair["id"], wool["id"]]
    assert second["next_cursor"] is None
    assert first["items"][0]["translations"]["en"]["name"] == "alpaca scarf"
    status, drafts = listed(stack, category=shelf, status="draft")
    assert [p["id"] for p in drafts["items"]] == [alpaca["id"], mohair["id"]]


def test_staff_find_a_draft_by_a_word_of_its_name_or_its_sku(stack: Stack) -> None:
    shelf = a_shelf(stack)
    word = f"yak{uuid.uuid4().hex[:6]}"
    draft = a_product(stack, shelf, f"{word.title()} blanket")

    status, by_name = listed(stack, q=word)
    status_by_sku, by_sku = listed(stack, q=draft["variants"][0]["sku"], status="draft")

    assert status == 200 and status_by_sku == 200, (by_name, by_sku)
    assert [p["id"] for p in by_name["items"]] == [draft["id"]]
    assert [p["id"] for p in by_sku["items"]] == [draft["id"]]
    assert listed(stack, q=word, status="active")[1]["items"] == []


def test_bad_list_parameters_are_a_400_problem(stack: Stack) -> None:
    for query in ({"status": "sold"}, {"limit": "0"}, {"limit": "101"}, {"cursor": "forged.cursor"}):
        status, body = listed(stack, **query)
        assert status == 400, (query, body)
        assert body["status"] == 400 and body["title"], body


def test_support_staff_without_the_catalog_permission_get_403(stack: Stack) -> None:
    status, body = listed(stack, groups="[support]")

    assert status == 403, body


def test_staff_list_categories_with_the_names_they_edit(stack: Stack) -> None:
    shelf = a_shelf(stack)

    status, _, body = stack.call("AdminCatalogFunction", admin_event("GET", "/admin/categories"))
    forbidden, _, _ = stack.call(
        "AdminCatalogFunction", admin_event("GET", "/admin/categories", groups="[support]")
    )

    assert status == 200, body
    assert {"slug": shelf, "names": {"en": "Shelf"}, "parent": None, "rank": 0} in body["items"]
    assert forbidden == 403
