"""The catalog: browsing it, and the staff's products, prices and stock receipts."""

# ruff: noqa: PLC0415 - a factory imports what only it builds, so a function loads what it is wired with

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from commerce.composition.adapters import adapters
from commerce.composition.inventory import channel_scope
from commerce.config import Settings

if TYPE_CHECKING:
    from commerce.services.browse import Browse
    from commerce.services.catalog_admin import CatalogAdmin
    from commerce.services.product_finder import ProductFinder


def browse(settings: Settings | None = None, client: Any = None) -> Browse:
    from commerce.services.browse import Browse

    found = adapters(settings, client)
    shop = found.settings.shop
    return Browse(
        catalog=found.catalog,
        stock=found.stock,
        cursors=found.cursors,
        currencies=shop.supported_currencies,
        default_locale=shop.default_locale,
        channels=channel_scope(found.settings, client),  # browse per sales channel
    )


def catalog_admin(settings: Settings | None = None, client: Any = None) -> CatalogAdmin:
    """CatalogAdmin for the demo data and tests: any currency."""
    from commerce.services.catalog_admin import CatalogAdmin

    found = adapters(settings, client)
    return CatalogAdmin(found.catalog, found.stock)


def staff_catalog(settings: Settings | None = None, client: Any = None) -> CatalogAdmin:
    """CatalogAdmin for the staff API: prices only in the shop's currencies."""
    from commerce.services.catalog_admin import CatalogAdmin

    found = adapters(settings, client)
    return CatalogAdmin(found.catalog, found.stock, currencies=found.settings.shop.supported_currencies)


def product_finder(settings: Settings | None = None, client: Any = None) -> ProductFinder:
    """Staff's product list and search, drafts and archived products included."""
    from commerce.services.product_finder import ProductFinder

    found = adapters(settings, client)
    return ProductFinder(found.catalog, found.cursors)
