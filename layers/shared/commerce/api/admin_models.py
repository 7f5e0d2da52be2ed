"""Request and response bodies of the staff catalog API (/admin/...)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, field_validator

from commerce.api.models import CURRENCY_PATTERN, Mirror, MoneyOut, Strict
from commerce.domain.catalog import Category, Product, ProductStatus, Text
from commerce.services.catalog_admin import (
    MAX_ATTRIBUTE,
    MAX_ATTRIBUTES,
    MAX_CATEGORY_NAME,
    MAX_DESCRIPTION,
    MAX_IMAGE_URL,
    MAX_IMAGES,
    MAX_LOW_STOCK_THRESHOLD,
    MAX_NAME,
    MAX_PRICE_MINOR_UNITS,
    MAX_RANK,
    MAX_TRANSLATIONS,
    MAX_VARIANTS,
    NewProduct,
    ProductChanges,
    VariantSpec,
)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SKU_PATTERN = r"^[A-Z0-9][A-Z0-9-]{1,63}$"
PRODUCT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]{1,63}$"

ImageUrl = Annotated[str, Field(pattern=r"^https://\S+$", max_length=MAX_IMAGE_URL)]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=100)]
Rank = Annotated[int, Field(ge=0, le=MAX_RANK, description="Order in listings; lower comes first.")]
EditableStatus = Literal["draft", "active"]


class AdminPriceIn(Strict):
    amount: int = Field(
        ge=0,
        le=MAX_PRICE_MINOR_UNITS,
        description="Integer amount in the currency's minor unit (cents; yen; fils). Never a decimal.",
    )
    currency: str = Field(pattern=CURRENCY_PATTERN, description="ISO 4217 code, one the shop sells in.")


class AdminVariantIn(Strict):
    attributes: dict[str, Annotated[str, Field(max_length=MAX_ATTRIBUTE)]] = Field(
        default_factory=dict, max_length=MAX_ATTRIBUTES, description="Such as size or colour."
    )
    prices: list[AdminPriceIn] | None = Field(
        default=None,
        description="One price per currency. Left out, a variant being replaced keeps its prices.",
    )
    low_stock_threshold: int = Field(default=5, ge=0, le=MAX_LOW_STOCK_THRESHOLD)

    @field_validator("prices")
    @classmethod
    def _one_price_per_currency(cls, prices: list[AdminPriceIn] | None) -> list[AdminPriceIn] | None:
        if prices is not None and len({p.currency for p in prices}) != len(prices):
            raise ValueError("one price per currency")
        return prices

    def to_spec(self, sku: str) -> VariantSpec:
        prices = None if self.prices is None else {p.currency: p.amount for p in self.prices}
        return VariantSpec(sku, dict(self.attributes), prices, self.low_stock_threshold)


class AdminNewVariantIn(AdminVariantIn):
    sku: str = Field(pattern=SKU_PATTERN, description="Unique across the whole catalog.")


class AdminTranslationIn(Strict):
    name: str = Field(min_length=1, max_length=MAX_NAME)
    description: str = Field(default="", max_length=MAX_DESCRIPTION)

    def to_text(self) -> Text:
        return Text(self.name, self.description)


class AdminProductIn(Strict):
    id: str | None = Field(
        default=None, pattern=PRODUCT_ID_PATTERN, description="Left out, the server makes one: prd-<id>."
    )
    slug: Slug
    category: str = Field(max_length=100, description="Slug of an existing category.")
    status: EditableStatus = "draft"
    rank: Rank = 0
    images: list[ImageUrl] = Field(default_factory=list, max_length=MAX_IMAGES)
    translations: dict[str, AdminTranslationIn] = Field(
        min_length=1,
        max_length=MAX_TRANSLATIONS,
        description="Name and description per BCP 47 locale.",
    )
    variants: list[AdminNewVariantIn] = Field(default_factory=list, max_length=MAX_VARIANTS)

    def to_new_product(self) -> NewProduct:
        return self.into(
            NewProduct,
            status=ProductStatus(self.status),
            images=tuple(self.images),
            texts={locale: t.to_text() for locale, t in self.translations.items()},
            variants=tuple(v.to_spec(v.sku) for v in self.variants),
        )


class AdminProductPatchIn(Strict):
    """Only the fields sent change. Translations, variants and prices have their own routes."""

    slug: Slug | None = None
    category: str | None = Field(default=None, max_length=100)
    images: list[ImageUrl] | None = Field(default=None, max_length=MAX_IMAGES)
    rank: Rank | None = None
    status: EditableStatus | None = Field(
        default=None, description="draft or active; archiving has its own route."
    )

    def to_changes(self) -> ProductChanges:
        return self.into(
            ProductChanges,
            images=None if self.images is None else tuple(self.images),
            status=None if self.status is None else ProductStatus(self.status),
        )


CategoryNames = Annotated[
    dict[str, Annotated[str, Field(min_length=1, max_length=MAX_CATEGORY_NAME)]],
    Field(min_length=1, max_length=MAX_TRANSLATIONS, description="Name per BCP 47 locale."),
]


class AdminCategoryIn(Strict):
    slug: Slug
    names: CategoryNames
    parent: str | None = Field(default=None, max_length=100, description="Slug of an existing category.")
    rank: Rank = 0


class AdminCategoryRenameIn(Strict):
    """New names (all of them); the rank too when given. The slug never changes."""

    names: CategoryNames
    rank: Rank | None = None


class AdminTranslationOut(BaseModel):
    name: str
    description: str


class AdminVariantOut(BaseModel):
    sku: str
    attributes: dict[str, str]
    low_stock_threshold: int
    prices: list[MoneyOut]


class AdminProductOut(Mirror):
    """A product as staff see it: any status, every translation, every price."""

    id: str
    slug: str
    category: str
    status: str = Field(description="draft, active or archived")
    rank: int
    images: list[str]
    translations: dict[str, AdminTranslationOut]
    variants: list[AdminVariantOut]

    @classmethod
    def of(cls, product: Product) -> AdminProductOut:
        return cls.copying(
            product,
            status=product.status.value,
            images=list(product.images),
            translations={
                locale: AdminTranslationOut(name=t.name, description=t.description)
                for locale, t in sorted(product.texts.items())
            },
            variants=[
                AdminVariantOut(
                    sku=v.sku,
                    attributes=dict(v.attributes),
                    low_stock_threshold=v.low_stock_threshold,
                    prices=[MoneyOut.of(price) for _, price in sorted(v.prices.items())],
                )
                for v in product.variants
            ],
        )


class AdminProductListOut(BaseModel):
    items: list[AdminProductOut]
    next_cursor: str | None


class AdminCategoryOut(BaseModel):
    slug: str
    names: dict[str, str]
    parent: str | None
    rank: int

    @classmethod
    def of(cls, category: Category) -> AdminCategoryOut:
        return cls(slug=category.slug, names=dict(category.names), parent=category.parent, rank=category.rank)


class AdminCategoryListOut(BaseModel):
    items: list[AdminCategoryOut] = Field(description="By rank, then slug.")
