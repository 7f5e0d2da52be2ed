"""The staff inventory report: which SKUs it covers and what it reads about each, through Queries and
GetItems only (docs/data-model.md #150-#152)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime

from commerce.domain.inventory_ports import InventoryStore
from commerce.domain.inventory_report import InventoryReport, SkuStock, inventory_report, units_sold_per_day
from commerce.domain.ports import CatalogRepository
from commerce.services.inventory import REORDER_INDEX, policy_from
from commerce.services.restock import VELOCITY_MOVEMENTS

CATALOG_PAGE = 100
MAX_SKUS = 1000  # three or four reads per SKU within the API's 30 s; past this, a nightly job's place
READERS = 16  # SKUs read at once (boto3 clients are thread-safe)


class InventoryReports:
    def __init__(
        self, store: InventoryStore, catalog: CatalogRepository, clock: Callable[[], datetime]
    ) -> None:
        self._store, self._catalog, self._clock = store, catalog, clock

    def report(self) -> InventoryReport:
        now = self._clock()
        skus = self.skus()
        with ThreadPoolExecutor(max_workers=READERS) as pool:
            stock = list(pool.map(lambda sku: self._read(sku, now), skus[:MAX_SKUS]))
        return replace(inventory_report(stock, now), truncated=len(skus) > MAX_SKUS)

    def skus(self) -> list[str]:
        """The SKUs in the sparse reorder index first (low ones, a retired product's too: a truncated
        report still shows them), then the catalog's (active products, GSI2 `CATALOG`)."""
        found: dict[str, None] = {record.id: None for record in self._store.indexed(REORDER_INDEX)}
        position = None
        while len(found) <= MAX_SKUS:
            page = self._catalog.list_products(None, CATALOG_PAGE, position)
            for product in page.items:
                found.update((variant.sku, None) for variant in product.variants)
            if page.next_position is None:
                break
            position = page.next_position
        return list(found)  # one more than MAX_SKUS tells the report it is truncated

    def _read(self, sku: str, now: datetime) -> SkuStock:
        record = self._store.get("reorder", sku, ("sku", sku))
        return SkuStock(
            sku=sku,
            levels=self._store.levels(sku),
            policy=policy_from(record) if record else None,
            sold_per_day=units_sold_per_day(self._store.movements(sku, VELOCITY_MOVEMENTS), now),
        )
