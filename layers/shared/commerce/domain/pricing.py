"""An order's totals from a priced cart and where it ships: tax per line, flat shipping, no discount yet.

Rules, until the pricing issue replaces them:

- Prices are **tax-exclusive** everywhere: tax is added on top of the price list. (Regions that sell
  tax-inclusive, such as the EU's consumer prices, come with the pricing issue.)
- Tax is one standard rate per destination country (`TAX_RATES_BP`, basis points: 2000 = 20 %), computed
  on each line's total and rounded on its own, half up, to the currency's minor unit; the order's tax is
  the sum of its lines' taxes. US sales tax depends on the state and CA's on the province: until regional
  rates exist, US is 0 and CA charges the federal GST only.
- Shipping is a flat fee per currency, free from a threshold on the subtotal (`SHIPPING`); it is not taxed.
- Discount is 0. total = subtotal + tax + shipping - discount, exactly, in minor units.
- A destination country without a rate is not shipped to: ValidationFailed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from commerce.domain.cart import PricedCart
from commerce.domain.errors import EmptyCart, NotSellable, ValidationFailed
from commerce.domain.money import Money, Rounding, sum_money
from commerce.domain.order_history import OrderLine, OrderTotals

TAX_ROUNDING = Rounding.HALF_UP

# Standard VAT/GST rates in basis points.
TAX_RATES_BP: Mapping[str, int] = {
    "FR": 2000,
    "DE": 1900,
    "ES": 2100,
    "IT": 2200,
    "NL": 2100,
    "BE": 2100,
    "AT": 2000,
    "GB": 2000,
    "US": 0,
    "CA": 500,
    "JP": 1000,
    "CH": 810,
}


@dataclass(frozen=True, slots=True)
class ShippingRate:
    fee: int  # minor units
    free_from: int  # subtotal in minor units from which shipping is free


SHIPPING: Mapping[str, ShippingRate] = {
    "EUR": ShippingRate(fee=590, free_from=5000),  # 5.90 EUR, free from 50.00
    "USD": ShippingRate(fee=695, free_from=7500),  # 6.95 USD, free from 75.00
    "GBP": ShippingRate(fee=495, free_from=5000),  # 4.95 GBP, free from 50.00
    "CHF": ShippingRate(fee=790, free_from=7500),  # 7.90 CHF, free from 75.00
    "CAD": ShippingRate(fee=995, free_from=10000),  # 9.95 CAD, free from 100.00
    "JPY": ShippingRate(fee=800, free_from=8000),  # 800 JPY, free from 8000
    "KWD": ShippingRate(fee=2000, free_from=20000),  # 2.000 KWD, free from 20.000
}


@dataclass(frozen=True, slots=True)
class OrderQuote:
    country: str
    tax_rate_bp: int
    lines: tuple[OrderLine, ...]  # each with its own tax
    totals: OrderTotals


def tax_rate(country: str) -> int:
    rate = TAX_RATES_BP.get(country.upper())
    if rate is None:
        raise ValidationFailed(f"we do not ship to {country}", field="shipping_address.country")
    return rate


def shipping_for(subtotal: Money) -> Money:
    rate = SHIPPING.get(subtotal.currency)
    if rate is None:
        raise ValidationFailed(f"no shipping rate for {subtotal.currency}")
    return (
        Money.zero(subtotal.currency)
        if subtotal.amount >= rate.free_from
        else Money(rate.fee, subtotal.currency)
    )


def quote(priced: PricedCart, country: str) -> OrderQuote:
    """The order's lines and totals; EmptyCart without lines, NotSellable if a line cannot be bought now."""
    currency = priced.cart.currency
    if not priced.lines:
        raise EmptyCart("the cart is empty")
    gone = [line.sku for line in priced.lines if not line.available]
    if gone:
        raise NotSellable("some lines can no longer be bought; remove them first", skus=gone)
    rate = tax_rate(country)
    lines = tuple(
        OrderLine(
            sku=line.sku,
            name=line.name,
            quantity=line.quantity,
            unit_price=line.unit_price,
            line_total=line.line_total,
            tax=line.line_total.percentage(rate, TAX_ROUNDING),
        )
        for line in priced.lines
    )
    subtotal = sum_money((line.line_total for line in lines), currency)
    tax = sum_money((line.tax for line in lines if line.tax is not None), currency)
    shipping = shipping_for(subtotal)
    discount = Money.zero(currency)
    totals = OrderTotals(
        subtotal=subtotal,
        tax=tax,
        shipping=shipping,
        discount=discount,
        total=subtotal + tax + shipping - discount,
    )
    return OrderQuote(country=country.upper(), tax_rate_bp=rate, lines=lines, totals=totals)
