"""The catalog in memory: products, categories and SKUs, with the table's uniqueness rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from commerce.domain import search
from commerce.domain.catalog import Category, Product, ProductStatus, SkuRecord
from commerce.domain.errors import (
    Conflict,
)
from commerce.domain.ports import Page
from tests.fakes.paging import offset_page


class InMemoryCatalog:
    def __init__(self, default_locale: str = "en") -> None:
        self.default_locale = default_locale
        self.products: dict[str, Product] = {}
        self.categories: dict[str, Category] = {}
        self.skus: dict[str, SkuRecord] = {}

    def get_product(self, product_id: str) -> Product | None:
        return self.products.get(product_id)

    def get_products(self, product_ids: Sequence[str]) -> dict[str, Product]:
        return {pid: self.products[pid] for pid in product_ids if pid in self.products}

    def list_products(
        self, category: str | None, limit: int, position: Mapping[str, Any] | None
    ) -> Page[Product]:
        listed = sorted(
            (p for p in self.products.values() if p.is_sellable and category in (None, p.category)),
            key=lambda p: (p.rank, p.id),
        )
        return offset_page(listed, limit, position)

    def list_for_staff(
        self,
        statuses: Sequence[ProductStatus],
        category: str | None,
        limit: int,
        position: Mapping[str, Any] | None,
    ) -> Page[Product]:
        listed = sorted(
            (p for p in self.products.values() if p.status in statuses and category in (None, p.category)),
            key=lambda p: (search.name_key(p.text(self.default_locale, self.default_locale).name), p.id),
        )
        return offset_page(listed, limit, position)

    def search(self, language: str, term: str) -> set[str]:
        if language == search.STAFF:
            return {p.id for p in self.products.values() if term in search.staff_terms(p)}
        return {p.id for p in self.products.values() if (language, term) in search.product_terms(p)}

    def list_categories(self) -> list[Category]:
        return sorted(self.categories.values(), key=lambda c: (c.rank, c.slug))

    def get_category(self, slug: str) -> Category | None:
        return self.categories.get(slug)

    def get_skus(self, skus: Sequence[str]) -> dict[str, SkuRecord]:
        return {s: self.skus[s] for s in skus if s in self.skus}

    def save_product(self, product: Product) -> None:
        """Refuses, as the table's conditions do, a SKU or a slug that another product owns."""
        for variant in product.variants:
            owner = self.skus.get(variant.sku)
            if owner and owner.product_id != product.id:
                raise Conflict(f"SKU {variant.sku} belongs to another product")
        if any(p.slug == product.slug and p.id != product.id for p in self.products.values()):
            raise Conflict(f"slug {product.slug} is used by another product")
        previous = self.products.get(product.id)
        for dropped in {v.sku for v in previous.variants} if previous else set():
            self.skus.pop(dropped, None)
        self.products[product.id] = product
        for variant in product.variants:
            self.skus[variant.sku] = SkuRecord.of(product, variant)

    def save_category(self, category: Category) -> None:
        self.categories[category.slug] = category
