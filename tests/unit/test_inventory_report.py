"""The staff inventory report on the in-memory store: value at cost, low and out of stock, days of cover."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from commerce.domain.errors import ValidationFailed
from commerce.domain.inventory import Movement, Reason, ReorderPolicy
from commerce.domain.inventory_ports import Change
from commerce.services.inventory import Inventory
from commerce.services.inventory_report import InventoryReports
from tests.fakes.catalog import InMemoryCatalog
from tests.fakes.events import InMemoryEvents
from tests.fakes.inventory import InMemoryInventory
from tests.unit.catalog_builders import product, variant

NOW = datetime(2026, 11, 27, 9, tzinfo=UTC)


def _sell(store: InMemoryInventory, sku: str, units: int, at: datetime, order: str) -> None:
    store.apply(Change(movements=[Movement(sku, "north", Reason.RESERVATION, units, at, order)]))
    store.apply(Change(movements=[Movement(sku, "north", Reason.SALE, units, at, order)]))


@pytest.fixture
def world():
    store, catalog = InMemoryInventory(), InMemoryCatalog()
    inventory = Inventory(store, InMemoryEvents(), lambda: NOW)
    for loc in ("north", "south"):
        inventory.save_location(loc, loc.title(), "warehouse", {})
    catalog.products["p1"] = product("p1", variants=(variant("BOOT-M"), variant("BOOT-L"), variant("CAP")))
    # max_age 0: every report is read afresh (the snapshot has its own test)
    return inventory, store, catalog, InventoryReports(store, catalog, lambda: NOW, timedelta(0))


def test_stock_is_valued_at_cost_per_location_and_in_each_cost_currency(world):
    inventory, _, _, reports = world
    inventory.receive("BOOT-M", "north", 10)
    inventory.receive("BOOT-M", "south", 3)
    inventory.receive("BOOT-L", "north", 4)
    inventory.set_reorder_policy(ReorderPolicy("BOOT-M", 2, 10, "acme", 7, "north", 1250, "EUR"))
    inventory.set_reorder_policy(ReorderPolicy("BOOT-L", 2, 10, "acme", 7, "north", 900, "USD"))
    report = reports.report()
    by_location = {loc.location: loc for loc in report.locations}
    assert by_location["north"].value == {"EUR": 10 * 1250, "USD": 4 * 900}
    assert by_location["north"].units == 14
    assert by_location["south"].value == {"EUR": 3 * 1250}
    assert report.without_cost == ()


def test_skus_without_a_cost_are_listed_apart_and_valued_nowhere(world):
    inventory, _, _, reports = world
    inventory.receive("BOOT-M", "north", 10)
    inventory.receive("CAP", "north", 6)
    inventory.set_reorder_policy(ReorderPolicy("BOOT-M", 2, 10, "acme", 7, "north", 1250, "EUR"))
    report = reports.report()
    (north,) = report.locations
    assert north.value == {"EUR": 12500}
    assert north.units_without_cost == 6
    assert report.without_cost == ("CAP",)


def test_low_stock_is_at_or_below_the_reorder_point_and_out_of_stock_is_nothing_available(world):
    inventory, _, _, reports = world
    inventory.receive("BOOT-M", "north", 5)
    inventory.receive("BOOT-L", "north", 6)
    for sku in ("BOOT-M", "BOOT-L", "CAP"):
        inventory.set_reorder_policy(ReorderPolicy(sku, 5, 10, "acme", 7, "north"))
    report = reports.report()
    assert report.low_stock == ("BOOT-M",)
    assert report.out_of_stock == ("CAP",)


def test_days_of_cover_divide_what_is_available_by_the_units_sold_per_day_over_28_days(world):
    inventory, store, _, reports = world
    inventory.receive("BOOT-M", "north", 200)
    for day in range(28):
        _sell(store, "BOOT-M", 2, NOW - timedelta(days=day), f"o{day}")
    _sell(store, "BOOT-M", 50, NOW - timedelta(days=40), "old")  # outside the window
    figures = {s.sku: s for s in reports.report().skus}
    assert figures["BOOT-M"].available == 200 - 56 - 50
    assert figures["BOOT-M"].sold_per_day == 2.0
    assert figures["BOOT-M"].days_of_cover == round((200 - 56 - 50) / 2, 1)
    assert figures["BOOT-L"].days_of_cover is None  # nothing sold


def test_a_retired_skus_still_in_the_reorder_index_is_reported(world):
    inventory, _, _, reports = world
    inventory.receive("OLD-SKU", "north", 1)
    inventory.set_reorder_policy(ReorderPolicy("OLD-SKU", 3, 10, "acme", 7, "north", 100, "EUR"))
    assert "OLD-SKU" in {s.sku for s in reports.report().skus}
    assert "OLD-SKU" in reports.report().low_stock


def test_a_unit_cost_needs_its_currency_and_cannot_be_negative():
    with pytest.raises(ValidationFailed):
        ReorderPolicy("A", 1, 1, "acme", 1, "north", 100, None)
    with pytest.raises(ValidationFailed):
        ReorderPolicy("A", 1, 1, "acme", 1, "north", -1, "EUR")


def test_a_catalog_larger_than_one_report_reads_is_truncated_keeping_the_low_skus(world, monkeypatch):
    inventory, _, _, reports = world
    inventory.set_reorder_policy(ReorderPolicy("CAP", 5, 10, "acme", 7, "north"))  # none: low
    monkeypatch.setattr("commerce.services.inventory_report.MAX_SKUS", 1)
    truncated = reports.report()
    assert truncated.truncated is True
    assert [s.sku for s in truncated.skus] == ["CAP"]
    monkeypatch.setattr("commerce.services.inventory_report.MAX_SKUS", 3)
    assert reports.report().truncated is False
    assert len(reports.report().skus) == 3


def test_the_skus_figures_come_in_pages_while_the_totals_cover_every_sku(world):
    inventory, store, _, reports = world
    for sku, units in (("BOOT-M", 4), ("BOOT-L", 0), ("CAP", 2)):
        if units:
            inventory.receive(sku, "north", units)
    _sell(store, "CAP", 1, NOW - timedelta(days=1), "o-1")

    first = reports.report(limit=2)
    second = reports.report(limit=2, after=first.next_after)

    assert [s.sku for s in first.skus] == ["BOOT-L", "BOOT-M"] and first.next_after == "BOOT-M"
    assert [s.sku for s in second.skus] == ["CAP"] and second.next_after is None
    assert second.skus[0].sold_per_day == round(1 / 28, 3)
    for page in (first, second):  # every page carries the totals of all three SKUs
        assert {loc.location: loc.units for loc in page.locations}["north"] == 5
        assert page.out_of_stock == ("BOOT-L",)


def test_a_report_is_served_from_its_snapshot_while_it_is_younger_than_a_minute(world):
    inventory, store, catalog, _ = world
    clock = [NOW]
    reports = InventoryReports(store, catalog, lambda: clock[0])
    inventory.receive("CAP", "north", 2)
    first = reports.report()

    inventory.receive("CAP", "north", 5)
    clock[0] = NOW + timedelta(seconds=59)
    assert reports.report() == first  # the snapshot: generated_at says how old the figures are

    clock[0] = NOW + timedelta(seconds=60)
    fresh = reports.report()
    assert fresh.generated_at == clock[0]
    assert {s.sku: s.on_hand for s in fresh.skus}["CAP"] == 7
