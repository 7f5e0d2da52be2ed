"""In-memory fakes of issue 5's ports: an outbox, the sent-email record, the refund ledger and restock."""

from __future__ import annotations

import threading

from commerce.adapters.memory import InMemoryOrders, InMemoryStock
from commerce.domain.errors import DependencyFailed
from commerce.domain.notifications import Email
from commerce.domain.order import Order
from commerce.domain.refunds import RefundExceedsCaptured


class InMemoryMailer:
    def __init__(self) -> None:
        self.sent: list[Email] = []
        self.fail_for: set[str] = set()  # recipients whose email the provider refuses

    def send(self, email: Email) -> str:
        if email.to in self.fail_for:
            raise DependencyFailed("the mail provider refused the email")
        self.sent.append(email)
        return f"msg-{len(self.sent)}"


class InMemorySentEmails:
    def __init__(self) -> None:
        self.keys: dict[str, str] = {}

    def claim(self, idempotency_key: str, order_id: str) -> bool:
        if idempotency_key in self.keys:
            return False
        self.keys[idempotency_key] = order_id
        return True

    def release(self, idempotency_key: str) -> None:
        self.keys.pop(idempotency_key, None)


# ---- refunds and restock (issue 5)
class InMemoryRefundLedger:
    def __init__(self) -> None:
        self.refunds: dict[str, dict[str, int]] = {}
        self.totals: dict[str, int] = {}
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

    def catch_up(self, order_id: str, captured: int, cumulative: int) -> bool:
        with self._lock:
            if self.totals.get(order_id, 0) >= cumulative:
                return False
            self.totals[order_id] = cumulative
            return True


class InMemoryRestock:
    def __init__(self, orders: InMemoryOrders, stock: InMemoryStock) -> None:
        self._orders, self._stock = orders, stock

    def restock(self, order: Order, expected_version: int, reason: str) -> None:
        with self._orders._lock:
            self._orders._check(order, expected_version)
            for r in order.reservations:
                where = (r.sku, r.location)
                self._stock.on_hand[where] = self._stock.on_hand.get(where, 0) + r.quantity
                self._orders._move(r, "adjustment", order.id, reason)
            self._orders.orders[order.id] = order
