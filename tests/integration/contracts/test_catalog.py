"""The CatalogRepository: a SKU and a slug belong to one product, a listing pages through the sellable
products of a category by rank, and what is not there reads as None or is left out."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

import pytest

from commerce.adapters.dynamodb.catalog import DynamoCatalog
from commerce.domain import search
from commerce.domain.catalog import ProductStatus
from commerce.domain.errors import Conflict
from tests.fakes.catalog import InMemoryCatalog
from tests.unit.catalog_builders import category, product, variant

from .conftest import Shop


@pytest.fixture
def catalog(shop: Shop) -> Any:
    return shop.build(InMemoryCatalog, DynamoCatalog)


def a_product_id() -> str:
    return f"P{uuid.uuid4().hex[:10].upper()}"


def a_category() -> str:
    return f"cat-{uuid.uuid4().hex[:10]}"


def test_a_saved_product_is_read_back_with_its_skus(catalog: Any) -> None:
    shoe = product(a_product_id(), category=a_category())

    catalog.save_product(shoe)

    assert catalog.get_product(shoe.id) == shoe
    assert catalog.get_products([shoe.id, "P-NOBODY"]) == {shoe.id: shoe}
    sku = shoe.variants[0].sku
    assert catalog.get_skus([sku, "NO-SUCH-SKU"])[sku].product_id == shoe.id


def test_an_unknown_product_category_or_sku_is_left_out(catalog: Any) -> None:
    assert catalog.get_product("P-NOBODY") is None
    assert catalog.get_products(["P-NOBODY"]) == {}
    assert catalog.get_skus(["NO-SUCH-SKU"]) == {}
    assert catalog.get_category(a_category()) is None


def test_a_sku_owned_by_another_product_is_refused(catalog: Any) -> None:
    first = product(a_product_id(), category=a_category())
    catalog.save_product(first)
    thief = product(a_product_id(), category=a_category(), variants=first.variants)

    with pytest.raises(Conflict):
        catalog.save_product(thief)

    assert catalog.get_product(thief.id) is None
    assert catalog.get_skus([first.variants[0].sku])[first.variants[0].sku].product_id == first.id


def test_a_slug_used_by_another_product_is_refused(catalog: Any) -> None:
    first = product(a_product_id(), category=a_category())
    catalog.save_product(first)
    twin = replace(product(a_product_id(), category=a_category()), slug=first.slug)

    with pytest.raises(Conflict):
        catalog.save_product(twin)

    assert catalog.get_product(twin.id) is None


def test_a_sku_dropped_from_a_product_is_free_for_another(catalog: Any) -> None:
    pid = a_product_id()
    old, new = variant(f"{pid}-OLD"), variant(f"{pid}-NEW")
    shelf = a_category()
    catalog.save_product(product(pid, category=shelf, variants=(old, new)))
    catalog.save_product(product(pid, category=shelf, variants=(new,)))

    other = product(a_product_id(), category=a_category(), variants=(old,))
    catalog.save_product(other)

    assert catalog.get_skus([old.sku])[old.sku].product_id == other.id


def test_a_category_listing_pages_through_sellable_products_by_rank(catalog: Any) -> None:
    shelf = a_category()
    listed = [product(a_product_id(), category=shelf, rank=rank) for rank in (3, 1, 2)]
    draft = product(a_product_id(), category=shelf, status=ProductStatus.DRAFT)
    for item in (*listed, draft):
        catalog.save_product(item)

    first = catalog.list_products(shelf, 2, None)
    second = catalog.list_products(shelf, 2, first.next_position)

    assert [p.rank for p in (*first.items, *second.items)] == [1, 2, 3]
    assert first.next_position is not None and second.next_position is None


def test_a_saved_category_is_read_back_and_listed(catalog: Any) -> None:
    shelf = category(a_category())

    catalog.save_category(shelf)

    assert catalog.get_category(shelf.slug) == shelf
    assert shelf in catalog.list_categories()


def test_staff_listing_pages_through_a_category_in_every_status_by_name(catalog: Any) -> None:
    shelf = a_category()
    named = {"Birch": ProductStatus.ARCHIVED, "alder": ProductStatus.DRAFT, "Ćedar": ProductStatus.ACTIVE}
    saved = {name: product(a_product_id(), category=shelf, en=name, status=s) for name, s in named.items()}
    for item in saved.values():
        catalog.save_product(item)
    statuses = list(ProductStatus)

    first = catalog.list_for_staff(statuses, shelf, 2, None)
    second = catalog.list_for_staff(statuses, shelf, 2, first.next_position)

    assert [p.id for p in (*first.items, *second.items)] == [saved[n].id for n in ("alder", "Birch", "Ćedar")]
    assert first.next_position is not None and second.next_position is None
    drafts_and_archived = catalog.list_for_staff(
        [ProductStatus.DRAFT, ProductStatus.ARCHIVED], shelf, 5, None
    )
    assert [p.id for p in drafts_and_archived.items] == [saved["alder"].id, saved["Birch"].id]


def test_staff_listing_by_status_alone_holds_a_new_draft(catalog: Any) -> None:
    draft = product(a_product_id(), category=a_category(), en="Aaa first draft", status=ProductStatus.DRAFT)
    catalog.save_product(draft)

    page = catalog.list_for_staff([ProductStatus.DRAFT], None, 100, None)

    assert draft.id in [p.id for p in page.items]
    assert all(p.status is ProductStatus.DRAFT for p in page.items)


def test_staff_search_finds_a_draft_by_its_sku_and_forgets_a_dropped_sku(catalog: Any) -> None:
    pid = a_product_id()
    old = f"{pid}-OLDSKU"
    draft = product(pid, category=a_category(), status=ProductStatus.DRAFT, variants=(variant(old),))
    catalog.save_product(draft)
    assert catalog.search(search.STAFF, search.fold(pid)) == {pid}

    catalog.save_product(replace(draft, variants=(variant(f"{pid}-NEWSKU"),)))

    assert catalog.search(search.STAFF, "newsku") >= {pid}
    assert pid not in catalog.search(search.STAFF, "oldsku")
    assert pid not in catalog.search("en", "trail"), "shoppers' index keeps to products on sale"
