"""An order's lines and totals as checkout priced them: what the order, its history and its invoice share."""

from __future__ import annotations

from dataclasses import dataclass

from commerce.domain.money import Money
from commerce.domain.tax import TaxAmount


@dataclass(frozen=True, slots=True)
class OrderLine:
    sku: str
    name: str
    quantity: int
    unit_price: Money
    line_total: Money
    tax: Money | None = None  # the line's tax, rounded on its own (orders placed by checkout have it)
    # pricing: what the invoice needs per line (orders placed before it have none of these)
    discount: Money | None = None  # off line_total, never more than it
    tax_class: str | None = None
    taxes: tuple[TaxAmount, ...] = ()  # per tax component: name, rate, taxable base, tax


@dataclass(frozen=True, slots=True)
class OrderTotals:
    subtotal: Money
    tax: Money
    shipping: Money
    discount: Money
    total: Money
    # pricing: tax-inclusive orders have total = subtotal - discount + shipping (tax is inside)
    tax_included: bool = False
    shipping_tax: Money | None = None
    tax_breakdown: tuple[TaxAmount, ...] = ()  # by tax and rate; their taxes add up to `tax`
