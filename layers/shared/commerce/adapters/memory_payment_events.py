"""The in-memory fake of the PaymentEventLog, over the in-memory orders: the order, the event's record and its
domain events (in the orders' outbox) in one step, or nothing."""

from __future__ import annotations

from collections.abc import Sequence

from commerce.adapters.memory import InMemoryOrders
from commerce.domain.events import DomainEvent
from commerce.domain.order import Order
from commerce.domain.payment_events import DuplicateEvent


class InMemoryPaymentEventLog:
    def __init__(self, orders: InMemoryOrders) -> None:
        self.orders = orders
        self.applied: set[str] = set()  # the provider event ids recorded

    def apply(
        self, event_id: str, order: Order, expected_version: int, events: Sequence[DomainEvent] = ()
    ) -> None:
        if event_id in self.applied:
            raise DuplicateEvent(event_id)
        self.orders.save(order, expected_version, events)  # Conflict before anything is recorded
        self.applied.add(event_id)

    def remember(self, event_id: str) -> bool:
        if event_id in self.applied:
            return False
        self.applied.add(event_id)
        return True
