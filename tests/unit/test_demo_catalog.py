"""The demo catalog is valid shop data, meets the counts the e2e tests rely on, and seeds a catalog."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from commerce.domain import search
from commerce.domain.catalog import Product, ProductStatus
from commerce.services.catalog_admin import CatalogAdmin
from local import demo_catalog
from local.seed import load_demo_catalog
from tests.fakes.catalog import InMemoryCatalog
from tests.fakes.orders import InMemoryStock

PRODUCTS = demo_catalog.products()
ON_SALE = [p for p in PRODUCTS if p.status is ProductStatus.ACTIVE]
ALL_SKUS = [v.sku for p in PRODUCTS for v in p.variants]
SKUS_ON_SALE = {v.sku for p in ON_SALE for v in p.variants}


def units_received() -> Counter[str]:
    totals: Counter[str] = Counter()
    for sku, _, quantity in demo_catalog.stock():
        totals[sku] += quantity
    return totals


def test_there_are_at_least_six_categories_named_in_english_french_and_german() -> None:
    categories = demo_catalog.categories()
    assert len(categories) >= 6
    assert all(set(c.names) == {"en", "fr", "de"} for c in categories)
    assert len({c.rank for c in categories}) == len(categories)


def test_at_least_sixty_products_are_on_sale_with_ten_or_more_in_every_category() -> None:
    assert len(ON_SALE) >= 60
    per_category = Counter(p.category for p in ON_SALE)
    assert set(per_category) == {c.slug for c in demo_catalog.categories()}
    assert min(per_category.values()) >= 10


def test_exactly_two_drafts_and_two_archived_products_are_hidden_as_the_constants_say() -> None:
    by_status = {status: {p.id for p in PRODUCTS if p.status is status} for status in ProductStatus}
    assert by_status[ProductStatus.DRAFT] == demo_catalog.DRAFT_PRODUCT_IDS
    assert by_status[ProductStatus.ARCHIVED] == demo_catalog.ARCHIVED_PRODUCT_IDS
    assert len(demo_catalog.DRAFT_PRODUCT_IDS) == len(demo_catalog.ARCHIVED_PRODUCT_IDS) == 2


def test_every_product_has_an_english_and_a_french_name_and_description() -> None:
    for product in PRODUCTS:
        for locale in ("en", "fr"):
            assert product.texts[locale].name, (product.id, locale)
            assert product.texts[locale].description.endswith("."), (product.id, locale)


def test_at_least_a_third_of_the_products_are_also_described_in_german() -> None:
    assert sum("de" in p.texts for p in PRODUCTS) * 3 >= len(PRODUCTS)


def test_names_are_distinct_within_each_language() -> None:
    for locale in ("en", "fr", "de"):
        names = [p.texts[locale].name for p in PRODUCTS if locale in p.texts]
        assert len(names) == len(set(names)), locale


def test_french_search_words_are_not_english_ones() -> None:
    terms = set().union(*(search.product_terms(p) for p in ON_SALE))
    for word in ("chaussures", "echarpe", "sac", "bonnet", "pull", "gants", "veste"):
        assert ("fr", word) in terms
        assert ("en", word) not in terms


def test_every_product_belongs_to_a_known_category() -> None:
    known = {c.slug for c in demo_catalog.categories()}
    assert {p.category for p in PRODUCTS} <= known


def test_product_ids_and_slugs_are_unique_and_well_formed() -> None:
    assert len({p.id for p in PRODUCTS}) == len(PRODUCTS)
    assert len({p.slug for p in PRODUCTS}) == len(PRODUCTS)
    assert all(re.fullmatch(r"prd-\d{4}", p.id) for p in PRODUCTS)


def test_skus_are_unique_across_the_whole_catalog() -> None:
    assert len(ALL_SKUS) == len(set(ALL_SKUS))
    assert all(re.fullmatch(r"[A-Z0-9]+(-[A-Z0-9]+)+", sku) for sku in ALL_SKUS)


def test_every_product_has_two_to_six_variants_that_differ_in_their_attributes() -> None:
    for product in PRODUCTS:
        assert 2 <= len(product.variants) <= 6, product.id
        choices = [tuple(sorted(v.attributes.items())) for v in product.variants]
        assert len(set(choices)) == len(choices), product.id


def test_shoes_come_in_eu_sizes_only_and_bags_in_colours_only() -> None:
    for product in PRODUCTS:
        for variant in product.variants:
            if product.category == "shoes":
                assert set(variant.attributes) == {"size"}
                assert 35 <= int(variant.attributes["size"]) <= 47
            if product.category == "bags":
                assert set(variant.attributes) == {"colour"}


def test_every_price_is_an_int_amount_in_eur_usd_or_jpy() -> None:
    for product in PRODUCTS:
        for variant in product.variants:
            assert set(variant.prices) <= {"EUR", "USD", "JPY"}
            assert {"EUR", "USD"} <= set(variant.prices)
            for currency, price in variant.prices.items():
                assert price.currency == currency
                assert type(price.amount) is int
                assert price.amount > 0


def test_yen_prices_are_about_160_yen_a_euro_in_tens_of_yen() -> None:
    for product in PRODUCTS:
        for variant in product.variants:
            yen = variant.price_in("JPY")
            if yen is not None:
                euros = variant.prices["EUR"].amount
                assert yen.amount % 10 == 0
                assert abs(yen.amount - euros * 160 // 100) <= 5


def test_prices_vary_between_products() -> None:
    assert len({p.variants[0].prices["EUR"].amount for p in ON_SALE}) >= 30


def test_only_the_variants_the_constant_names_have_no_yen_price() -> None:
    without_yen = {v.sku for p in PRODUCTS for v in p.variants if v.price_in("JPY") is None}
    assert without_yen == demo_catalog.NOT_SOLD_IN_JPY
    assert 3 <= len(without_yen) <= 5
    assert without_yen <= SKUS_ON_SALE


def test_images_are_https_urls_under_the_product_slug() -> None:
    for product in PRODUCTS:
        assert product.images
        for image in product.images:
            assert image.startswith(f"https://images.example.com/products/{product.slug}/")


def test_stock_is_received_at_the_two_warehouses_in_positive_quantities_of_known_skus() -> None:
    receipts = demo_catalog.stock()
    assert {location for _, location, _ in receipts} == {"wh-paris", "wh-berlin"}
    assert all(quantity > 0 for _, _, quantity in receipts)
    assert {sku for sku, _, _ in receipts} <= set(ALL_SKUS)


def test_low_stock_skus_have_one_to_five_units_at_or_under_their_threshold() -> None:
    totals = units_received()
    thresholds = {v.sku: v.low_stock_threshold for p in PRODUCTS for v in p.variants}
    low = {sku for sku, units in totals.items() if units <= thresholds[sku]}
    assert low == demo_catalog.LOW_STOCK_SKUS
    assert len(low) >= 8
    assert all(1 <= totals[sku] <= 5 for sku in low)
    assert low <= SKUS_ON_SALE


def test_out_of_stock_skus_are_exactly_those_never_received() -> None:
    never_received = set(ALL_SKUS) - set(units_received())
    assert never_received == demo_catalog.OUT_OF_STOCK_SKUS
    assert len(never_received) >= 8
    assert never_received <= SKUS_ON_SALE


def test_every_other_sku_has_ten_to_eighty_units() -> None:
    special = demo_catalog.LOW_STOCK_SKUS | demo_catalog.OUT_OF_STOCK_SKUS
    totals = units_received()
    assert all(10 <= totals[sku] <= 80 for sku in set(ALL_SKUS) - special)


def test_skus_without_a_yen_price_are_in_stock_so_only_the_currency_hides_them() -> None:
    totals = units_received()
    assert all(totals[sku] >= 10 for sku in demo_catalog.NOT_SOLD_IN_JPY)


def test_the_catalog_is_the_same_on_every_build() -> None:
    assert demo_catalog.products() == PRODUCTS
    assert demo_catalog.stock() == demo_catalog.stock()


@pytest.fixture
def seeded() -> tuple[InMemoryCatalog, InMemoryStock, dict[str, int]]:
    catalog, stock = InMemoryCatalog(), InMemoryStock()
    counts = load_demo_catalog(CatalogAdmin(catalog, stock))
    return catalog, stock, counts


def test_seeding_saves_every_category_product_and_receipt(
    seeded: tuple[InMemoryCatalog, InMemoryStock, dict[str, int]],
) -> None:
    catalog, stock, counts = seeded
    assert counts == {
        "categories": len(demo_catalog.categories()),
        "products": len(PRODUCTS),
        "receipts": len(demo_catalog.stock()),
    }
    assert len(catalog.categories) == counts["categories"]
    assert len(catalog.products) == counts["products"]
    assert len(catalog.skus) == len(ALL_SKUS)
    assert len(stock.movements) == counts["receipts"]


def test_a_seeded_catalog_lists_only_products_on_sale(
    seeded: tuple[InMemoryCatalog, InMemoryStock, dict[str, int]],
) -> None:
    catalog, _, _ = seeded
    listed: list[Product] = list(catalog.list_products(None, 1000, None).items)
    assert {p.id for p in listed} == {p.id for p in ON_SALE}
    assert catalog.search("en", "prototype") == set()
    found = catalog.get_products(sorted(catalog.search("fr", "chaussures")))
    assert len(found) >= 3
    assert {p.category for p in found.values()} == {"shoes"}
    assert catalog.search("en", "chaussures") == set()


def test_a_seeded_stock_reports_low_and_sold_out_skus(
    seeded: tuple[InMemoryCatalog, InMemoryStock, dict[str, int]],
) -> None:
    _, stock, _ = seeded
    available = stock.available(ALL_SKUS)
    assert {sku for sku, units in available.items() if units == 0} == demo_catalog.OUT_OF_STOCK_SKUS
    assert {sku for sku, units in available.items() if 0 < units <= 5} == demo_catalog.LOW_STOCK_SKUS
