"""The staff inventory report: which SKUs it covers and what it reads about each, through Queries and
BatchGetItems only (docs/data-model.md #150-#152). The totals (stock value per location, low, out of stock,
without cost) cover every SKU, read in batches; the per-SKU figures are paged, since days of cover needs
each SKU's recent movements (one Query per SKU, for the page's SKUs only)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, replace
from datetime import datetime, timedelta
from typing import Any

from commerce.domain.hot_sku import shard_of
from commerce.domain.inventory_ports import ANY_VERSION, Change, Record, ReportedStore, Write
from commerce.domain.inventory_report import (
    VELOCITY_WINDOW,
    InventoryReport,
    LocationValue,
    SkuFigures,
    SkuStock,
    inventory_report,
    units_sold_per_day,
)
from commerce.domain.ports import CatalogRepository
from commerce.services.inventory import REORDER_INDEX, policy_from
from commerce.services.restock import VELOCITY_MOVEMENTS

CATALOG_PAGE = 100
MAX_SKUS = 1000  # totals over at most this many SKUs: about 5 keys each, 100 keys per BatchGetItem
PAGE = 25  # per-SKU figures per page by default
MAX_PAGE = 200
READERS = 16  # SKUs whose movements are read at once (boto3 clients are thread-safe)
# The report is read from one stored snapshot while it is this young: one GetItem, whatever the catalog's
# size. Computing it reads every SKU (about 5 keys each in batches, and one movements Query each).
SNAPSHOT_MAX_AGE = timedelta(seconds=60)
SNAPSHOT_KIND, SNAPSHOT_ID = "report", "inventory"


def page_of(report: InventoryReport, limit: int, after: str | None) -> InventoryReport:
    """The report with the SKU figures after `after` (by SKU), `limit` of them, and where the next begin."""
    rest = [figures for figures in report.skus if after is None or figures.sku > after]
    page = tuple(rest[:limit])
    return replace(report, skus=page, next_after=page[-1].sku if len(rest) > limit else None)


def report_data(report: InventoryReport) -> dict[str, Any]:
    return {**asdict(report), "generated_at": report.generated_at.isoformat()}


def report_from(data: Mapping[str, Any]) -> InventoryReport:
    return InventoryReport(
        generated_at=datetime.fromisoformat(data["generated_at"]),
        locations=tuple(LocationValue(**loc) for loc in data["locations"]),
        skus=tuple(SkuFigures(**figures) for figures in data["skus"]),
        low_stock=tuple(data["low_stock"]),
        out_of_stock=tuple(data["out_of_stock"]),
        without_cost=tuple(data["without_cost"]),
        truncated=bool(data["truncated"]),
    )


class InventoryReports:
    def __init__(
        self,
        store: ReportedStore,
        catalog: CatalogRepository,
        clock: Callable[[], datetime],
        max_age: timedelta = SNAPSHOT_MAX_AGE,
    ) -> None:
        self._store, self._catalog, self._clock, self._max_age = store, catalog, clock, max_age

    def report(self, limit: int | None = None, after: str | None = None) -> InventoryReport:
        """Totals over every SKU (up to MAX_SKUS); figures for the `limit` SKUs after `after`, by SKU. From
        the stored snapshot while it is younger than `max_age`; else computed, stored, then paged."""
        now = self._clock()
        whole = self._snapshot(now)
        if whole is None:
            whole = self.compute(now)
            record = Record(SNAPSHOT_KIND, SNAPSHOT_ID, {"json": json.dumps(report_data(whole))})
            self._store.apply(Change(writes=[Write(record, ANY_VERSION)]))
        return page_of(whole, limit or PAGE, after)

    def _snapshot(self, now: datetime) -> InventoryReport | None:
        record = self._store.get(SNAPSHOT_KIND, SNAPSHOT_ID)
        stored = report_from(json.loads(record.data["json"])) if record else None
        return stored if stored and now - stored.generated_at < self._max_age else None

    def compute(self, now: datetime) -> InventoryReport:
        """The report read now, from every SKU (up to MAX_SKUS): levels, policy and recent sales."""
        skus = self.skus()
        covered = sorted(skus[:MAX_SKUS])
        read = self._store.stock_and_policies(covered)
        shards = {sku: 1 + max((shard_of(lv.location) for lv in read[sku][0]), default=0) for sku in covered}
        with ThreadPoolExecutor(max_workers=READERS) as pool:
            sold = pool.map(lambda sku: self._sold_per_day(sku, shards[sku], now), covered)
            velocity = dict(zip(covered, sold, strict=True))
        stock = [
            SkuStock(
                sku=sku,
                levels=read[sku][0],
                policy=policy_from(record) if (record := read[sku][1]) else None,
                sold_per_day=velocity.get(sku, 0.0),
            )
            for sku in covered
        ]
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

    def _sold_per_day(self, sku: str, shards: int, now: datetime) -> float:
        recent = self._store.movements_since(sku, now - VELOCITY_WINDOW, shards, VELOCITY_MOVEMENTS)
        return units_sold_per_day(recent, now)
