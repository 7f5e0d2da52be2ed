"""Pricing a cart or an order: the promotions that apply, tax for the destination, shipping by zone, and the
checks a discount code must pass before it is put on a cart."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime

from commerce.domain.cart import PricedCart
from commerce.domain.catalog import SkuRecord
from commerce.domain.ports import PromotionRepository
from commerce.domain.pricing import Destination, OrderPricing, OrderQuote, PricingContext, quote
from commerce.domain.promotions import (
    DiscountCodeExhausted,
    DiscountCodeInvalid,
    DiscountLine,
    Promotion,
    Shopper,
    normalise_code,
    refusal,
)
from commerce.domain.regions import DEFAULT_ZONES, ShippingZones
from commerce.domain.tax import DEFAULT_TAX_RULES, TaxRules


def shopper_key(customer_id: str | None, email: str | None) -> str | None:
    """Whose per-customer limits an order counts against: the customer, or a guest's email (hashed)."""
    if customer_id:
        return f"CUSTOMER#{customer_id}"
    if email:
        return "EMAIL#" + hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return None


class Pricer:
    def __init__(
        self,
        promotions: PromotionRepository | None,
        first_order: Callable[[str], bool],
        clock: Callable[[], datetime],
        seller: Mapping[str, str],
        tax_rules: TaxRules = DEFAULT_TAX_RULES,
        zones: ShippingZones = DEFAULT_ZONES,
    ) -> None:
        self._promotions = promotions
        self._first_order = first_order
        self._clock = clock
        self._seller = dict(seller)
        self._tax_rules = tax_rules
        self._zones = zones

    def quote(
        self,
        priced: PricedCart,
        skus: Mapping[str, SkuRecord],
        destination: Destination,
        customer_id: str | None,
    ) -> OrderQuote:
        code = priced.cart.discount_code
        automatic = self._promotions.automatic() if self._promotions else []
        code_promotion = self._promotions.get(code) if self._promotions and code else None
        # Whether this is a first order costs a Query: only asked when a promotion cares.
        cares = any(p.first_order_only for p in [*automatic, *([code_promotion] if code_promotion else [])])
        context = PricingContext(
            destination=destination,
            now=self._clock(),
            promotions=automatic,
            code=code_promotion,
            shopper=self._shopper(customer_id, first_order_matters=cares),
            tax_rules=self._tax_rules,
            zones=self._zones,
        )
        found = quote(priced, skus, context)
        if code and context.code is None and found.code_refusal is None:
            return _with_refusal(found, DiscountCodeInvalid(f"{code} is no longer offered", code=code))
        return found

    def check_code(
        self,
        raw_code: str,
        priced: PricedCart,
        skus: Mapping[str, SkuRecord],
        customer_id: str | None,
    ) -> Promotion:
        """The code's promotion if it may go on this cart now; otherwise the 4xx that says why."""
        code = normalise_code(raw_code)
        promotion = self._promotions.get(code) if self._promotions else None
        if promotion is None or promotion.is_automatic:
            raise DiscountCodeInvalid(f"{code} is not a discount code we know", code=code)
        currency = priced.cart.currency
        lines = [
            DiscountLine(line.sku, skus[line.sku].category if line.sku in skus else "", line.line_total)
            for line in priced.lines
            if line.available
        ]
        reason = refusal(
            promotion, self._clock(), currency, priced.subtotal, lines, self._shopper(customer_id)
        )
        if reason is not None:
            raise reason
        assert self._promotions is not None
        if promotion.usage_limit is not None and self._promotions.usage(code).uses >= promotion.usage_limit:
            raise DiscountCodeExhausted(
                f"{code} has been used as many times as it may be", code=code, reason="usage_limit"
            )
        key = shopper_key(customer_id, None)
        if (
            promotion.per_customer_limit is not None
            and key
            and self._promotions.shopper_uses(code, key) >= promotion.per_customer_limit
        ):
            raise DiscountCodeExhausted(
                f"you have used {code} as many times as you may", code=code, reason="per_customer_limit"
            )
        return promotion

    def order_pricing(self, found: OrderQuote, code: str | None, key: str | None) -> OrderPricing:
        return OrderPricing(
            seller=self._seller,
            tax_region=found.tax_region,
            tax_included=found.tax_included,
            discounts=found.discounts,
            shipping_zone=found.shipping.zone if found.shipping else None,
            delivery_days=(found.shipping.min_days, found.shipping.max_days) if found.shipping else None,
            discount_code=code,
            shopper_key=key,
        )

    def _shopper(self, customer_id: str | None, first_order_matters: bool = True) -> Shopper:
        if not customer_id:
            return Shopper()
        first = self._first_order(customer_id) if first_order_matters else False
        return Shopper(customer_id=customer_id, first_order=first)


def _with_refusal(found: OrderQuote, error: Exception) -> OrderQuote:
    return replace(found, code_refusal=error)
