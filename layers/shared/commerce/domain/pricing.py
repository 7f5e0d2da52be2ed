"""An order's price from a priced cart and where it goes: promotions, tax by region, shipping by zone.

The rules (docs/pricing.md and docs/tax.md say why):

1. A price list holds what the shelf shows in the buyer's region: the gross price where the region is
   tax-inclusive (EU, UK, CH, AU, JP), the net price where it is tax-exclusive (US, CA).
2. Discounts are taken off lines, automatic promotions first, then the code; each line's discount is
   at most the line (a line never goes negative). Free shipping waives the fee.
3. Tax is computed per line on the discounted line, per component, rounded half up to the currency's
   minor unit; shipping is taxed at the standard rate where the region taxes it. The order's tax is the
   sum of those rounded amounts, and the breakdown groups them by tax and rate, so it adds up exactly.
4. total = subtotal - discount + shipping (+ tax, in a tax-exclusive region), exactly, in minor units.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from commerce.domain.cart import PricedCart
from commerce.domain.catalog import SkuRecord
from commerce.domain.errors import EmptyCart, NotSellable
from commerce.domain.money import Money, sum_money
from commerce.domain.order_lines import OrderLine, OrderTotals
from commerce.domain.product_terms import ProductTerms
from commerce.domain.promotions import (
    AppliedDiscount,
    DiscountLine,
    Promotion,
    PromotionKind,
    Shopper,
    line_discounts,
    refusal,
)
from commerce.domain.regions import DEFAULT_ZONES, ShippingQuote, ShippingZones
from commerce.domain.tax import DEFAULT_TAX_RULES, TaxAmount, TaxClass, TaxRules, tax_amount


class RestrictedInRegion(NotSellable, title="Not sold to this region", slug="restricted-in-region"): ...


@dataclass(frozen=True, slots=True)
class Destination:
    country: str
    subdivision: str | None = None  # US state, CA province


@dataclass(frozen=True, slots=True)
class OrderPricing:
    """What an invoice needs beyond lines and totals: who sold, under which tax rule, which discounts."""

    seller: Mapping[str, str]
    tax_region: str  # "DE", "US-CA"
    tax_included: bool
    discounts: tuple[AppliedDiscount, ...] = ()
    shipping_zone: str | None = None
    delivery_days: tuple[int, int] | None = None
    discount_code: str | None = None
    shopper_key: str | None = None  # whose per-customer limits the order counts against


@dataclass(frozen=True, slots=True)
class OrderQuote:
    country: str
    lines: tuple[OrderLine, ...]
    totals: OrderTotals
    tax_region: str = ""
    tax_included: bool = False
    discounts: tuple[AppliedDiscount, ...] = ()
    shipping: ShippingQuote | None = None
    code_refusal: Exception | None = None  # why the cart's code does not apply (then it is not applied)
    restricted: tuple[dict[str, str], ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class PricingContext:
    """Everything a quote depends on besides the cart."""

    destination: Destination
    now: datetime
    promotions: Sequence[Promotion] = ()  # automatic ones; the cart's code promotion comes as `code`
    code: Promotion | None = None
    shopper: Shopper = field(default_factory=Shopper)
    tax_rules: TaxRules = DEFAULT_TAX_RULES
    zones: ShippingZones = DEFAULT_ZONES


def quote(priced: PricedCart, skus: Mapping[str, SkuRecord], context: PricingContext) -> OrderQuote:
    """The order's lines and totals; EmptyCart without lines, NotSellable if a line cannot be bought now,
    RestrictedInRegion if a line may not go to the destination."""
    currency = priced.cart.currency
    if not priced.lines:
        raise EmptyCart("the cart is empty")
    gone = [line.sku for line in priced.lines if not line.available]
    if gone:
        raise NotSellable("some lines can no longer be bought; remove them first", skus=gone)
    country = context.destination.country.upper()
    terms = {line.sku: _terms(skus, line.sku) for line in priced.lines}
    restricted = tuple(
        {"sku": sku, "reason": reason}
        for sku, t in sorted(terms.items())
        if (reason := t.restrictions.refusal(country)) is not None
    )
    if restricted:
        raise RestrictedInRegion(
            f"some lines cannot be sold or shipped to {country}", country=country, lines=list(restricted)
        )
    rule = context.tax_rules.for_destination(country, context.destination.subdivision)

    # 1. promotions, automatic first, then the code
    taken, applied, free_shipping, code_refusal = _promotions(priced, skus, context)

    # 2. lines: discount, then tax per line
    lines: list[OrderLine] = []
    for line in priced.lines:
        discount = taken.get(line.sku, Money.zero(currency))
        tax_class = terms[line.sku].tax_class
        taxed = tax_amount(line.line_total - discount, rule, tax_class)
        lines.append(
            OrderLine(
                sku=line.sku,
                name=line.name,
                quantity=line.quantity,
                unit_price=line.unit_price,
                line_total=line.line_total,
                tax=taxed.tax,
                discount=discount,
                tax_class=tax_class.value,
                taxes=taxed.taxes,
            )
        )
    subtotal = sum_money((line.line_total for line in lines), currency)
    discount_total = sum_money((line.discount for line in lines if line.discount is not None), currency)

    # 3. shipping, on the discounted subtotal
    weight = sum(terms[line.sku].weight_grams * line.quantity for line in lines)
    shipping = context.zones.quote(country, subtotal - discount_total, weight)
    if free_shipping is not None and not shipping.fee.is_zero():
        applied.append(_applied(free_shipping, shipping.fee, on_shipping=True))
        shipping = ShippingQuote(shipping.zone, Money.zero(currency), shipping.min_days, shipping.max_days)
    shipping_taxes: tuple[TaxAmount, ...] = ()
    if rule.shipping_taxed and not shipping.fee.is_zero():
        shipping_taxes = tax_amount(shipping.fee, rule, TaxClass.STANDARD).taxes
    shipping_tax = sum_money((t.tax for t in shipping_taxes), currency)

    # 4. totals
    line_tax = sum_money((line.tax for line in lines if line.tax is not None), currency)
    tax = line_tax + shipping_tax
    total = subtotal - discount_total + shipping.fee
    if not rule.inclusive:
        total = total + tax
    totals = OrderTotals(
        subtotal=subtotal,
        tax=tax,
        shipping=shipping.fee,
        discount=discount_total,
        total=total,
        tax_included=rule.inclusive,
        shipping_tax=shipping_tax,
        tax_breakdown=breakdown([t for line in lines for t in line.taxes] + list(shipping_taxes)),
    )
    return OrderQuote(
        country=country,
        lines=tuple(lines),
        totals=totals,
        tax_region=rule.region,
        tax_included=rule.inclusive,
        discounts=tuple(applied),
        shipping=shipping,
        code_refusal=code_refusal,
    )


def _promotions(
    priced: PricedCart, skus: Mapping[str, SkuRecord], context: PricingContext
) -> tuple[dict[str, Money], list[AppliedDiscount], Promotion | None, Exception | None]:
    """What each line gets off, the discounts applied, the free-shipping promotion, why the code did not."""
    currency = priced.cart.currency
    discount_lines = [
        DiscountLine(line.sku, skus[line.sku].category if line.sku in skus else "", line.line_total)
        for line in priced.lines
    ]
    taken: dict[str, Money] = {}
    applied: list[AppliedDiscount] = []
    free_shipping: Promotion | None = None
    code_refusal: Exception | None = None
    candidates = [*context.promotions, *([context.code] if context.code else [])]
    for promotion in candidates:
        refused = refusal(promotion, context.now, currency, priced.subtotal, discount_lines, context.shopper)
        if refused is not None:
            if promotion is context.code:
                code_refusal = refused
            continue
        if promotion.kind is PromotionKind.FREE_SHIPPING:
            free_shipping = free_shipping or promotion
            continue
        offs = line_discounts(promotion, discount_lines, taken)
        amount = sum_money(offs.values(), currency)
        if amount.is_zero():
            continue
        for sku, off in offs.items():
            taken[sku] = taken.get(sku, Money.zero(currency)) + off
        applied.append(_applied(promotion, amount))
    return taken, applied, free_shipping, code_refusal


def breakdown(taxes: Sequence[TaxAmount]) -> tuple[TaxAmount, ...]:
    """The taxes grouped by name and rate, bases and amounts added up (already rounded: no new rounding)."""
    grouped: dict[tuple[str, int], TaxAmount] = {}
    for part in taxes:
        found = grouped.get((part.name, part.rate_ppm))
        grouped[(part.name, part.rate_ppm)] = (
            part
            if found is None
            else TaxAmount(part.name, part.rate_ppm, found.base + part.base, found.tax + part.tax)
        )
    return tuple(grouped[k] for k in sorted(grouped, key=lambda k: (-k[1], k[0])))


def _terms(skus: Mapping[str, SkuRecord], sku: str) -> ProductTerms:
    record = skus.get(sku)
    return record.terms if record is not None else ProductTerms()


def _applied(promotion: Promotion, amount: Money, on_shipping: bool = False) -> AppliedDiscount:
    return AppliedDiscount(
        promotion_id=promotion.id,
        code=promotion.code,
        kind=promotion.kind,
        description=promotion.description,
        amount=amount,
        on_shipping=on_shipping,
        usage_limit=promotion.usage_limit,
        # A first-order code is once per customer, whatever else it says: the checkout transaction's
        # per-customer condition then settles two first orders placed at the same instant.
        per_customer_limit=1 if promotion.first_order_only else promotion.per_customer_limit,
    )
