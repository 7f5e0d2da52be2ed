"""Builders for customer tests: a clock, the use case wired to in-memory fakes, addresses and orders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from commerce.domain.customer import AddressInput
from commerce.domain.identity import Principal
from commerce.domain.money import Money
from commerce.domain.order_history import OrderRecord
from commerce.domain.order_lines import OrderLine, OrderTotals
from commerce.services.customers import Customers
from commerce.services.pagination import CursorCodec
from tests.fakes.carts import InMemoryCarts
from tests.fakes.customers import InMemoryCustomers, InMemoryOrderHistory


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@dataclass
class World:
    customers: Customers
    repo: InMemoryCustomers
    orders: InMemoryOrderHistory
    carts: InMemoryCarts
    clock: Clock


def world() -> World:
    clock = Clock()
    carts = InMemoryCarts()
    repo = InMemoryCustomers(carts)
    orders = InMemoryOrderHistory()
    service = Customers(
        customers=repo,
        orders=orders,
        carts=carts,
        cursors=CursorCodec(lambda: b"unit-test-key"),
        currencies=("EUR", "USD", "JPY"),
        clock=clock,
    )
    return World(service, repo, orders, carts, clock)


ALICE = Principal(subject="sub-alice", email="Alice.Martin@Example.COM")
BOB = Principal(subject="sub-bob", email="bob@example.org")


# An address as the API takes it (`POST /me/addresses`).
ADA_HOME = {
    "label": "Home",
    "recipient_name": "Ada Lovelace",
    "line1": "12 rue de Rivoli",
    "city": "Paris",
    "postal_code": "75001",
    "country": "FR",
    "phone": "+33 1 23 45 67 89",
}


def paris(**overrides: Any) -> AddressInput:
    fields: dict[str, Any] = {
        "recipient_name": "Alice Martin",
        "line1": "12 rue de Rivoli",
        "city": "Paris",
        "postal_code": "75001",
        "country": "FR",
        "label": "Home",
        "phone": "+33 1 23 45 67 89",
    }
    return AddressInput(**(fields | overrides))


def order(
    order_id: str, customer_id: str | None, created_at: datetime, email: str = "alice.martin@example.com"
) -> OrderRecord:
    def eur(amount: int) -> Money:
        return Money(amount, "EUR")

    address = {
        "recipient_name": "Alice Martin",
        "line1": "12 rue de Rivoli",
        "city": "Paris",
        "postal_code": "75001",
        "country": "FR",
        "phone": "+33 1 23 45 67 89",
    }
    return OrderRecord(
        id=order_id,
        status="paid",
        currency="EUR",
        totals=OrderTotals(eur(2000), eur(400), eur(500), eur(0), eur(2900)),
        lines=(OrderLine("RUN-40", "Runner", 2, eur(1000), eur(2000)),),
        created_at=created_at,
        customer_id=customer_id,
        email=email,
        shipping_address=address,
        billing_address=address,
    )
