from __future__ import annotations

import pytest

from commerce.domain.catalog import ProductStatus
from commerce.domain.errors import (
    InvalidCursor,
    NotFound,
    UnknownCurrency,
    UnsupportedCurrency,
    ValidationFailed,
)
from commerce.services.browse import Browse, ProductQuery
from commerce.services.pagination import CursorCodec
from tests.fakes.catalog import InMemoryCatalog
from tests.fakes.orders import InMemoryStock

from .catalog_builders import category, product, variant


@pytest.fixture
def catalog() -> InMemoryCatalog:
    repo = InMemoryCatalog()
    for slug in ("shoes", "hats"):
        repo.save_category(category(slug))
    for i in range(25):
        repo.save_product(product(f"P{i:03d}", category="shoes" if i % 2 else "hats", rank=i))
    return repo


@pytest.fixture
def stock() -> InMemoryStock:
    return InMemoryStock()


@pytest.fixture
def browse(catalog: InMemoryCatalog, stock: InMemoryStock) -> Browse:
    return Browse(catalog, stock, CursorCodec(lambda: b"k" * 32), ["EUR", "USD", "JPY"], "en")


def test_listing_pages_through_every_product_once_in_order(browse: Browse) -> None:
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        page = browse.list_products(ProductQuery(currency="EUR", locale="en", limit=7, cursor=cursor))
        seen += [p.id for p in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [f"P{i:03d}" for i in range(25)]


def test_listing_by_category_shows_only_that_category(browse: Browse) -> None:
    page = browse.list_products(ProductQuery(currency="EUR", locale="en", category="shoes", limit=100))
    assert {p.category for p in page.items} == {"shoes"}
    assert len(page.items) == 12


def test_a_cursor_from_another_query_is_refused(browse: Browse) -> None:
    page = browse.list_products(ProductQuery(currency="EUR", locale="en", category="shoes", limit=2))
    assert page.next_cursor
    with pytest.raises(InvalidCursor):
        browse.list_products(
            ProductQuery(currency="EUR", locale="en", category="hats", cursor=page.next_cursor)
        )


def test_a_tampered_cursor_is_refused(browse: Browse) -> None:
    page = browse.list_products(ProductQuery(currency="EUR", locale="en", limit=2))
    assert page.next_cursor
    body, signature = page.next_cursor.split(".")
    forged = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1] + "." + signature
    for bad in (forged, "garbage", "a.b.c", "x" * 3000):
        with pytest.raises(InvalidCursor):
            browse.list_products(ProductQuery(currency="EUR", locale="en", cursor=bad))


def test_currency_must_be_iso_and_offered(browse: Browse) -> None:
    with pytest.raises(UnknownCurrency):
        browse.list_products(ProductQuery(currency="eur", locale="en"))
    with pytest.raises(UnsupportedCurrency):
        browse.list_products(ProductQuery(currency="GBP", locale="en"))


def test_limit_outside_bounds_is_refused(browse: Browse) -> None:
    with pytest.raises(ValidationFailed):
        browse.list_products(ProductQuery(currency="EUR", locale="en", limit=101))


def test_search_in_french_finds_by_french_words_and_prefixes(
    browse: Browse, catalog: InMemoryCatalog
) -> None:
    catalog.save_product(product("SCARF", category="hats", en="Wool scarf", fr="Écharpe en laine"))
    for q in ("écharpe", "echarpe", "ECHARP", "laine écharpe"):
        page = browse.list_products(ProductQuery(currency="EUR", locale="fr-CA", q=q))
        assert [p.id for p in page.items] == ["SCARF"], q
        assert page.items[0].name == "Écharpe en laine"
    english = browse.list_products(ProductQuery(currency="EUR", locale="en", q="écharpe"))
    assert english.items == ()


def test_search_needs_every_word_to_match(browse: Browse, catalog: InMemoryCatalog) -> None:
    catalog.save_product(product("SCARF", category="hats", en="Wool scarf", fr="Écharpe en laine"))
    page = browse.list_products(ProductQuery(currency="EUR", locale="en", q="wool shoe"))
    assert page.items == ()


def test_search_results_page_without_repeats(browse: Browse) -> None:
    seen: list[str] = []
    cursor = None
    for _ in range(20):
        page = browse.list_products(
            ProductQuery(currency="EUR", locale="en", q="trail", limit=4, cursor=cursor)
        )
        seen += [p.id for p in page.items]
        cursor = page.next_cursor
        if not cursor:
            break
    assert sorted(seen) == [f"P{i:03d}" for i in range(25)]
    assert len(seen) == len(set(seen))


def test_drafts_and_archived_products_are_never_shown(browse: Browse, catalog: InMemoryCatalog) -> None:
    catalog.save_product(product("DRAFT", status=ProductStatus.DRAFT, en="Secret trail prototype"))
    catalog.save_product(product("GONE", status=ProductStatus.ARCHIVED, en="Old trail model"))
    listed = browse.list_products(ProductQuery(currency="EUR", locale="en", limit=100))
    searched = browse.list_products(ProductQuery(currency="EUR", locale="en", q="trail", limit=100))
    for page in (listed, searched):
        assert not {"DRAFT", "GONE"} & {p.id for p in page.items}
    with pytest.raises(NotFound):
        browse.get_product("DRAFT", "EUR", "en")


def test_variants_without_a_price_in_the_currency_are_not_offered(
    browse: Browse, catalog: InMemoryCatalog
) -> None:
    catalog.save_product(product("MIX", variants=(variant("MIX-A"), variant("MIX-B", jpy=None))))
    view = browse.get_product("MIX", "JPY", "en")
    assert [v.sku for v in view.variants] == ["MIX-A"]
    assert view.variants[0].price.amount == 1600 and view.variants[0].price.currency == "JPY"


def test_availability_follows_stock_and_low_threshold(
    browse: Browse, catalog: InMemoryCatalog, stock: InMemoryStock
) -> None:
    catalog.save_product(product("STK", variants=(variant("STK-A"), variant("STK-B"), variant("STK-C"))))
    stock.receive("STK-A", "wh-1", 40, "")
    stock.receive("STK-B", "wh-1", 2, "")
    stock.receive("STK-B", "wh-2", 3, "")
    view = browse.get_product("STK", "EUR", "en")
    assert [v.availability.value for v in view.variants] == ["in_stock", "low_stock", "out_of_stock"]


def test_text_falls_back_from_regional_to_language_to_default(browse: Browse) -> None:
    assert browse.get_product("P001", "EUR", "fr-CA").name == "Chaussure de trail"
    assert browse.get_product("P001", "EUR", "de-AT").name == "Trail shoe"


def test_categories_are_named_in_the_requested_language(browse: Browse) -> None:
    names = {c.slug: c.name for c in browse.list_categories("fr")}
    assert names == {"hats": "hats (fr)", "shoes": "shoes (fr)"}
