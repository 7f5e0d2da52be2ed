"""The return window per country and what a returned line is worth."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from commerce.domain.errors import InvalidState, ValidationFailed
from commerce.domain.money import Money
from commerce.domain.order import Order, OrderStatus, TimelineEntry
from commerce.domain.order_lines import OrderLine, OrderTotals
from commerce.domain.returns import Return, ReturnLine, request_lines, return_window

DELIVERED = datetime(2026, 11, 1, 12, tzinfo=UTC)


def _order(country: str = "FR", quantity: int = 3, line_total: int = 1000, tax: int = 200) -> Order:
    zero = Money(0, "EUR")
    return Order(
        id="o-1",
        status=OrderStatus.DELIVERED,
        currency="EUR",
        lines=(
            OrderLine(
                "A",
                "A",
                quantity,
                Money(line_total // quantity, "EUR"),
                Money(line_total, "EUR"),
                Money(tax, "EUR"),
            ),
        ),
        totals=OrderTotals(
            Money(line_total, "EUR"), Money(tax, "EUR"), zero, zero, Money(line_total + tax, "EUR")
        ),
        email="ada@example.com",
        shipping_address={"country": country},
        billing_address={"country": country},
        created_at=DELIVERED - timedelta(days=3),
        reservations=(),
        reservation_expires_at=DELIVERED,
        order_token_hash="x",
        timeline=(TimelineEntry(DELIVERED, "order_delivered"),),
    )


@pytest.mark.parametrize(("country", "days"), [("FR", 14), ("de", 14), ("US", 30), ("JP", 30), ("GB", 30)])
def test_the_window_is_fourteen_days_in_the_eu_and_thirty_elsewhere(country: str, days: int) -> None:
    assert return_window(country) == timedelta(days=days)


def test_a_french_buyer_may_return_on_day_fourteen_but_not_on_day_fifteen() -> None:
    order = _order("FR")
    assert request_lines(order, {"A": 1}, [], DELIVERED + timedelta(days=14))
    with pytest.raises(InvalidState):
        request_lines(order, {"A": 1}, [], DELIVERED + timedelta(days=15))


def test_an_american_buyer_still_may_on_day_thirty() -> None:
    assert request_lines(_order("US"), {"A": 1}, [], DELIVERED + timedelta(days=30))


def test_units_share_the_lines_price_and_tax_exactly_and_a_partial_return_refunds_its_share() -> None:
    order = _order(quantity=3, line_total=1000, tax=200)  # 1200 over 3 units

    (one,) = request_lines(order, {"A": 1}, [], DELIVERED)
    (rest,) = request_lines(order, {"A": 2}, [Return("r1", "o-1", (one,), "", DELIVERED)], DELIVERED)

    assert one.refund + rest.refund == 1200 and one.refund == 400


def test_more_units_than_bought_and_not_yet_returned_are_refused() -> None:
    earlier = [Return("r1", "o-1", (ReturnLine("A", 2, 800),), "", DELIVERED)]
    with pytest.raises(ValidationFailed):
        request_lines(_order(quantity=3), {"A": 2}, earlier, DELIVERED)
    with pytest.raises(ValidationFailed):
        request_lines(_order(), {"B": 1}, [], DELIVERED)


def test_an_order_not_yet_delivered_cannot_be_returned() -> None:
    with pytest.raises(InvalidState):
        request_lines(replace(_order(), status=OrderStatus.SHIPPED), {"A": 1}, [], DELIVERED)


def test_a_tax_inclusive_line_refunds_its_shelf_price_less_its_discount_not_its_tax_twice() -> None:
    order = _order(quantity=2, line_total=2400, tax=400)  # 24.00 with 4.00 VAT inside, 2 units
    discounted = replace(order.lines[0], discount=Money(200, "EUR"))
    order = replace(
        order,
        lines=(discounted,),
        totals=replace(order.totals, tax_included=True, total=Money(2200, "EUR")),
    )

    (one,) = request_lines(order, {"A": 1}, [], DELIVERED)

    assert one.refund == 1100  # (2400 - 200) / 2: what the buyer paid for one unit
