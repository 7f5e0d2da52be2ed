"""Request and response bodies of the staff promotions and FX-rate API (`/admin/promotions...`,
`/admin/fx-rates...`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, field_validator

from commerce.api.models import CURRENCY_PATTERN, Mirror, MoneyOut, Strict
from commerce.domain.errors import ValidationFailed
from commerce.domain.fx import FxSnapshot
from commerce.domain.money import Money
from commerce.domain.product_terms import ProductTerms
from commerce.domain.promotions import Promotion, PromotionKind, normalise_code
from commerce.domain.regions import Restrictions
from commerce.domain.tax import TaxClass
from commerce.services.promotions_admin import PromotionReport

PROMOTION_ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class PromotionIn(Strict):
    """A discount code (give `code`) or an automatic promotion (give `id`, no code)."""

    code: str | None = Field(default=None, min_length=3, max_length=32, description="Case-insensitive.")
    id: str | None = Field(default=None, pattern=PROMOTION_ID, max_length=64, description="Automatic only.")
    kind: Literal["percentage", "fixed_amount", "free_shipping"]
    description: str = Field(min_length=1, max_length=200, description="Shown to the shopper: why.")
    percent_bp: int = Field(
        default=0, ge=0, le=10_000, description="Percentage in basis points: 1000 = 10 %."
    )
    amounts: dict[str, int] = Field(
        default_factory=dict, description="fixed_amount: minor units per currency."
    )
    min_subtotal: dict[str, int] = Field(default_factory=dict, description="Minor units per currency.")
    skus: list[str] = Field(default_factory=list, max_length=100)
    categories: list[str] = Field(default_factory=list, max_length=50)
    signed_in_only: bool = False
    first_order_only: bool = False
    starts_at: datetime
    ends_at: datetime | None = None
    usage_limit: int | None = Field(default=None, ge=1)
    per_customer_limit: int | None = Field(default=None, ge=1)

    @field_validator("starts_at", "ends_at", mode="before")
    @classmethod
    def _iso_text(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                raise ValueError("an ISO 8601 date-time") from None
            if parsed.tzinfo is None:
                raise ValueError("a date-time with its offset, such as 2026-11-27T00:00:00+00:00")
            return parsed
        return value

    def promotion(self) -> Promotion:
        for currency in (*self.amounts, *self.min_subtotal):
            if len(currency) != 3 or not currency.isupper():
                raise ValidationFailed(f"{currency[:8]!r} is not a currency code", field="amounts")
        if (self.code is None) == (self.id is None):
            raise ValidationFailed("give either a code (a discount code) or an id (an automatic promotion)")
        code = normalise_code(self.code) if self.code else None
        return self.into(
            Promotion,
            id=code or str(self.id),
            kind=PromotionKind(self.kind),
            code=code,
            skus=frozenset(self.skus),
            categories=frozenset(self.categories),
        )


class PromotionOut(Mirror):
    id: str
    code: str | None
    kind: str
    status: str = Field(description="active or paused")
    description: str
    percent_bp: int
    amounts: dict[str, int]
    min_subtotal: dict[str, int]
    skus: list[str]
    categories: list[str]
    signed_in_only: bool
    first_order_only: bool
    starts_at: datetime
    ends_at: datetime | None
    usage_limit: int | None
    per_customer_limit: int | None
    uses: int = Field(description="Orders placed with it.")
    discount_given: list[MoneyOut] = Field(description="Discount given so far, per currency.")

    @classmethod
    def of(cls, report: PromotionReport) -> PromotionOut:
        p = report.promotion
        return cls.copying(
            p,
            kind=p.kind.value,
            status=p.status.value,
            amounts=dict(p.amounts),
            min_subtotal=dict(p.min_subtotal),
            skus=sorted(p.skus),
            categories=sorted(p.categories),
            uses=report.usage.uses,
            discount_given=[
                MoneyOut.of(Money(amount, currency))
                for currency, amount in sorted(report.usage.discount_given.items())
            ],
        )


class PromotionListOut(BaseModel):
    items: list[PromotionOut]


class FxSnapshotIn(Strict):
    base: str = Field(pattern=CURRENCY_PATTERN, description="The reporting currency.")
    date: date
    rates: dict[str, str] = Field(
        min_length=1, max_length=200, description="Units of each currency per one unit of base, as decimals."
    )
    source: str = Field(default="", max_length=200, description="Where the rates come from, e.g. ECB.")

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                raise ValueError("an ISO 8601 date such as 2026-11-26") from None
        return value

    def snapshot(self) -> FxSnapshot:
        return FxSnapshot(base=self.base, day=self.date, rates=self.rates, source=self.source)


class FxSnapshotOut(BaseModel):
    base: str
    date: date
    rates: dict[str, str]
    source: str

    @classmethod
    def of(cls, snapshot: FxSnapshot) -> FxSnapshotOut:
        return cls(base=snapshot.base, date=snapshot.day, rates=dict(snapshot.rates), source=snapshot.source)


# a product's pricing terms (served by the admin catalog function)
CountryList = list[Annotated[str, Field(pattern=r"^[A-Z]{2}$")]]


class ProductTermsIn(Strict):
    tax_class: Literal["standard", "reduced", "zero", "exempt"] = "standard"
    weight_grams: int = Field(default=0, ge=0, le=1_000_000, description="Per unit, for shipping by weight.")
    not_sold_in: CountryList = Field(default_factory=list, max_length=250)
    not_shipped_to: CountryList = Field(default_factory=list, max_length=250)

    def terms(self) -> ProductTerms:
        return ProductTerms(
            tax_class=TaxClass(self.tax_class),
            weight_grams=self.weight_grams,
            restrictions=Restrictions(frozenset(self.not_sold_in), frozenset(self.not_shipped_to)),
        )


class ProductTermsOut(BaseModel):
    product_id: str
    tax_class: str
    weight_grams: int
    not_sold_in: list[str]
    not_shipped_to: list[str]

    @classmethod
    def of(cls, product_id: str, terms: ProductTerms) -> ProductTermsOut:
        return cls(
            product_id=product_id,
            tax_class=terms.tax_class.value,
            weight_grams=terms.weight_grams,
            not_sold_in=sorted(terms.restrictions.not_sold_in),
            not_shipped_to=sorted(terms.restrictions.not_shipped_to),
        )
