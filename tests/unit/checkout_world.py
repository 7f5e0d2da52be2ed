"""A shop made of in-memory fakes: catalog, stock, carts, orders, payments, workflow and event bus."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from commerce.domain.cart import CartPolicy
from commerce.domain.customer import AddressInput
from commerce.domain.fraud import FraudPolicy
from commerce.services.carts import Carts
from commerce.services.checkout import Checkout, CheckoutRequest
from commerce.services.order_workflow import OrderWorkflow
from commerce.services.outbox import OutboxRelay
from tests.fakes.carts import InMemoryCarts
from tests.fakes.catalog import InMemoryCatalog
from tests.fakes.events import InMemoryEvents
from tests.fakes.orders import InMemoryOrders, InMemoryStock, InMemoryWorkflow
from tests.fakes.payments import InMemoryPayments

from .catalog_builders import category, product, variant

PAYMENT_TIMEOUT = timedelta(minutes=15)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


def paris(**changes: str) -> AddressInput:
    fields = {
        "recipient_name": "Ada Lovelace",
        "line1": "1 rue de Rivoli",
        "city": "Paris",
        "postal_code": "75001",
    }
    fields.update(changes)
    return AddressInput(country=fields.pop("country", "FR"), **fields)


def request(email: str = "ada@example.com", billing_country: str | None = None) -> CheckoutRequest:
    billing = None
    if billing_country == "DE":
        billing = AddressInput(
            recipient_name="Ada", line1="Unter den Linden 1", city="Berlin", postal_code="10117", country="DE"
        )
    return CheckoutRequest(email=email, shipping_address=paris(), billing_address=billing)


@dataclass
class Shop:
    clock: Clock = field(default_factory=Clock)
    catalog: InMemoryCatalog = field(default_factory=InMemoryCatalog)
    stock: InMemoryStock = field(default_factory=InMemoryStock)
    carts_repo: InMemoryCarts = field(default_factory=InMemoryCarts)
    payments: InMemoryPayments = field(default_factory=InMemoryPayments)
    workflow_engine: InMemoryWorkflow = field(default_factory=InMemoryWorkflow)
    events: InMemoryEvents = field(default_factory=InMemoryEvents)
    fraud: FraudPolicy = field(default_factory=lambda: FraudPolicy(review_amount=50_000))

    def checkout_with(self, **parts: Any) -> Checkout:
        """The checkout use case on this shop's fakes, with `parts` (channels, a pricer...) added."""
        return Checkout(
            carts=self.carts_repo,
            catalog=self.catalog,
            orders=self.orders,
            ledger=self.orders,
            payments=self.payments,
            workflow=self.workflow_engine,
            clock=self.clock,
            policy=self.policy,
            payment_timeout=PAYMENT_TIMEOUT,
            default_locale="en",
            **parts,
        )

    def __post_init__(self) -> None:
        self.orders = InMemoryOrders(self.stock, self.carts_repo)
        self.relay = OutboxRelay(self.orders.outbox, self.events, self.clock)
        self.policy = CartPolicy(max_quantity_per_line=99, max_lines=40, ttl=timedelta(days=30))
        self.carts = Carts(
            self.carts_repo, self.catalog, ["EUR", "USD", "JPY"], self.policy, self.clock, "en"
        )
        self.checkout = self.checkout_with()
        self.order_workflow = OrderWorkflow(
            orders=self.orders,
            ledger=self.orders,
            payments=self.payments,
            workflow=self.workflow_engine,
            relay=self.relay,
            clock=self.clock,
            fraud=self.fraud,
        )
        self.catalog.save_category(category("shoes"))
        self.catalog.save_product(
            product("RUN", variants=(variant("RUN-40", eur=8990), variant("RUN-41", eur=8990)))
        )
        self.catalog.save_product(product("SOCK", variants=(variant("SOCK-1", eur=990),)))

    def cart(self, lines: dict[str, int]) -> tuple[str, str]:
        priced, token = self.carts.create("EUR", "en")
        for sku, quantity in lines.items():
            self.carts.set_line(priced.cart.id, token, sku, quantity, "en")
        return priced.cart.id, token

    def available(self, sku: str) -> int:
        return self.stock.available([sku])[sku]
