"""The in-memory fake of the PaymentEventLog, over the in-memory orders: both writes or neither."""

from __future__ import annotations

from collections.abc import Sequence

from commerce.adapters.memory import InMemoryOrders
from commerce.domain.events import DomainEvent
from commerce.domain.order import Order
from commerce.domain.payment_events import DuplicateEvent


class InMemoryPaymentEventLog:
    def __init__(self, orders: InMemoryOrders) -> None:
        self.orders = orders
        self.applied: dict[str, list[DomainEvent]] = {}  # event id -> events not announced yet

    def apply(
        self, event_id: str, order: Order, expected_version: int, announce: Sequence[DomainEvent] = ()
    ) -> None:
        if event_id in self.applied:
            raise DuplicateEvent(event_id)
        self.orders.save(order, expected_version)  # Conflict before anything is recorded
        self.applied[event_id] = list(announce)

    def remember(self, event_id: str) -> bool:
        if event_id in self.applied:
            return False
        self.applied[event_id] = []
        return True

    def unannounced(self, event_id: str) -> list[DomainEvent]:
        return list(self.applied.get(event_id, []))

    def announced(self, event_id: str) -> None:
        self.applied[event_id] = []
