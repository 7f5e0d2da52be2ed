"""Inventory: the stock ledger, locations, restocking, sales channels and the staff's inventory report."""

# ruff: noqa: PLC0415 - a factory imports what only it builds, so a function loads what it is wired with

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from commerce.composition.adapters import Adapters, adapters, now
from commerce.config import Settings
from commerce.services.channels import Channels, ChannelScope
from commerce.services.inventory import Inventory

if TYPE_CHECKING:
    from commerce.domain.ports import StockLedger
    from commerce.services.inventory_lists import InventoryLists
    from commerce.services.inventory_report import InventoryReports
    from commerce.services.restock import Restock
    from commerce.services.stock_watch import WatchedLedger


class Stockroom:
    """The inventory and the channels, wired together: StockChanged carries what each channel may sell."""

    def __init__(self, found: Adapters) -> None:
        catalog = found.catalog
        self.inventory = Inventory(found.inventory, found.events, now, relay=found.relay)
        self.channels = Channels(
            found.inventory,
            self.inventory,
            now,
            sku_products=lambda skus: {sku: r.product_id for sku, r in catalog.get_skus(skus).items()},
            relay=found.relay,
            known_products=lambda ids: catalog.get_products(ids).keys(),
        )
        self.inventory.channel_availability = self.channels.availability


def stockroom(settings: Settings | None = None, client: Any = None) -> Stockroom:
    found = adapters(settings, client)
    return found.settings.kept(("stockroom", id(found)), lambda: Stockroom(found))


def inventory(settings: Settings | None = None, client: Any = None) -> Inventory:
    return stockroom(settings, client).inventory


def channels(settings: Settings | None = None, client: Any = None) -> Channels:
    return stockroom(settings, client).channels


def restock(settings: Settings | None = None, client: Any = None) -> Restock:
    from commerce.services.restock import Restock

    found = adapters(settings, client)
    return Restock(found.inventory, inventory(found.settings, client), found.relay, now)


def watched_ledger(settings: Settings, ledger: StockLedger, client: Any = None) -> WatchedLedger:
    """The order ledger, raising reorder flags and stock events as a sale or a release moves the stock."""
    from commerce.services.stock_watch import WatchedLedger

    found = adapters(settings, client)
    return WatchedLedger(ledger, found.inventory, inventory(settings, client))


def channel_scope(settings: Settings, client: Any = None) -> ChannelScope:
    found = adapters(settings, client)
    return ChannelScope(found.inventory, found.stock.available_at)


def inventory_reports(settings: Settings | None = None, client: Any = None) -> InventoryReports:
    """The staff inventory report (GET /admin/reports/inventory, the reports function)."""
    from commerce.services.inventory_report import InventoryReports

    found = adapters(settings, client)
    return InventoryReports(found.inventory, found.catalog, now)


def inventory_lists(settings: Settings | None = None, client: Any = None) -> InventoryLists:
    """Staff's paged lists: a SKU's movements, every transfer."""
    from commerce.services.inventory_lists import InventoryLists

    found = adapters(settings, client)
    return InventoryLists(found.inventory, found.cursors)
