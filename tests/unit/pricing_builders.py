"""Priced carts and SKU records for pricing tests, without a catalog."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from commerce.domain.cart import Cart, PricedCart, PricedLine
from commerce.domain.catalog import ProductStatus, SkuRecord
from commerce.domain.money import Money
from commerce.domain.product_terms import ProductTerms
from commerce.domain.regions import Restrictions
from commerce.domain.tax import TaxClass

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


@dataclass(frozen=True)
class Item:
    unit: int
    quantity: int
    tax_class: TaxClass = TaxClass.STANDARD
    category: str = "apparel"
    weight_grams: int = 0
    not_sold_in: frozenset[str] = frozenset()
    not_shipped_to: frozenset[str] = frozenset()


def cart_of(
    currency: str, items: Sequence[Item], code: str | None = None
) -> tuple[PricedCart, dict[str, SkuRecord]]:
    lines = tuple(
        PricedLine(
            sku=f"SKU-{i}",
            quantity=item.quantity,
            unit_price=Money(item.unit, currency),
            line_total=Money(item.unit * item.quantity, currency),
            product_id=f"p{i}",
            name=f"Item {i}",
            available=True,
        )
        for i, item in enumerate(items)
    )
    skus = {
        f"SKU-{i}": SkuRecord(
            sku=f"SKU-{i}",
            product_id=f"p{i}",
            status=ProductStatus.ACTIVE,
            prices={currency: Money(item.unit, currency)},
            category=item.category,
            terms=ProductTerms(
                tax_class=item.tax_class,
                weight_grams=item.weight_grams,
                restrictions=Restrictions(item.not_sold_in, item.not_shipped_to),
            ),
        )
        for i, item in enumerate(items)
    }
    cart = Cart(id="c1", token_hash="", currency=currency, created_at=NOW, updated_at=NOW, discount_code=code)
    subtotal = Money(sum(line.line_total.amount for line in lines), currency)
    return PricedCart(cart=cart, lines=lines, subtotal=subtotal), skus
