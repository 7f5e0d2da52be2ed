"""Request and response bodies of the public API; the OpenAPI document is generated from them."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Self, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

from commerce.api.problems import TYPE_BASE
from commerce.domain.cart import MAX_CART_LINES, MAX_QUANTITY_PER_LINE, PricedCart
from commerce.domain.customer import AddressInput
from commerce.domain.errors import CommerceError
from commerce.domain.money import Money
from commerce.domain.order_lines import OrderLine, OrderTotals
from commerce.domain.pricing import OrderPricing, OrderQuote
from commerce.domain.promotions import AppliedDiscount
from commerce.domain.tax import TaxAmount, rate_text
from commerce.services.browse import CategoryView, ProductPage, ProductView

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

CURRENCY_PATTERN = r"^[A-Z]{3}$"
Built = TypeVar("Built", bound="DataclassInstance")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    def into(self, target: type[Built], /, **converted: Any) -> Built:
        """The domain dataclass `target`, each field this body has under the same name read from it,
        except those given already converted."""
        given = type(self).model_fields
        same = {
            field.name: getattr(self, field.name)
            for field in dataclasses.fields(target)
            if field.name in given and field.name not in converted
        }
        return target(**same, **converted)


class Mirror(BaseModel):
    """A response that shows a domain object's attributes under the same names."""

    @classmethod
    def copying(cls, source: object, /, **converted: Any) -> Self:
        """Every field read from `source` by its name, except those given already converted."""
        same = {name: getattr(source, name) for name in cls.model_fields if name not in converted}
        return cls(**same, **converted)


class MoneyOut(BaseModel):
    amount: int = Field(description="Integer amount in the currency's minor unit (cents; yen; fils).")
    currency: str = Field(pattern=CURRENCY_PATTERN, description="ISO 4217 code.")

    @classmethod
    def of(cls, money: Money) -> MoneyOut:
        return cls(amount=money.amount, currency=money.currency)


class VariantOut(BaseModel):
    sku: str
    attributes: dict[str, str]
    price: MoneyOut
    availability: str = Field(description="in_stock, low_stock or out_of_stock")


class ProductOut(Mirror):
    id: str
    slug: str
    name: str
    description: str
    category: str
    images: list[str]
    variants: list[VariantOut]

    @classmethod
    def of(cls, view: ProductView) -> ProductOut:
        return cls.copying(
            view,
            images=list(view.images),
            variants=[
                VariantOut(
                    sku=v.sku,
                    attributes=dict(v.attributes),
                    price=MoneyOut.of(v.price),
                    availability=v.availability.value,
                )
                for v in view.variants
            ],
        )


class ProductListOut(BaseModel):
    items: list[ProductOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")

    @classmethod
    def of(cls, page: ProductPage) -> ProductListOut:
        return cls(items=[ProductOut.of(p) for p in page.items], next_cursor=page.next_cursor)


class CategoryOut(BaseModel):
    slug: str
    name: str
    parent: str | None

    @classmethod
    def of(cls, view: CategoryView) -> CategoryOut:
        return cls(slug=view.slug, name=view.name, parent=view.parent)


class CategoryListOut(BaseModel):
    items: list[CategoryOut]


# pricing: taxes, discounts and the cart's estimate
class TaxOut(BaseModel):
    name: str = Field(description="The tax as the invoice names it: VAT, GST, QST, California sales tax...")
    rate: str = Field(description="Percentage, exact: '19', '5.5', '9.975'.")
    base: MoneyOut = Field(description="The taxable amount, tax excluded.")
    tax: MoneyOut

    @classmethod
    def of(cls, part: TaxAmount) -> TaxOut:
        return cls(
            name=part.name,
            rate=rate_text(part.rate_ppm),
            base=MoneyOut.of(part.base),
            tax=MoneyOut.of(part.tax),
        )


class DiscountOut(Mirror):
    promotion_id: str
    code: str | None = Field(description="The discount code; null for an automatic promotion.")
    kind: str = Field(description="percentage, fixed_amount or free_shipping")
    description: str = Field(description="Why the discount applies, as the merchant wrote it.")
    amount: MoneyOut = Field(description="Taken off the lines, or the shipping fee waived.")
    on_shipping: bool

    @classmethod
    def of(cls, applied: AppliedDiscount) -> DiscountOut:
        return cls.copying(applied, kind=applied.kind.value, amount=MoneyOut.of(applied.amount))


class ProblemOut(BaseModel):
    type: str
    title: str
    detail: str

    @classmethod
    def of(cls, error: Exception) -> ProblemOut:
        if isinstance(error, CommerceError):
            return cls(type=TYPE_BASE + error.slug, title=error.title, detail=error.detail)
        return cls(type=TYPE_BASE + "bad-request", title="Bad request", detail=str(error))


class InvoiceDetailsOut(Mirror):
    """What the order's invoice shows beyond its lines and totals."""

    seller: dict[str, str] = Field(description="name, and address and tax_id where the shop set them")
    tax_region: str = Field(description="Whose tax rule applied: DE, US-CA, CA-QC...")
    tax_included: bool
    discounts: list[DiscountOut]
    discount_code: str | None
    shipping_zone: str | None
    delivery_days: list[int] | None = Field(description="[fewest, most] working days, as quoted.")

    @classmethod
    def of(cls, pricing: OrderPricing) -> InvoiceDetailsOut:
        return cls.copying(
            pricing,
            seller=dict(pricing.seller),
            discounts=[DiscountOut.of(d) for d in pricing.discounts],
            delivery_days=list(pricing.delivery_days) if pricing.delivery_days else None,
        )


class OrderLineOut(Mirror):
    sku: str
    name: str
    quantity: int
    unit_price: MoneyOut
    line_total: MoneyOut
    tax: MoneyOut = Field(description="This line's tax, rounded half up on its own.")
    discount: MoneyOut | None = Field(default=None, description="Taken off line_total; never more than it.")
    tax_class: str | None = Field(default=None, description="standard, reduced, zero or exempt")
    taxes: list[TaxOut] = Field(default_factory=list, description="The line's tax per tax and rate.")

    @classmethod
    def of(cls, line: OrderLine) -> OrderLineOut:
        return cls.copying(
            line,
            unit_price=MoneyOut.of(line.unit_price),
            line_total=MoneyOut.of(line.line_total),
            tax=MoneyOut.of(line.tax if line.tax is not None else line.line_total * 0),
            discount=MoneyOut.of(line.discount) if line.discount is not None else None,
            taxes=[TaxOut.of(part) for part in line.taxes],
        )


class OrderTotalsOut(BaseModel):
    subtotal: MoneyOut
    tax: MoneyOut
    shipping: MoneyOut
    discount: MoneyOut
    total: MoneyOut = Field(
        description="subtotal - discount + shipping, plus tax unless tax_included, in minor units."
    )
    tax_included: bool = Field(
        default=False, description="Prices include tax (EU, UK, CH, AU, JP): `tax` is inside the total."
    )
    shipping_tax: MoneyOut | None = Field(default=None, description="The part of `tax` on shipping.")
    tax_breakdown: list[TaxOut] = Field(
        default_factory=list, description="Tax by tax and rate; the taxes add up to `tax` exactly."
    )

    @classmethod
    def of(cls, totals: OrderTotals) -> OrderTotalsOut:
        return cls(
            subtotal=MoneyOut.of(totals.subtotal),
            tax=MoneyOut.of(totals.tax),
            shipping=MoneyOut.of(totals.shipping),
            discount=MoneyOut.of(totals.discount),
            total=MoneyOut.of(totals.total),
            tax_included=totals.tax_included,
            shipping_tax=MoneyOut.of(totals.shipping_tax) if totals.shipping_tax is not None else None,
            tax_breakdown=[TaxOut.of(part) for part in totals.tax_breakdown],
        )


class PostalAddressIn(Strict):
    """An address as the address book and checkout take it: postal code checked per country, region
    required for US and CA."""

    recipient_name: str = Field(min_length=1, max_length=200)
    line1: str = Field(min_length=1, max_length=200)
    line2: str | None = Field(default=None, max_length=200)
    city: str = Field(min_length=1, max_length=100)
    region: str | None = Field(
        default=None, max_length=100, description="State or province; required for US and CA (two letters)."
    )
    postal_code: str | None = Field(
        default=None, max_length=16, description="Checked against the country's format where it has one."
    )
    country: str = Field(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2 code, such as FR.")
    phone: str | None = Field(default=None, max_length=32)

    def address(self, label: str | None = None) -> AddressInput:
        # only the postal fields: a subclass's own (an address book's defaults) are not part of the address
        postal = {name: getattr(self, name) for name in PostalAddressIn.model_fields}
        return AddressInput(label=label, **postal)


class CreateCartIn(Strict):
    currency: str | None = Field(
        default=None,
        pattern=CURRENCY_PATTERN,
        description="ISO 4217 code the cart is priced in; left out: the country's default currency.",
    )
    country: str | None = Field(
        default=None,
        pattern=r"^[A-Z]{2}$",
        description="Where it will ship (ISO 3166-1), for tax and shipping.",
    )
    region: str | None = Field(
        default=None, pattern=r"^[A-Z0-9]{1,3}$", description="US state or CA province, such as CA or QC."
    )

    # analytics: campaign attribution, carried to the cart's order
    utm_source: str | None = Field(default=None, max_length=100, description="Campaign source (utm_source).")
    utm_medium: str | None = Field(default=None, max_length=100, description="Campaign medium (utm_medium).")
    utm_campaign: str | None = Field(
        default=None, max_length=100, description="Campaign name (utm_campaign)."
    )
    referrer: str | None = Field(
        default=None, max_length=2048, description="The page that sent the shopper; only its host is kept."
    )

    def attribution(self) -> dict[str, str]:
        """The campaign fields given, trimmed; the referrer reduced to its host (a full URL can carry personal
        data in its path or query)."""
        given = {
            "utm_source": self.utm_source,
            "utm_medium": self.utm_medium,
            "utm_campaign": self.utm_campaign,
            "referrer": urlsplit(self.referrer).hostname if self.referrer else None,
        }
        return {name: value.strip() for name, value in given.items() if value and value.strip()}


class DestinationIn(Strict):
    country: str = Field(pattern=r"^[A-Z]{2}$", description="Where the cart will ship (ISO 3166-1).")
    region: str | None = Field(
        default=None, pattern=r"^[A-Z0-9]{1,3}$", description="US state or CA province, such as CA or QC."
    )


class DiscountCodeIn(Strict):
    code: str = Field(min_length=1, max_length=64)


class CartEstimateOut(BaseModel):
    """The cart priced for its country: discounts, tax and shipping as checkout would charge them."""

    country: str
    tax_region: str
    lines: list[OrderLineOut]
    totals: OrderTotalsOut
    discounts: list[DiscountOut] = Field(description="Each discount applied and why.")
    shipping_zone: str | None
    delivery_days: list[int] | None = Field(description="[fewest, most] working days to deliver.")
    discount_code_problem: ProblemOut | None = Field(
        description="Why the cart's discount code does not apply now (then it is not applied)."
    )

    @classmethod
    def of(cls, estimate: OrderQuote) -> CartEstimateOut:
        shipping = estimate.shipping
        return cls(
            country=estimate.country,
            tax_region=estimate.tax_region,
            lines=[OrderLineOut.of(line) for line in estimate.lines],
            totals=OrderTotalsOut.of(estimate.totals),
            discounts=[DiscountOut.of(d) for d in estimate.discounts],
            shipping_zone=shipping.zone if shipping else None,
            delivery_days=[shipping.min_days, shipping.max_days] if shipping else None,
            discount_code_problem=ProblemOut.of(estimate.code_refusal) if estimate.code_refusal else None,
        )


class SetLineIn(Strict):
    quantity: int = Field(
        ge=0,
        le=MAX_QUANTITY_PER_LINE,
        description=f"Units wanted; 0 removes the line. A cart holds at most {MAX_CART_LINES} lines (a line "
        "beyond them is a 400 `limit-exceeded`).",
    )


class CartLineOut(Mirror):
    sku: str
    product_id: str
    name: str
    quantity: int
    unit_price: MoneyOut
    line_total: MoneyOut
    available: bool = Field(description="False when the SKU can no longer be bought; left out of totals.")


class CartTotalsOut(BaseModel):
    subtotal: MoneyOut


class CartOut(BaseModel):
    id: str
    currency: str
    lines: list[CartLineOut]
    totals: CartTotalsOut
    # pricing
    country: str | None = Field(default=None, description="Where the cart is priced for.")
    discount_code: str | None = None
    estimate: CartEstimateOut | None = Field(
        default=None, description="Discounts, tax, shipping and total for the cart's country."
    )
    estimate_problem: ProblemOut | None = Field(
        default=None, description="Why there is no estimate (a line not sold to the country, ...)."
    )
    # what a guest gave with PUT /carts/{id}/contact, for the storefront to show back
    contact: CartContactOut | None = Field(
        default=None, description="The guest's email and marketing consent, once given; none before."
    )

    @classmethod
    def of(cls, priced: PricedCart) -> CartOut:
        return cls(
            id=priced.cart.id,
            currency=priced.cart.currency,
            lines=[
                CartLineOut.copying(
                    line, unit_price=MoneyOut.of(line.unit_price), line_total=MoneyOut.of(line.line_total)
                )
                for line in priced.lines
            ],
            totals=CartTotalsOut(subtotal=MoneyOut.of(priced.subtotal)),
            country=priced.cart.country,
            discount_code=priced.cart.discount_code,
            estimate=CartEstimateOut.of(priced.estimate) if priced.estimate else None,
            estimate_problem=ProblemOut.of(priced.estimate_problem) if priced.estimate_problem else None,
            contact=CartContactOut(email=priced.cart.email, marketing_consent=priced.cart.marketing_consent)
            if priced.cart.email
            else None,
        )


class CartContactOut(BaseModel):
    email: str
    marketing_consent: bool


class CreatedCartOut(CartOut):
    token: str = Field(description="Secret that opens the cart; send it as X-Cart-Token. Shown only once.")
