"""Promotions: discount codes a shopper enters and automatic promotions that apply by themselves.

- `percentage`: basis points off each eligible line (rounded down per line: never more than promised).
- `fixed_amount`: an amount per currency off the eligible lines, split over them in proportion to their
  totals (largest remainder, so the parts add up exactly), never more than the lines are worth.
- `free_shipping`: the shipping fee is waived.

Eligibility: active (not paused), between `starts_at` (inclusive) and `ends_at` (exclusive), a minimum
subtotal in the cart's currency, limited to SKUs or categories (none: every line), to signed-in customers,
to a customer's first order. The usage limits (in total, per customer) are checked when a code is added to
a cart and enforced at checkout by a condition in the order's own transaction.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from commerce.domain.errors import CommerceError, ValidationFailed
from commerce.domain.money import Money, Rounding

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{2,31}$")
_BASIS_POINTS = 10_000


class PromotionKind(enum.StrEnum):
    PERCENTAGE = "percentage"
    FIXED_AMOUNT = "fixed_amount"
    FREE_SHIPPING = "free_shipping"


class PromotionStatus(enum.StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"


# why a code is refused: each its own problem type, so a client can say which
class DiscountCodeInvalid(
    CommerceError, status=422, title="Discount code invalid", slug="discount-code-invalid"
): ...


class DiscountCodeExpired(
    CommerceError, status=422, title="Discount code expired", slug="discount-code-expired"
): ...


class DiscountCodeExhausted(
    CommerceError, status=409, title="Discount code used up", slug="discount-code-exhausted"
): ...


class DiscountCodeNotApplicable(
    CommerceError, status=422, title="Discount code does not apply", slug="discount-code-not-applicable"
): ...


def normalise_code(code: str) -> str:
    cleaned = code.strip().upper()
    if not CODE_PATTERN.match(cleaned):
        raise DiscountCodeInvalid(f"{code[:32]!r} is not a discount code", code=code[:32])
    return cleaned


@dataclass(frozen=True, slots=True)
class Promotion:
    id: str
    kind: PromotionKind
    description: str
    starts_at: datetime
    ends_at: datetime | None = None
    code: str | None = None  # None: automatic
    percent_bp: int = 0  # percentage promotions, in basis points (1000 = 10 %)
    amounts: Mapping[str, int] = field(default_factory=dict)  # fixed_amount: minor units per currency
    min_subtotal: Mapping[str, int] = field(default_factory=dict)  # per currency; absent: no minimum
    skus: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    signed_in_only: bool = False
    first_order_only: bool = False
    usage_limit: int | None = None
    per_customer_limit: int | None = None
    status: PromotionStatus = PromotionStatus.ACTIVE

    def __post_init__(self) -> None:
        if self.code is not None and not CODE_PATTERN.match(self.code):
            raise ValidationFailed("a code is 3-32 upper-case letters, digits, '-' or '_'", field="code")
        if self.kind is PromotionKind.PERCENTAGE and not 0 < self.percent_bp <= _BASIS_POINTS:
            raise ValidationFailed("a percentage is between 0.01 % and 100 %", field="percent_bp")
        if self.kind is PromotionKind.FIXED_AMOUNT and (
            not self.amounts or any(v <= 0 for v in self.amounts.values())
        ):
            raise ValidationFailed("a fixed amount needs a positive amount per currency", field="amounts")
        if self.ends_at is not None and self.ends_at <= self.starts_at:
            raise ValidationFailed("a promotion ends after it starts", field="ends_at")
        for name, limit in (
            ("usage_limit", self.usage_limit),
            ("per_customer_limit", self.per_customer_limit),
        ):
            if limit is not None and limit < 1:
                raise ValidationFailed(f"{name} is at least 1", field=name)
        if (self.per_customer_limit or self.first_order_only) and self.code is None:
            raise ValidationFailed("only a code can be limited per customer or to a first order")

    @property
    def is_automatic(self) -> bool:
        return self.code is None

    def covers(self, sku: str, category: str) -> bool:
        if not self.skus and not self.categories:
            return True
        return sku in self.skus or category in self.categories


@dataclass(frozen=True, slots=True)
class Shopper:
    """Who is buying, as far as promotions care."""

    customer_id: str | None = None
    first_order: bool = False  # known only for signed-in customers


@dataclass(frozen=True, slots=True)
class DiscountLine:
    """A line as promotions see it: its shelf total and what it is."""

    sku: str
    category: str
    line_total: Money


@dataclass(frozen=True, slots=True)
class AppliedDiscount:
    """One promotion applied to an order: how much it took off and why, kept on the order."""

    promotion_id: str
    code: str | None
    kind: PromotionKind
    description: str
    amount: Money  # off the lines, or the shipping fee waived
    on_shipping: bool = False
    usage_limit: int | None = None
    per_customer_limit: int | None = None


def refusal(  # noqa: PLR0911 - one return per reason, in the order a shopper would fix them
    promotion: Promotion,
    now: datetime,
    currency: str,
    subtotal: Money,
    lines: Sequence[DiscountLine],
    shopper: Shopper,
) -> CommerceError | None:
    """Why the promotion does not apply to this cart now, as the error a code would get; None if it does."""
    label = promotion.code or promotion.id
    if promotion.status is not PromotionStatus.ACTIVE:
        return DiscountCodeInvalid(f"{label} is not active", code=label)
    if now < promotion.starts_at:
        return DiscountCodeExpired(f"{label} is valid from {promotion.starts_at.isoformat()}", code=label)
    if promotion.ends_at is not None and now >= promotion.ends_at:
        return DiscountCodeExpired(f"{label} expired at {promotion.ends_at.isoformat()}", code=label)
    if promotion.kind is PromotionKind.FIXED_AMOUNT and currency not in promotion.amounts:
        return _not_applicable(label, f"{label} is not offered in {currency}", "currency")
    minimum = promotion.min_subtotal.get(currency)
    if minimum is not None and subtotal.amount < minimum:
        shown = Money(minimum, currency).to_decimal()
        return _not_applicable(
            label, f"{label} needs a subtotal of at least {shown} {currency}", "min_subtotal"
        )
    if promotion.signed_in_only and shopper.customer_id is None:
        return _not_applicable(label, f"{label} is for signed-in customers", "signed_in_only")
    if promotion.first_order_only and not (shopper.customer_id and shopper.first_order):
        return _not_applicable(label, f"{label} is for a customer's first order", "first_order_only")
    if promotion.kind is not PromotionKind.FREE_SHIPPING and not any(
        promotion.covers(line.sku, line.category) for line in lines
    ):
        return _not_applicable(label, f"{label} does not apply to anything in the cart", "no_eligible_line")
    return None


def _not_applicable(code: str, detail: str, reason: str) -> DiscountCodeNotApplicable:
    return DiscountCodeNotApplicable(detail, code=code, reason=reason)


def line_discounts(
    promotion: Promotion, lines: Sequence[DiscountLine], already: Mapping[str, Money]
) -> dict[str, Money]:
    """What the promotion takes off each line, given what earlier promotions already took off; a line
    never goes below zero."""
    eligible = [line for line in lines if promotion.covers(line.sku, line.category)]
    remaining = {
        line.sku: line.line_total - already.get(line.sku, Money.zero(line.line_total.currency))
        for line in eligible
    }
    eligible = [line for line in eligible if remaining[line.sku].amount > 0]
    if not eligible:
        return {}
    if promotion.kind is PromotionKind.PERCENTAGE:
        return {
            line.sku: remaining[line.sku].percentage(promotion.percent_bp, Rounding.DOWN) for line in eligible
        }
    if promotion.kind is PromotionKind.FIXED_AMOUNT:
        currency = eligible[0].line_total.currency
        room = sum(remaining[line.sku].amount for line in eligible)
        off = Money(min(promotion.amounts.get(currency, 0), room), currency)
        parts = off.allocate([remaining[line.sku].amount for line in eligible])
        return {line.sku: min(part, remaining[line.sku]) for line, part in zip(eligible, parts, strict=True)}
    return {}
