"""PendingRefunds in memory, over the orders, stock, refund-ledger and outbox fakes, each change under the
orders' lock so it is all-or-nothing as the DynamoDB transaction is."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from commerce.adapters.memory import InMemoryOrders, InMemoryStock
from commerce.adapters.memory_notifications import InMemoryRefundLedger
from commerce.adapters.memory_outbox import InMemoryOutbox
from commerce.domain.errors import Conflict
from commerce.domain.events import DomainEvent
from commerce.domain.order import Order
from commerce.domain.refunds import PendingRefund, RefundExceedsCaptured


class InMemoryPendingRefunds:
    def __init__(
        self,
        orders: InMemoryOrders,
        stock: InMemoryStock,
        ledger: InMemoryRefundLedger,
        outbox: InMemoryOutbox,
    ) -> None:
        self._orders, self._stock, self._ledger, self.outbox = orders, stock, ledger, outbox
        self.waiting: dict[tuple[str, str], PendingRefund] = {}
        self.sent: dict[tuple[str, str], PendingRefund] = {}

    def begin(
        self, refund: PendingRefund | None, captured: int, order: Order | None, expected_version: int
    ) -> None:
        with self._orders._lock:
            if order is not None:
                self._orders._check(order, expected_version)
            if refund is not None and self._ledger.reserved(refund.order_id, refund.refund_id) is None:
                if self._ledger.refunded(refund.order_id) + refund.amount > captured:
                    raise RefundExceedsCaptured(f"{refund.amount} more would refund more than {captured}")
                self._ledger.reserve(refund.order_id, refund.refund_id, refund.amount, captured)
                self.waiting[(refund.order_id, refund.refund_id)] = refund
            if order is not None:
                self._orders.orders[order.id] = order

    def finish(
        self,
        refund: PendingRefund | None,
        order: Order,
        expected_version: int,
        events: Sequence[DomainEvent],
        restock: bool = False,
    ) -> None:
        with self._orders._lock:
            self._orders._check(order, expected_version)
            if refund is not None and (refund.order_id, refund.refund_id) not in self.waiting:
                raise Conflict("the refund is no longer pending")
            if refund is not None:
                self.sent[(refund.order_id, refund.refund_id)] = self.waiting.pop(
                    (refund.order_id, refund.refund_id)
                )
            if restock:
                for r in order.reservations:
                    where = (r.sku, r.location)
                    self._stock.on_hand[where] = self._stock.on_hand.get(where, 0) + r.quantity
                    self._orders._move(r, "adjustment", order.id, "cancelled")
            self._orders.orders[order.id] = order
            self.outbox.add(events)

    def abandon(self, refund: PendingRefund | None, order: Order | None, expected_version: int) -> None:
        with self._orders._lock:
            if order is not None:
                self._orders._check(order, expected_version)
            if refund is not None:
                if self.waiting.pop((refund.order_id, refund.refund_id), None) is None:
                    raise Conflict("the refund is no longer pending")
                self._ledger.cancel(refund.order_id, refund.refund_id, refund.amount)
            if order is not None:
                self._orders.orders[order.id] = order

    def get(self, order_id: str, refund_id: str) -> PendingRefund | None:
        return self.waiting.get((order_id, refund_id))

    def pending(self, requested_before: datetime, limit: int) -> list[PendingRefund]:
        due = [r for r in self.waiting.values() if r.requested_at < requested_before]
        return sorted(due, key=lambda r: r.requested_at)[:limit]
