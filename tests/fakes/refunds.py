"""The refund ledger and the pending refunds in memory, each change under the orders' lock so it is
all-or-nothing as the DynamoDB transaction is."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from commerce.domain.errors import Conflict
from commerce.domain.order import Order
from commerce.domain.refunds import PendingRefund, RefundCompletion, RefundExceedsCaptured, RefundRecord
from tests.fakes.orders import InMemoryOrders, InMemoryStock
from tests.fakes.outbox import InMemoryOutbox

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # a refund recorded without a time of its own


# refunds and restock
class InMemoryRefundLedger:
    def __init__(self) -> None:
        self.refunds: dict[str, dict[str, int]] = {}
        self.totals: dict[str, int] = {}
        self.by_bank: dict[str, int] = {}
        # what staff see of each refund, (order, refund) -> (status, reason, at): the pending refunds set it
        self.seen: dict[tuple[str, str], tuple[str, str, datetime]] = {}
        self._lock = threading.Lock()

    def reserve(self, order_id: str, refund_id: str, amount: int, captured: int) -> int:
        with self._lock:
            mine = self.refunds.setdefault(order_id, {})
            total = self.totals.get(order_id, 0)
            if refund_id in mine:
                return total
            if total + amount > captured:
                raise RefundExceedsCaptured(f"{amount} more would refund more than {captured}")
            mine[refund_id] = amount
            self.totals[order_id] = total + amount
            return total + amount

    def cancel(self, order_id: str, refund_id: str, amount: int) -> None:
        with self._lock:
            if self.refunds.get(order_id, {}).pop(refund_id, None) is not None:
                self.totals[order_id] -= amount

    def refunded(self, order_id: str) -> int:
        return self.totals.get(order_id, 0)

    def reserved(self, order_id: str, refund_id: str) -> int | None:
        return self.refunds.get(order_id, {}).get(refund_id)

    def record_outside(
        self, order_id: str, refund_id: str, amount: int, seen_refunded: int, by_bank: bool = False
    ) -> bool:
        with self._lock:
            mine = self.refunds.setdefault(order_id, {})
            if refund_id in mine:
                return False
            if self.totals.get(order_id, 0) != seen_refunded:
                raise Conflict("the refund ledger changed meanwhile")
            mine[refund_id] = amount
            self.totals[order_id] = seen_refunded + amount
            source = "bank" if by_bank else "outside_shop"
            status = "taken_by_bank" if by_bank else "refunded_outside_shop"
            self.seen[(order_id, refund_id)] = (status, source, _EPOCH)
            if by_bank:
                self.by_bank[order_id] = self.by_bank.get(order_id, 0) + amount
            return True

    def refunded_by_bank(self, order_id: str) -> int:
        return self.by_bank.get(order_id, 0)

    def for_order(self, order_id: str) -> list[RefundRecord]:
        records = [
            RefundRecord(refund_id, amount, *self.seen.get((order_id, refund_id), ("refunded", "", _EPOCH)))
            for refund_id, amount in self.refunds.get(order_id, {}).items()
        ]
        return sorted(records, key=lambda r: (r.created_at, r.id))


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
                self._ledger.seen[(refund.order_id, refund.refund_id)] = (
                    "pending",
                    refund.detail,
                    refund.requested_at,
                )
            if order is not None:
                self._orders.orders[order.id] = order

    def finish(self, done: RefundCompletion) -> None:
        refund, order = done.refund, done.order
        with self._orders._lock:
            self._orders._check(order, done.expected_version)
            if refund is not None and (refund.order_id, refund.refund_id) not in self.waiting:
                raise Conflict("the refund is no longer pending")
            if refund is not None:
                self.sent[(refund.order_id, refund.refund_id)] = self.waiting.pop(
                    (refund.order_id, refund.refund_id)
                )
                self._ledger.seen[(refund.order_id, refund.refund_id)] = (
                    "refunded",
                    refund.detail,
                    refund.requested_at,
                )
            if done.restock:
                for r in order.reservations:
                    where = (r.sku, r.location)
                    self._stock.on_hand[where] = self._stock.on_hand.get(where, 0) + r.quantity
                    self._orders._move(r, "adjustment", order.id, "cancelled")
            self._orders.orders[order.id] = order
            self.outbox.add(done.events)

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
