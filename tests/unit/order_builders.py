"""An order as checkout leaves it, for tests that start from one: one line, no tax, shipping or discount."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from commerce.domain.money import Money
from commerce.domain.order import Order, OrderStatus, Reservation
from commerce.domain.order_history import OrderLine, OrderTotals

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def an_order(
    status: OrderStatus = OrderStatus.PENDING_PAYMENT,
    total: int = 5000,
    *,
    sku: str = "SKU-1",
    at: datetime = NOW,
    **changes: Any,
) -> Order:
    """One unit of `sku` at `total` EUR, reserved at `main` for 15 minutes from `at`, paid by `pi_1`."""
    money = Money(total, "EUR")
    nothing = Money(0, "EUR")
    order = Order(
        id="ord_1",
        status=status,
        currency="EUR",
        lines=(OrderLine(sku, "Mug", 1, money, money),),
        totals=OrderTotals(money, nothing, nothing, nothing, money),
        email="buyer@example.com",
        shipping_address={"country": "FR"},
        billing_address={"country": "FR"},
        created_at=at,
        reservations=(Reservation(sku, "main", 1),),
        reservation_expires_at=at + timedelta(minutes=15),
        order_token_hash="x",
        payment_intent_id="pi_1",
    )
    return replace(order, **changes)
