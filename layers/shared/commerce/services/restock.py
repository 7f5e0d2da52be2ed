"""Restocking: the scheduled job that drafts purchase orders for SKUs at or below their reorder point, and
the purchase orders' life (sent to the supplier, received into stock, a receipt movement per line).

Its events (PurchaseOrderCreated, PurchaseOrderSent, StockReceived) are written in the outbox by the inventory
store's transaction that makes the change (`Change.events`), then delivered by the relay; a crash in between
leaves them for the sweeper (docs/architecture.md, "The outbox")."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from commerce.domain.errors import Conflict, NotFound
from commerce.domain.events import DomainEvent
from commerce.domain.inventory import (
    Movement,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderStatus,
    Reason,
    as_dict,
    draft_purchase_orders,
)
from commerce.domain.inventory_ports import Change, InventoryStore, Write
from commerce.domain.inventory_ports import Record as StoredRecord
from commerce.domain.inventory_report import units_sold_per_day
from commerce.services.inventory import REORDER_INDEX, Inventory, policy_from
from commerce.services.outbox import OutboxRelay

OPEN_INDEX = "PURCHASE_ORDERS#open"  # sparse: only draft, sent and partially received orders are listed
VELOCITY_MOVEMENTS = 500  # newest movements read per SKU to measure its sales


@dataclass(frozen=True, slots=True)
class RestockReport:
    low: int
    drafted: tuple[str, ...]


def po_record(order: PurchaseOrder) -> StoredRecord:
    closed = order.status is PurchaseOrderStatus.RECEIVED
    return StoredRecord(
        kind="purchase_order",
        id=order.id,
        data=as_dict(order),
        version=order.version + 1,
        index=None if closed else OPEN_INDEX,
        index_sort=order.created_at.isoformat(),
    )


def po_from(record: StoredRecord) -> PurchaseOrder:
    data = dict(record.data)
    return PurchaseOrder(
        id=data["id"],
        supplier=data["supplier"],
        location=data["location"],
        lines=tuple(PurchaseOrderLine(**line) for line in data["lines"]),
        status=PurchaseOrderStatus(data["status"]),
        created_at=datetime.fromisoformat(data["created_at"]),
        version=data["version"],
    )


def _event(event_type: str, order: PurchaseOrder, at: datetime) -> DomainEvent:
    data: dict[str, Any] = {
        "purchase_order_id": order.id,
        "supplier": order.supplier,
        "location": order.location,
        "lines": [{"sku": line.sku, "quantity": line.quantity} for line in order.lines],
    }
    return DomainEvent(event_type, at, data)


class Restock:
    def __init__(
        self,
        store: InventoryStore,
        inventory: Inventory,
        relay: OutboxRelay,
        clock: Callable[[], datetime],
    ) -> None:
        self._store = store
        self._inventory = inventory
        self._relay = relay
        self._clock = clock

    # the scheduled job
    def run(self) -> RestockReport:
        """Drafts one purchase order per supplier and delivery location for the SKUs at or below their
        reorder point that no open purchase order covers yet; a second run finds them covered."""
        now = self._clock()
        flagged = [policy_from(r) for r in self._store.indexed(REORDER_INDEX)]
        # The flag is set after each change; read the stock again so a stale flag drafts nothing.
        low = [p for p in flagged if p.needs_restock(self._available(p.sku))]
        open_orders = [po_from(r) for r in self._store.indexed(OPEN_INDEX)]
        covered = {line.sku for order in open_orders for line in order.lines}
        velocity = {p.sku: self.sales_per_day(p.sku, now) for p in low}
        drafted: list[PurchaseOrder] = []
        for (supplier, location), lines in draft_purchase_orders(low, covered, velocity).items():
            order = PurchaseOrder(
                id=_draft_id(supplier, location, lines, now),
                supplier=supplier,
                location=location,
                lines=tuple(lines),
                status=PurchaseOrderStatus.DRAFT,
                created_at=now,
            )
            created = [_event("PurchaseOrderCreated", order, now)]
            try:
                self._store.apply(Change(writes=[Write(po_record(order), None)], events=created))
            except Conflict:
                continue  # a run at the same time drafted this very order
            self._relay.deliver(created)
            drafted.append(order)
        return RestockReport(low=len(low), drafted=tuple(order.id for order in drafted))

    def sales_per_day(self, sku: str, now: datetime) -> float:
        return units_sold_per_day(self._store.movements(sku, VELOCITY_MOVEMENTS), now)

    def _available(self, sku: str) -> int:
        return sum(level.available for level in self._store.levels(sku))

    # purchase orders
    def purchase_order(self, order_id: str) -> PurchaseOrder:
        found = self._store.get("purchase_order", order_id)
        if found is None:
            raise NotFound(f"no purchase order {order_id}")
        return po_from(found)

    def open_purchase_orders(self) -> list[PurchaseOrder]:
        return [po_from(r) for r in self._store.indexed(OPEN_INDEX)]

    def send(self, order_id: str) -> PurchaseOrder:
        order = self.purchase_order(order_id)
        sent = order.sent()
        announced = [_event("PurchaseOrderSent", sent, self._clock())]
        self._store.apply(Change(writes=[Write(po_record(sent), order.version + 1)], events=announced))
        self._relay.deliver(announced)
        return sent

    def receive(self, order_id: str, quantities: Mapping[str, int], note: str = "") -> PurchaseOrder:
        """Books a delivery: a receipt movement per line at the order's location, with the order's new
        state, in one transaction."""
        order = self.purchase_order(order_id)
        received = order.receive(quantities)
        now = self._clock()
        movements = [
            Movement(sku, order.location, Reason.RECEIPT, units, now, order.id, note)
            for sku, units in sorted(quantities.items())
            if units > 0
        ]
        stock_received = DomainEvent(
            "StockReceived",
            now,
            {
                "purchase_order_id": order.id,
                "location": order.location,
                "lines": [{"sku": m.sku, "quantity": m.quantity} for m in movements],
            },
        )
        self._inventory.commit(
            Change(
                movements=movements,
                writes=[Write(po_record(received), order.version + 1)],
                events=[stock_received],
            )
        )
        self._relay.deliver([stock_received])
        return received


def _draft_id(supplier: str, location: str, lines: list[PurchaseOrderLine], now: datetime) -> str:
    # The same SKUs for the same supplier in the same hour get the same id: concurrent runs draft it once.
    basis = "|".join([supplier, location, now.strftime("%Y%m%d%H"), *sorted(line.sku for line in lines)])
    return "po-" + hashlib.sha256(basis.encode()).hexdigest()[:16]
