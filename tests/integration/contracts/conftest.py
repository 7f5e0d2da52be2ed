"""Contract tests: what callers rely on from a port (conditional writes, not-found, conflicts, paging), run
against its in-memory fake and its DynamoDB adapter (moto, tables built from template.yaml) alike. Each test
runs twice, `[in_memory]` and `[dynamodb]`; a fake that drifts from its adapter fails here."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest

from commerce.adapters.dynamodb.carts import DynamoCarts
from commerce.adapters.dynamodb.orders import DynamoOrders
from commerce.adapters.dynamodb.outbox import DynamoOutbox
from commerce.adapters.dynamodb.promotions import DynamoPromotions
from commerce.adapters.dynamodb.stock import DynamoStock
from commerce.domain.cart import Cart
from commerce.domain.events import DomainEvent
from commerce.domain.money import Money
from commerce.domain.order import Order, OrderStatus
from commerce.domain.order_lines import OrderLine, OrderTotals
from local.samyaml import load_template
from tests.fakes.carts import InMemoryCarts
from tests.fakes.orders import InMemoryOrders, InMemoryStock
from tests.fakes.outbox import InMemoryOutbox
from tests.fakes.promotions import InMemoryPromotions

REPO = Path(__file__).resolve().parents[3]
NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
UNIT_PRICE = 1000


@dataclass(frozen=True)
class Table:
    client: Any
    name: str


@dataclass(frozen=True)
class Shop:
    """The orders, stock, carts, promotions and outbox of one implementation, wired to each other as in
    production (a placement counts its promotions' uses)."""

    orders: Any
    stock: Any
    carts: Any
    promotions: Any
    outbox: Any
    table: Table | None = None  # the DynamoDB table; None for the fakes

    @property
    def in_memory(self) -> bool:
        return self.table is None

    def build(self, fake: Callable[[], Any], adapter: Callable[..., Any], **options: Any) -> Any:
        """The port's fake, or its DynamoDB adapter on the stack's table, built with `options`."""
        return fake() if self.table is None else adapter(self.table.client, self.table.name, **options)


_MAIN_TABLE_SHAPE = ("BillingMode", "AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes")


@pytest.fixture(scope="package")
def contract_table(stack: Any) -> Table:
    """A table of the contract tests' own, shaped as the template's MainTable: what they write (an active
    automatic promotion, FX rates, deliveries) never reaches the handlers' tests on the stack's table."""
    properties = load_template(REPO / "template.yaml")["Resources"]["MainTable"]["Properties"]
    client = boto3.client("dynamodb")
    name = f"contracts-{uuid.uuid4().hex[:8]}"
    client.create_table(TableName=name, **{k: properties[k] for k in _MAIN_TABLE_SHAPE})
    return Table(client, name)


@pytest.fixture(params=["in_memory", "dynamodb"])
def shop(request: pytest.FixtureRequest) -> Shop:
    if request.param == "in_memory":
        stock, carts, outbox = InMemoryStock(), InMemoryCarts(), InMemoryOutbox()
        orders = InMemoryOrders(stock, carts, outbox)
        orders.promotions = InMemoryPromotions()
        return Shop(orders, stock, carts, orders.promotions, outbox)
    table = request.getfixturevalue("contract_table")
    return Shop(
        orders=DynamoOrders(table.client, table.name, clock=lambda: NOW),
        stock=DynamoStock(table.client, table.name),
        carts=DynamoCarts(table.client, table.name),
        promotions=DynamoPromotions(table.client, table.name),
        outbox=DynamoOutbox(table.client, table.name),
        table=table,
    )


def a_sku(shop: Shop, **units_at: int) -> str:
    """A SKU no other test uses, received at the given locations."""
    sku = f"C-{uuid.uuid4().hex[:8].upper()}"
    for location, units in units_at.items():
        shop.stock.receive(sku, location, units, "contract")
    return sku


def a_cart(shop: Shop, lines: dict[str, int]) -> Cart:
    cart = Cart(
        id=str(uuid.uuid4()), token_hash="h", currency="EUR", created_at=NOW, updated_at=NOW, lines=lines
    )
    shop.carts.add(cart, int((NOW + timedelta(days=30)).timestamp()))
    return cart


def an_order(lines: dict[str, int], created_at: datetime = NOW) -> Order:
    def eur(amount: int) -> Money:
        return Money(amount, "EUR")

    units = sum(lines.values())
    return Order(
        id=str(uuid.uuid4()),
        status=OrderStatus.PENDING_PAYMENT,
        currency="EUR",
        lines=tuple(
            OrderLine(sku, sku, q, eur(UNIT_PRICE), eur(UNIT_PRICE * q), eur(0)) for sku, q in lines.items()
        ),
        totals=OrderTotals(eur(UNIT_PRICE * units), eur(0), eur(0), eur(0), eur(UNIT_PRICE * units)),
        email="ada@example.com",
        shipping_address={"country": "FR", "city": "Paris"},
        billing_address={"country": "FR", "city": "Paris"},
        created_at=created_at,
        reservations=(),
        reservation_expires_at=created_at + timedelta(minutes=20),
        order_token_hash="x",
    )


def placed(shop: Shop, units: int = 1, created_at: datetime = NOW) -> tuple[Order, str]:
    """An order placed for `units` of a fresh SKU (stocked with more), and that SKU."""
    sku = a_sku(shop, paris=units + 4)
    return shop.orders.place(an_order({sku: units}, created_at), a_cart(shop, {sku: units})), sku


def paid(shop: Shop, units: int = 1) -> tuple[Order, str]:
    """A placed order, paid and its units sold."""
    order, sku = placed(shop, units)
    sold = order.paid(NOW)
    shop.orders.sell(sold, order.version)
    return sold, sku


def take_pending(shop: Shop, events: Sequence[DomainEvent]) -> list[DomainEvent]:
    """Which of `events` wait in the outbox, oldest first; taken out, so they crowd no other test's page."""
    ids = {event.event_id for event in events}
    waiting = [e for e in shop.outbox.pending(NOW + timedelta(days=3650), 1000) if e.event_id in ids]
    shop.outbox.done(waiting)
    return waiting
