"""The payment gateway and the payment event log in memory."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from commerce.domain.errors import (
    InvalidState,
    NotFound,
    PaymentDeclined,
)
from commerce.domain.events import DomainEvent
from commerce.domain.order import Order
from commerce.domain.payment_events import DuplicateEvent
from commerce.domain.ports import PaymentIntent
from tests.fakes.orders import InMemoryOrders


class InMemoryPayments:
    """A PaymentGateway that keeps intents in a dict; `fail_next` makes the next call raise it."""

    def __init__(self) -> None:
        self.intents: dict[str, PaymentIntent] = {}
        self.by_order: dict[str, str] = {}
        self.refunds: dict[str, tuple[str, int]] = {}
        self.fail_next: Exception | None = None
        self.cancel_calls = 0

    def _maybe_fail(self) -> None:
        if self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error

    def create_intent(self, order: Order) -> PaymentIntent:
        self._maybe_fail()
        if order.id in self.by_order:
            return self.intents[self.by_order[order.id]]
        intent = PaymentIntent(
            id=f"pi_{len(self.intents) + 1}",
            status="requires_payment_method",
            amount=order.totals.total.amount,
            currency=order.currency,
            client_secret=f"pi_{len(self.intents) + 1}_secret",
            order_id=order.id,
        )
        self.intents[intent.id] = intent
        self.by_order[order.id] = intent.id
        return intent

    def succeed(self, intent_id: str, risk_level: str | None = None) -> None:
        self.intents[intent_id] = replace(self.intents[intent_id], status="succeeded", risk_level=risk_level)

    def cancel_intent(self, intent_id: str) -> PaymentIntent:
        self._maybe_fail()
        self.cancel_calls += 1
        intent = self.retrieve(intent_id)
        if intent.status == "succeeded":
            raise InvalidState("the payment succeeded; refund it instead")
        canceled = replace(intent, status="canceled")
        self.intents[intent_id] = canceled
        return canceled

    def refund(self, intent_id: str, amount: int, idempotency_key: str | None = None) -> str:
        self._maybe_fail()
        key = idempotency_key or f"refund-{intent_id}-{amount}"
        if key not in self.refunds:
            if self.retrieve(intent_id).status != "succeeded":
                raise PaymentDeclined("nothing to refund")
            self.refunds[key] = (intent_id, amount)
        return f"re_{key}"

    def retrieve(self, intent_id: str) -> PaymentIntent:
        if intent_id not in self.intents:
            raise NotFound("no such payment")
        return self.intents[intent_id]


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
