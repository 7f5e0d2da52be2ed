"""The pricing parts of an order item: per-line discount and taxes, the totals' tax breakdown, and the
invoice details (seller, tax region, discounts). Every part is optional: orders from before have none."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from commerce.domain.money import Money
from commerce.domain.order_lines import OrderLine, OrderTotals
from commerce.domain.pricing import OrderPricing
from commerce.domain.promotions import AppliedDiscount, PromotionKind
from commerce.domain.tax import TaxAmount


def taxes_to_item(taxes: tuple[TaxAmount, ...]) -> list[dict[str, Any]]:
    return [
        {"name": t.name, "rate_ppm": t.rate_ppm, "base": t.base.amount, "tax": t.tax.amount} for t in taxes
    ]


def taxes_from_item(rows: Any, currency: str) -> tuple[TaxAmount, ...]:
    return tuple(
        TaxAmount(r["name"], r["rate_ppm"], Money(r["base"], currency), Money(r["tax"], currency))
        for r in rows or ()
    )


def line_extras(line: OrderLine) -> dict[str, Any]:
    extras: dict[str, Any] = {}
    if line.discount is not None:
        extras["discount"] = line.discount.amount
    if line.tax_class is not None:
        extras["tax_class"] = line.tax_class
    if line.taxes:
        extras["taxes"] = taxes_to_item(line.taxes)
    return extras


def line_from_item(row: Mapping[str, Any], currency: str) -> OrderLine:
    """An order line as stored on the order item (and its index copy), pricing parts included when there."""
    return OrderLine(
        sku=row["sku"],
        name=row.get("name", row["sku"]),
        quantity=row["quantity"],
        unit_price=Money(row["unit_price"], currency),
        line_total=Money(row["line_total"], currency),
        tax=Money(row["tax"], currency) if "tax" in row else None,
        discount=Money(row["discount"], currency) if "discount" in row else None,
        tax_class=row.get("tax_class"),
        taxes=taxes_from_item(row.get("taxes"), currency),
    )


def lines_from_item(rows: Any, currency: str) -> tuple[OrderLine, ...]:
    """The lines of an order item, as the order and the customer's order history both read them."""
    return tuple(line_from_item(line, currency) for line in rows or [])


def totals_extras(totals: OrderTotals) -> dict[str, Any]:
    return {
        "tax_included": totals.tax_included,
        **({"shipping_tax": totals.shipping_tax.amount} if totals.shipping_tax is not None else {}),
        "tax_breakdown": taxes_to_item(totals.tax_breakdown),
    }


def totals_from_item(row: Mapping[str, Any], currency: str) -> OrderTotals:
    """The totals of an order item, with the pricing parts where it has them."""
    return OrderTotals(
        subtotal=Money(row.get("subtotal", 0), currency),
        tax=Money(row.get("tax", 0), currency),
        shipping=Money(row.get("shipping", 0), currency),
        discount=Money(row.get("discount", 0), currency),
        total=Money(row.get("total", 0), currency),
        **totals_extras_from(row, currency),
    )


def totals_extras_from(row: Mapping[str, Any], currency: str) -> dict[str, Any]:
    return {
        "tax_included": bool(row.get("tax_included", False)),
        "shipping_tax": Money(row["shipping_tax"], currency) if "shipping_tax" in row else None,
        "tax_breakdown": taxes_from_item(row.get("tax_breakdown"), currency),
    }


def pricing_to_item(pricing: OrderPricing | None) -> dict[str, Any] | None:
    if pricing is None:
        return None
    return {
        "seller": dict(pricing.seller),
        "tax_region": pricing.tax_region,
        "tax_included": pricing.tax_included,
        "discounts": [
            {
                "promotion_id": d.promotion_id,
                "code": d.code,
                "kind": d.kind.value,
                "description": d.description,
                "amount": d.amount.amount,
                "on_shipping": d.on_shipping,
            }
            for d in pricing.discounts
        ],
        "shipping_zone": pricing.shipping_zone,
        "delivery_days": list(pricing.delivery_days) if pricing.delivery_days else None,
        "discount_code": pricing.discount_code,
        "shopper_key": pricing.shopper_key,
    }


def pricing_from_item(row: Mapping[str, Any] | None, currency: str) -> OrderPricing | None:
    if not row:
        return None
    days = row.get("delivery_days")
    return OrderPricing(
        seller=row.get("seller", {}),
        tax_region=row.get("tax_region", ""),
        tax_included=bool(row.get("tax_included", False)),
        discounts=tuple(
            AppliedDiscount(
                promotion_id=d["promotion_id"],
                code=d.get("code"),
                kind=PromotionKind(d["kind"]),
                description=d.get("description", ""),
                amount=Money(d["amount"], currency),
                on_shipping=bool(d.get("on_shipping", False)),
            )
            for d in row.get("discounts", [])
        ),
        shipping_zone=row.get("shipping_zone"),
        delivery_days=(int(days[0]), int(days[1])) if days else None,
        discount_code=row.get("discount_code"),
        shopper_key=row.get("shopper_key"),
    )
