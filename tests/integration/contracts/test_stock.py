"""The StockLevels: receipts add units on hand at a location, and what is available sums the locations
less what orders hold reserved."""

from __future__ import annotations

import pytest

from commerce.domain.errors import ValidationFailed

from .conftest import Shop, a_sku, placed


def test_receipts_add_up_over_locations(shop: Shop) -> None:
    sku = a_sku(shop, paris=2, berlin=3)

    shop.stock.receive(sku, "paris", 1, "restock")

    assert shop.stock.available([sku]) == {sku: 6}


def test_a_sku_never_received_has_none_available(shop: Shop) -> None:
    assert shop.stock.available(["C-NEVER-RECEIVED"]) == {"C-NEVER-RECEIVED": 0}


def test_a_receipt_of_nothing_is_refused(shop: Shop) -> None:
    sku = a_sku(shop, paris=1)

    with pytest.raises(ValidationFailed):
        shop.stock.receive(sku, "paris", 0, "nothing")

    assert shop.stock.available([sku]) == {sku: 1}


def test_units_reserved_by_an_order_are_not_available(shop: Shop) -> None:
    _, sku = placed(shop, units=2)

    assert shop.stock.available([sku]) == {sku: 4}
    shop.stock.receive(sku, "berlin", 3, "restock")
    assert shop.stock.available([sku]) == {sku: 7}
