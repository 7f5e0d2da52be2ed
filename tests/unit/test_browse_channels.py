"""Browsing as a sales channel: its products, its price list's currency, its locations' stock."""

from __future__ import annotations

import pytest

from commerce.domain.catalog import Availability
from commerce.domain.channels import Channel
from commerce.domain.errors import NotFound, UnsupportedCurrency
from commerce.services.browse import Browse, ProductQuery
from commerce.services.channels import ChannelScope, channel_record
from commerce.services.pagination import CursorCodec
from tests.fakes.catalog import InMemoryCatalog
from tests.fakes.inventory import InMemoryInventory
from tests.fakes.orders import InMemoryStock

from .catalog_builders import category, product


@pytest.fixture
def browse() -> Browse:
    catalog, stock, store = InMemoryCatalog(), InMemoryStock(), InMemoryInventory()
    catalog.save_category(category("shoes"))
    for pid in ("P1", "P2", "P3"):
        catalog.save_product(product(pid))
    for sku in (v.sku for p in catalog.products.values() for v in p.variants):
        stock.receive(sku, "north", 10, "t")
    for channel in (Channel("web", "EUR"), Channel("pos:store-1", "USD", ("store-1",), ("P1", "P3"))):
        store.records[("channel", channel.id, None)] = channel_record(channel)

    def available_at(skus, locations):
        held = stock.on_hand.items()
        return {sku: sum(n for (s, loc), n in held if s == sku and loc in locations) for sku in skus}

    scope = ChannelScope(store, available_at)
    return Browse(catalog, stock, CursorCodec(lambda: b"k" * 32), ["EUR", "USD", "JPY"], "en", scope)


def test_without_a_channel_browse_is_the_storefront_as_before(browse: Browse) -> None:
    page = browse.list_products(ProductQuery(currency="EUR", locale="en", limit=10))
    assert [p.id for p in page.items] == ["P1", "P2", "P3"]
    assert page.items[0].variants[0].availability == Availability.IN_STOCK


def test_a_channel_lists_only_its_products_in_its_currency_with_its_locations_stock(browse: Browse) -> None:
    assert browse.channel_currency("pos:store-1") == "USD"
    page = browse.list_products(ProductQuery(currency="USD", locale="en", limit=10, channel="pos:store-1"))
    assert [p.id for p in page.items] == ["P1", "P3"]
    everywhere = browse.get_product("P1", "USD", "en")
    at_the_store = browse.get_product("P1", "USD", "en", channel_id="pos:store-1")
    assert everywhere.variants[0].availability == Availability.IN_STOCK
    assert at_the_store.variants[0].availability == Availability.OUT_OF_STOCK
    with pytest.raises(NotFound):
        browse.get_product("P2", "USD", "en", channel_id="pos:store-1")


def test_a_channel_refuses_another_currency_and_an_unknown_channel_is_not_found(browse: Browse) -> None:
    with pytest.raises(UnsupportedCurrency):
        browse.list_products(ProductQuery(currency="EUR", locale="en", channel="pos:store-1"))
    with pytest.raises(NotFound):
        browse.get_product("P1", "EUR", "en", channel_id="marketplace:nobody")
