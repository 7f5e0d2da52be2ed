"""Order totals: exact in minor units whatever the cart, the currency or the destination."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commerce.domain.cart import Cart, PricedCart, PricedLine
from commerce.domain.errors import EmptyCart, NotSellable, ValidationFailed
from commerce.domain.money import Money, Rounding
from commerce.domain.pricing import SHIPPING, TAX_RATES_BP, quote

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


def priced_cart(currency: str, lines: list[tuple[int, int]], available: bool = True) -> PricedCart:
    priced = tuple(
        PricedLine(
            sku=f"SKU-{i}",
            quantity=quantity,
            unit_price=Money(unit, currency),
            line_total=Money(unit * quantity, currency),
            product_id=f"p{i}",
            name=f"Item {i}",
            available=available,
        )
        for i, (unit, quantity) in enumerate(lines)
    )
    cart = Cart(id="c1", token_hash="", currency=currency, created_at=NOW, updated_at=NOW)
    subtotal = Money(sum(line.line_total.amount for line in priced), currency)
    return PricedCart(cart=cart, lines=priced, subtotal=subtotal)


carts = st.lists(st.tuples(st.integers(0, 5_000_000), st.integers(1, 99)), min_size=1, max_size=40)


@given(
    currency=st.sampled_from(["JPY", "EUR", "KWD"]),
    lines=carts,
    country=st.sampled_from(sorted(TAX_RATES_BP)),
)
def test_total_is_subtotal_plus_tax_plus_shipping_minus_discount_exactly(
    currency: str, lines: list[tuple[int, int]], country: str
) -> None:
    result = quote(priced_cart(currency, lines), country)
    t = result.totals
    assert {m.currency for m in (t.subtotal, t.tax, t.shipping, t.discount, t.total)} == {currency}
    assert t.total.amount == t.subtotal.amount + t.tax.amount + t.shipping.amount - t.discount.amount
    assert t.subtotal.amount == sum(unit * quantity for unit, quantity in lines)
    assert t.discount.amount == 0


@given(
    currency=st.sampled_from(["JPY", "EUR", "KWD"]),
    lines=carts,
    country=st.sampled_from(sorted(TAX_RATES_BP)),
)
def test_tax_is_the_sum_of_each_line_rounded_half_up_on_its_own(
    currency: str, lines: list[tuple[int, int]], country: str
) -> None:
    result = quote(priced_cart(currency, lines), country)
    rate = TAX_RATES_BP[country]
    expected = [
        Money(unit * quantity, currency).percentage(rate, Rounding.HALF_UP) for unit, quantity in lines
    ]
    assert [line.tax for line in result.lines] == expected
    assert result.totals.tax.amount == sum(m.amount for m in expected)


def test_tax_is_rounded_per_line_not_on_the_sum() -> None:
    # Three lines of 0.02 EUR at 20 %: each line's 0.004 rounds to 0; the sum's 0.012 would round to 0.01.
    result = quote(priced_cart("EUR", [(2, 1), (2, 1), (2, 1)]), "FR")
    assert [line.tax.amount for line in result.lines if line.tax] == [0, 0, 0]
    assert result.totals.tax.amount == 0


def test_shipping_is_flat_below_the_threshold_and_free_from_it() -> None:
    rate = SHIPPING["EUR"]
    below = quote(priced_cart("EUR", [(rate.free_from - 1, 1)]), "DE")
    at = quote(priced_cart("EUR", [(rate.free_from, 1)]), "DE")
    assert below.totals.shipping.amount == rate.fee
    assert at.totals.shipping.amount == 0


def test_a_country_without_a_tax_rate_is_not_shipped_to() -> None:
    with pytest.raises(ValidationFailed):
        quote(priced_cart("EUR", [(1000, 1)]), "BR")


def test_an_empty_cart_has_no_quote() -> None:
    with pytest.raises(EmptyCart):
        quote(priced_cart("EUR", []), "FR")


def test_a_line_no_longer_sellable_stops_the_quote() -> None:
    with pytest.raises(NotSellable) as refused:
        quote(priced_cart("EUR", [(1000, 1)], available=False), "FR")
    assert refused.value.extensions["skus"] == ["SKU-0"]
