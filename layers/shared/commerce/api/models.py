"""Request and response bodies of the public API; the OpenAPI document is generated from them."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

from commerce.domain.cart import PricedCart
from commerce.domain.customer import AddressInput
from commerce.domain.money import Money
from commerce.domain.order_history import OrderLine, OrderTotals
from commerce.services.browse import CategoryView, ProductPage, ProductView

CURRENCY_PATTERN = r"^[A-Z]{3}$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


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


class ProductOut(BaseModel):
    id: str
    slug: str
    name: str
    description: str
    category: str
    images: list[str]
    variants: list[VariantOut]

    @classmethod
    def of(cls, view: ProductView) -> ProductOut:
        return cls(
            id=view.id,
            slug=view.slug,
            name=view.name,
            description=view.description,
            category=view.category,
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


class OrderLineOut(BaseModel):
    sku: str
    name: str
    quantity: int
    unit_price: MoneyOut
    line_total: MoneyOut
    tax: MoneyOut = Field(description="This line's tax, rounded half up on its own.")

    @classmethod
    def of(cls, line: OrderLine) -> OrderLineOut:
        return cls(
            sku=line.sku,
            name=line.name,
            quantity=line.quantity,
            unit_price=MoneyOut.of(line.unit_price),
            line_total=MoneyOut.of(line.line_total),
            tax=MoneyOut.of(line.tax if line.tax is not None else line.line_total * 0),
        )


class OrderTotalsOut(BaseModel):
    subtotal: MoneyOut
    tax: MoneyOut
    shipping: MoneyOut
    discount: MoneyOut
    total: MoneyOut = Field(description="subtotal + tax + shipping - discount, in minor units.")

    @classmethod
    def of(cls, totals: OrderTotals) -> OrderTotalsOut:
        return cls(
            subtotal=MoneyOut.of(totals.subtotal),
            tax=MoneyOut.of(totals.tax),
            shipping=MoneyOut.of(totals.shipping),
            discount=MoneyOut.of(totals.discount),
            total=MoneyOut.of(totals.total),
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
        return AddressInput(
            label=label,
            recipient_name=self.recipient_name,
            line1=self.line1,
            line2=self.line2,
            city=self.city,
            region=self.region,
            postal_code=self.postal_code,
            country=self.country,
            phone=self.phone,
        )


class CreateCartIn(Strict):
    currency: str = Field(pattern=CURRENCY_PATTERN, description="ISO 4217 code the cart is priced in.")
    # ---- analytics (issue 8): campaign attribution, carried to the cart's order
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

    # ---- end analytics


class SetLineIn(Strict):
    quantity: int = Field(ge=0, le=10_000, description="Units wanted; 0 removes the line.")


class CartLineOut(BaseModel):
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

    @classmethod
    def of(cls, priced: PricedCart) -> CartOut:
        return cls(
            id=priced.cart.id,
            currency=priced.cart.currency,
            lines=[
                CartLineOut(
                    sku=line.sku,
                    product_id=line.product_id,
                    name=line.name,
                    quantity=line.quantity,
                    unit_price=MoneyOut.of(line.unit_price),
                    line_total=MoneyOut.of(line.line_total),
                    available=line.available,
                )
                for line in priced.lines
            ],
            totals=CartTotalsOut(subtotal=MoneyOut.of(priced.subtotal)),
        )


class CreatedCartOut(CartOut):
    token: str = Field(description="Secret that opens the cart; send it as X-Cart-Token. Shown only once.")
