"""The order workflow's stock ledger, watched: after a sale or a release the inventory refreshes the
SKUs' reorder flags and announces their levels (StockChanged, StockLow, BackInStock)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from commerce.domain.errors import CommerceError
from commerce.domain.events import DomainEvent
from commerce.domain.inventory_ports import InventoryStore
from commerce.domain.order import Order
from commerce.domain.ports import StockLedger
from commerce.services.inventory import Inventory

logger = logging.getLogger(__name__)


class WatchedLedger:
    def __init__(self, ledger: StockLedger, store: InventoryStore, inventory: Inventory) -> None:
        self._ledger = ledger
        self._store = store
        self._inventory = inventory

    def sell(self, order: Order, expected_version: int) -> None:
        before = self._available(order)
        self._ledger.sell(order, expected_version)
        self._refresh(order, before)

    def release(
        self, order: Order, expected_version: int, reason: str, events: Sequence[DomainEvent] = ()
    ) -> None:
        before = self._available(order)
        self._ledger.release(order, expected_version, reason, events)
        self._refresh(order, before)

    def _available(self, order: Order) -> dict[str, int]:
        skus = sorted({r.sku for r in order.reservations})
        return {sku: sum(level.available for level in self._store.levels(sku)) for sku in skus}

    def _refresh(self, order: Order, before: dict[str, int]) -> None:
        # The order's change is committed: a failure here must not fail (and so repeat) the workflow step.
        # The flags are set again at the SKU's next change; the restock job re-reads stock before drafting.
        try:
            self._inventory.refresh(sorted(before), before)
        except CommerceError:
            logger.exception("stock refresh after an order change failed", extra={"order_id": order.id})
