"""Staff find products in any status: listed by name, filtered by status and category, searched by words of
their names, slug and SKUs, a page at a time."""

from __future__ import annotations

from dataclasses import replace

import pytest

from commerce.domain.catalog import ProductStatus
from commerce.domain.errors import InvalidCursor, ValidationFailed
from commerce.services.pagination import CursorCodec
from commerce.services.product_finder import ProductFinder, StaffProductQuery
from tests.fakes.catalog import InMemoryCatalog

from .catalog_builders import product, variant

DRAFT, ACTIVE, ARCHIVED = ProductStatus.DRAFT, ProductStatus.ACTIVE, ProductStatus.ARCHIVED


@pytest.fixture
def catalog() -> InMemoryCatalog:
    repo = InMemoryCatalog()
    repo.save_product(product("P1", en="Zermatt beanie", fr=None, category="hats", status=ACTIVE))
    repo.save_product(product("P2", en="alpine Boot", category="shoes", status=DRAFT))
    repo.save_product(product("P3", en="Édelweiss scarf", fr=None, category="hats", status=ARCHIVED))
    repo.save_product(product("P4", en="Chamonix hat", fr=None, category="hats", status=DRAFT))
    shoe = product("P5", en="Trail shoe", category="shoes", variants=(variant("RUN-FAST-42"),))
    repo.save_product(replace(shoe, status=ARCHIVED))
    return repo


@pytest.fixture
def finder(catalog: InMemoryCatalog) -> ProductFinder:
    return ProductFinder(catalog, CursorCodec(lambda: b"k" * 32))


def ids(finder: ProductFinder, **query: object) -> list[str]:
    return [p.id for p in finder.find(StaffProductQuery(**query)).items]  # type: ignore[arg-type]


def every_page(finder: ProductFinder, **query: object) -> list[list[str]]:
    pages: list[list[str]] = []
    cursor = None
    for _ in range(10):  # bounded: a cursor that never ends fails the test instead of hanging it
        page = finder.find(StaffProductQuery(cursor=cursor, **query))  # type: ignore[arg-type]
        pages.append([p.id for p in page.items])
        cursor = page.next_cursor
        if cursor is None:
            return pages
    raise AssertionError("the pages never ended")


def test_staff_list_products_of_every_status_by_name_ignoring_case_and_accents(finder: ProductFinder) -> None:
    assert ids(finder) == ["P2", "P4", "P3", "P5", "P1"]


def test_a_status_and_a_category_narrow_the_list(finder: ProductFinder) -> None:
    assert ids(finder, status=DRAFT) == ["P2", "P4"]
    assert ids(finder, category="hats") == ["P4", "P3", "P1"]
    assert ids(finder, status=DRAFT, category="hats") == ["P4"]
    assert ids(finder, status=ACTIVE, category="shoes") == []


def test_the_list_pages_through_every_product_once(finder: ProductFinder) -> None:
    assert every_page(finder, limit=2) == [["P2", "P4"], ["P3", "P5"], ["P1"]]


def test_staff_find_drafts_and_archived_products_by_a_word_of_their_name_or_a_prefix(
    finder: ProductFinder,
) -> None:
    assert ids(finder, q="edelweiss") == ["P3"]
    assert ids(finder, q="CHAM") == ["P4"]
    assert ids(finder, q="chaussure") == ["P2", "P5"], "the French name counts too"


def test_staff_find_a_product_by_its_sku_or_slug(finder: ProductFinder) -> None:
    assert ids(finder, q="RUN-FAST-42") == ["P5"]
    assert ids(finder, q="p4") == ["P4"]


def test_a_search_keeps_to_the_status_and_category_asked_and_pages(finder: ProductFinder) -> None:
    assert ids(finder, q="chaussure", status=DRAFT) == ["P2"]
    assert ids(finder, q="chaussure", category="hats") == []
    assert every_page(finder, q="chaussure", limit=1) == [["P2"], ["P5"]]


def test_a_limit_out_of_range_is_refused(finder: ProductFinder) -> None:
    with pytest.raises(ValidationFailed):
        finder.find(StaffProductQuery(limit=0))
    with pytest.raises(ValidationFailed):
        finder.find(StaffProductQuery(limit=101))


def test_a_cursor_of_another_filter_is_refused(finder: ProductFinder) -> None:
    cursor = finder.find(StaffProductQuery(limit=1)).next_cursor

    with pytest.raises(InvalidCursor):
        finder.find(StaffProductQuery(status=DRAFT, cursor=cursor))
