"""Products, variants and categories, with their translations and price lists."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from commerce.domain import locale as locales
from commerce.domain.errors import ValidationFailed
from commerce.domain.money import Money
from commerce.domain.product_terms import ProductTerms

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SKU = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,63}$")


class ProductStatus(enum.StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    ARCHIVED = "archived"


class Availability(enum.StrEnum):
    IN_STOCK = "in_stock"
    LOW_STOCK = "low_stock"
    OUT_OF_STOCK = "out_of_stock"

    @classmethod
    def of(cls, available: int, low_threshold: int) -> Availability:
        if available <= 0:
            return cls.OUT_OF_STOCK
        if available <= low_threshold:
            return cls.LOW_STOCK
        return cls.IN_STOCK


@dataclass(frozen=True, slots=True)
class Text:
    """A product's words in one locale."""

    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Variant:
    """One sellable SKU of a product, with its price per currency (the default price list)."""

    sku: str
    attributes: Mapping[str, str]
    prices: Mapping[str, Money]
    low_stock_threshold: int = 5

    def __post_init__(self) -> None:
        if not _SKU.match(self.sku):
            raise ValidationFailed(f"SKU {self.sku!r} must be 2-64 upper-case letters, digits or dashes")
        for currency, price in self.prices.items():
            if price.currency != currency:
                raise ValidationFailed(f"price of {self.sku} listed under {currency} is in {price.currency}")
            if price.amount < 0:
                raise ValidationFailed(f"price of {self.sku} in {currency} is negative")

    def price_in(self, currency: str) -> Money | None:
        return self.prices.get(currency)


@dataclass(frozen=True, slots=True)
class Product:
    id: str
    slug: str
    category: str
    status: ProductStatus
    texts: Mapping[str, Text]
    variants: tuple[Variant, ...]
    images: tuple[str, ...] = ()
    rank: int = 0  # merchandising order in listings; lower comes first
    terms: ProductTerms = field(default_factory=ProductTerms)  # pricing: tax class, weight, restrictions

    def __post_init__(self) -> None:
        if not _SLUG.match(self.slug):
            raise ValidationFailed(f"slug {self.slug!r} must be lower-case words joined by dashes")
        if not self.texts:
            raise ValidationFailed(f"product {self.id} needs a name in at least one locale")
        skus = [v.sku for v in self.variants]
        if len(skus) != len(set(skus)):
            raise ValidationFailed(f"product {self.id} lists a SKU twice")

    @property
    def is_sellable(self) -> bool:
        return self.status is ProductStatus.ACTIVE

    def text(self, locale: str, default: str) -> Text:
        """The text in the locale or the nearest fallback; any translation rather than nothing."""
        chosen = locales.pick(self.texts, locale, default)
        return chosen if chosen is not None else next(iter(self.texts.values()))

    def offered_variants(self, currency: str) -> tuple[Variant, ...]:
        """Variants with a price in the currency: a currency without a price is not sold."""
        return tuple(v for v in self.variants if v.price_in(currency) is not None)

    def variant(self, sku: str) -> Variant | None:
        return next((v for v in self.variants if v.sku == sku), None)


@dataclass(frozen=True, slots=True)
class Category:
    slug: str
    names: Mapping[str, str]
    parent: str | None = None
    rank: int = 0

    def __post_init__(self) -> None:
        if not _SLUG.match(self.slug):
            raise ValidationFailed(f"category slug {self.slug!r} must be lower-case words joined by dashes")

    def name(self, locale: str, default: str) -> str:
        chosen = locales.pick(self.names, locale, default)
        return chosen if chosen is not None else self.slug


@dataclass(frozen=True, slots=True)
class SkuRecord:
    """What a cart needs to know about a SKU, without loading its whole product."""

    sku: str
    product_id: str
    status: ProductStatus
    prices: Mapping[str, Money] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)
    # pricing: the category (for promotions) and the product's terms (tax class, weight, restrictions)
    category: str = ""
    terms: ProductTerms = field(default_factory=ProductTerms)

    @property
    def is_sellable(self) -> bool:
        return self.status is ProductStatus.ACTIVE

    @classmethod
    def of(cls, product: Product, variant: Variant) -> SkuRecord:
        return cls(
            sku=variant.sku,
            product_id=product.id,
            status=product.status,
            prices=dict(variant.prices),
            names={loc: text.name for loc, text in product.texts.items()},
            category=product.category,
            terms=product.terms,
        )
