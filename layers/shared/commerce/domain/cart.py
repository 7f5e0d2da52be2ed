"""The cart: lines of SKUs and quantities, priced only from the server's price list."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from commerce.domain import locale as locales
from commerce.domain.catalog import SkuRecord
from commerce.domain.errors import LimitExceeded, NotSellable, ValidationFailed
from commerce.domain.money import Money, sum_money

if TYPE_CHECKING:
    from commerce.domain.pricing import OrderQuote


# The API's contract states both (api/models.py): a deployment may set lower ones, never higher.
MAX_QUANTITY_PER_LINE = 99
MAX_CART_LINES = 40  # an order of it must fit one DynamoDB transaction (100 items)


@dataclass(frozen=True, slots=True)
class CartPolicy:
    max_quantity_per_line: int = MAX_QUANTITY_PER_LINE
    max_lines: int = MAX_CART_LINES
    ttl: timedelta = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class Cart:
    id: str
    token_hash: str
    currency: str
    created_at: datetime
    updated_at: datetime
    lines: Mapping[str, int] = field(default_factory=dict)
    version: int = 0
    customer_id: str | None = None  # a signed-in customer's cart is opened by their identity, not a token
    # pricing: where the cart will ship, for its tax and shipping estimate, and the code entered
    country: str | None = None
    subdivision: str | None = None
    discount_code: str | None = None
    # the campaign it came from (utm_source, utm_medium, utm_campaign, referrer host),
    # given when it is created and carried to its order
    attribution: Mapping[str, str] = field(default_factory=dict)
    # how to reach a guest about the cart it left (a signed-in customer's cart uses
    # their profile instead), whether they agreed to marketing email, and the language to write in
    email: str | None = None
    marketing_consent: bool = False
    locale: str | None = None

    def expires_at(self, policy: CartPolicy) -> datetime:
        """Sliding expiry: every change pushes it out again."""
        return self.updated_at + policy.ttl

    def with_line(self, sku: SkuRecord, quantity: int, policy: CartPolicy, now: datetime) -> Cart:
        """The cart with the line set to `quantity`; 0 removes it."""
        if quantity < 0:
            raise ValidationFailed("quantity must be zero or more")
        if quantity == 0:
            return self.without_line(sku.sku, now)
        if quantity > policy.max_quantity_per_line:
            raise LimitExceeded(
                f"at most {policy.max_quantity_per_line} of one SKU per cart",
                sku=sku.sku,
                max_quantity=policy.max_quantity_per_line,
            )
        if sku.sku not in self.lines and len(self.lines) >= policy.max_lines:
            raise LimitExceeded(f"a cart holds at most {policy.max_lines} lines", max_lines=policy.max_lines)
        if not sku.is_sellable:
            raise NotSellable(f"SKU {sku.sku} is not on sale", sku=sku.sku)
        if sku.prices.get(self.currency) is None:
            raise NotSellable(f"SKU {sku.sku} is not sold in {self.currency}", sku=sku.sku)
        lines = dict(self.lines)
        lines[sku.sku] = quantity
        return replace(self, lines=lines, updated_at=now, version=self.version + 1)

    def merged_with(
        self, guest: Cart, skus: Mapping[str, SkuRecord], policy: CartPolicy, now: datetime
    ) -> Cart:
        """This cart with a guest cart's lines added: quantities add up, capped at the per-line limit.
        An empty cart takes the guest cart's currency; otherwise every guest line must sell in ours."""
        currency = guest.currency if not self.lines else self.currency
        merged = replace(self, currency=currency)
        for sku, quantity in sorted(guest.lines.items()):
            record = skus.get(sku)
            if record is None:
                continue  # the SKU left the catalog since it was added: nothing to carry over
            wanted = min(merged.lines.get(sku, 0) + quantity, policy.max_quantity_per_line)
            merged = merged.with_line(record, wanted, policy, now)
        return replace(merged, version=self.version + 1, updated_at=now)

    def with_contact(self, email: str, marketing_consent: bool, locale: str | None, now: datetime) -> Cart:
        """The guest's email (already checked) and consent; a change is a touch."""
        return replace(
            self,
            email=email,
            marketing_consent=marketing_consent,
            locale=locale,
            updated_at=now,
            version=self.version + 1,
        )

    def without_line(self, sku: str, now: datetime) -> Cart:
        lines = {k: v for k, v in self.lines.items() if k != sku}
        return replace(self, lines=lines, updated_at=now, version=self.version + 1)


@dataclass(frozen=True, slots=True)
class PricedLine:
    sku: str
    quantity: int
    unit_price: Money
    line_total: Money
    product_id: str
    name: str
    available: bool


@dataclass(frozen=True, slots=True)
class PricedCart:
    cart: Cart
    lines: tuple[PricedLine, ...]
    subtotal: Money
    # pricing: the full price for the cart's country (discounts, tax, shipping), or why there is none
    estimate: OrderQuote | None = None
    estimate_problem: Exception | None = None


def price_cart(cart: Cart, skus: Mapping[str, SkuRecord], locale: str, default_locale: str) -> PricedCart:
    """Price each line from the current price list; a line no longer sellable is shown at its last price
    with `available` false and left out of the subtotal, so the shopper sees why it will not be bought."""
    lines: list[PricedLine] = []
    for sku_code, quantity in sorted(cart.lines.items()):
        record = skus.get(sku_code)
        price = record.prices.get(cart.currency) if record else None
        sellable = bool(record and record.is_sellable and price is not None)
        unit = price if price is not None else Money.zero(cart.currency)
        name = (locales.pick(record.names, locale, default_locale) if record else None) or sku_code
        lines.append(
            PricedLine(
                sku=sku_code,
                quantity=quantity,
                unit_price=unit,
                line_total=unit * quantity,
                product_id=record.product_id if record else "",
                name=name,
                available=sellable,
            )
        )
    subtotal = sum_money((line.line_total for line in lines if line.available), cart.currency)
    return PricedCart(cart=cart, lines=tuple(lines), subtotal=subtotal)
