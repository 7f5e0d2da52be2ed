"""Changing the catalog and receiving stock: used by the demo loader now, by the admin API later."""

from __future__ import annotations

from commerce.domain.catalog import Category, Product
from commerce.domain.errors import NotFound
from commerce.domain.ports import CatalogRepository, StockLevels


class CatalogAdmin:
    def __init__(self, catalog: CatalogRepository, stock: StockLevels) -> None:
        self._catalog = catalog
        self._stock = stock

    def save_category(self, category: Category) -> None:
        self._catalog.save_category(category)

    def save_product(self, product: Product) -> None:
        if self._catalog.get_category(product.category) is None:
            raise NotFound(f"no category {product.category}")
        self._catalog.save_product(product)

    def receive_stock(self, sku: str, location: str, quantity: int, note: str = "") -> None:
        if not self._catalog.get_skus([sku]):
            raise NotFound(f"no SKU {sku}")
        self._stock.receive(sku, location, quantity, note)
