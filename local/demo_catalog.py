"""The demo catalog of the local stack and the e2e tests, read from local/demo_data/catalog.json: seven
categories, 72 products on sale, two drafts and two archived products, priced in EUR, USD and JPY, with
stock in two warehouses.

The file names the SKUs the tests look for (low stock, no stock, no yen price); the hidden products are
the ones whose status says so.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from commerce.domain.catalog import Category, Product, ProductStatus, Text, Variant
from commerce.domain.money import Money

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"


@cache
def _data() -> dict[str, Any]:
    return dict(json.loads((DEMO_DATA / "catalog.json").read_text(encoding="utf-8")))


def _status_ids(status: ProductStatus) -> frozenset[str]:
    return frozenset(p["id"] for p in _data()["products"] if p["status"] == status.value)


PARIS, BERLIN = LOCATIONS = tuple(_data()["warehouses"])
# Variants priced in EUR and USD only: asking for JPY must not offer them.
NOT_SOLD_IN_JPY: frozenset[str] = frozenset(_data()["not_sold_in_jpy"])
# 1 to 5 units in all, at or under the default low-stock threshold of 5; some split over both warehouses.
LOW_STOCK_SKUS: frozenset[str] = frozenset(_data()["low_stock_skus"])
# Never received. Both variants of the sherpa trapper hat are here, so one whole product is sold out.
OUT_OF_STOCK_SKUS: frozenset[str] = frozenset(_data()["out_of_stock_skus"])
# Not on sale, though in stock: no listing, search or cart may show them.
DRAFT_PRODUCT_IDS = _status_ids(ProductStatus.DRAFT)
ARCHIVED_PRODUCT_IDS = _status_ids(ProductStatus.ARCHIVED)


def categories() -> list[Category]:
    """In the file's order, ranked 10, 20, ..."""
    return [
        Category(row["slug"], dict(row["names"]), rank=10 * position)
        for position, row in enumerate(_data()["categories"], start=1)
    ]


def products() -> list[Product]:
    """Products on sale first, ranked within their category, then the hidden ones."""
    return [_product(row) for row in _data()["products"]]


def stock() -> list[tuple[str, str, int]]:
    """Receipts as (sku, location, quantity); a SKU of OUT_OF_STOCK_SKUS has none."""
    return [
        (variant["sku"], location, quantity)
        for row in _data()["products"]
        for variant in row["variants"]
        for location, quantity in variant["stock"].items()
    ]


def _product(row: dict[str, Any]) -> Product:
    return Product(
        id=row["id"],
        slug=row["slug"],
        category=row["category"],
        status=ProductStatus(row["status"]),
        texts={locale: Text(name, description) for locale, (name, description) in row["texts"].items()},
        variants=tuple(
            Variant(
                v["sku"],
                dict(v["attributes"]),
                {currency: Money(amount, currency) for currency, amount in v["prices"].items()},
            )
            for v in row["variants"]
        ),
        images=tuple(row["images"]),
        rank=row["rank"],
    )
