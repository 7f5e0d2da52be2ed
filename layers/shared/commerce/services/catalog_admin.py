"""Changing the catalog: the staff API's use cases, and the demo loader's (save, receive stock)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from commerce.domain import locale as locales
from commerce.domain.catalog import Category, Product, ProductStatus, Text, Variant
from commerce.domain.errors import Conflict, InvalidState, NotFound, ValidationFailed
from commerce.domain.money import Money
from commerce.domain.ports import CatalogRepository, StockLevels
from commerce.domain.product_terms import ProductTerms
from commerce.services.browse import check_currency

# Cart totals (price x 99 units x 50 lines) stay under 2**53, so clients reading JSON numbers as
# doubles never lose a minor unit; no real price comes near it in any currency.
MAX_PRICE_MINOR_UNITS = 10**12
# Listings sort on the rank written as 8 digits (adapters/dynamodb/catalog.py): more would misorder.
MAX_RANK = 10**8 - 1
MAX_NAME = 200
MAX_DESCRIPTION = 5000
MAX_TRANSLATIONS = 20
MAX_IMAGES = 20
MAX_IMAGE_URL = 2048
# A product is saved in one transaction with its SKUs (at most 100 items, docs/data-model.md).
MAX_VARIANTS = 50
MAX_ATTRIBUTES = 20
MAX_ATTRIBUTE = 100  # characters of an attribute's name or value
MAX_CATEGORY_NAME = 100
MAX_LOW_STOCK_THRESHOLD = 1_000_000

_PRODUCT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{1,63}$")
_IMAGE_URL = re.compile(r"^https://[^\s]+$")
EDITABLE_STATUSES = (ProductStatus.DRAFT, ProductStatus.ACTIVE)


def new_product_id() -> str:
    return f"prd-{uuid.uuid4().hex[:12]}"


@dataclass(frozen=True, slots=True)
class VariantSpec:
    """A variant as staff describe it; prices are minor units per currency, checked before use."""

    sku: str
    attributes: Mapping[str, str] = field(default_factory=dict)
    prices: Mapping[str, int] | None = None  # None keeps the prices of the variant it replaces
    low_stock_threshold: int = 5


@dataclass(frozen=True, slots=True)
class NewProduct:
    slug: str
    category: str
    texts: Mapping[str, Text]
    variants: Sequence[VariantSpec] = ()
    images: Sequence[str] = ()
    rank: int = 0
    status: ProductStatus = ProductStatus.DRAFT
    id: str | None = None  # the server makes one up when absent


@dataclass(frozen=True, slots=True)
class ProductChanges:
    """Fields to change; None leaves a field as it is."""

    slug: str | None = None
    category: str | None = None
    images: Sequence[str] | None = None
    rank: int | None = None
    status: ProductStatus | None = None


@dataclass(frozen=True, slots=True)
class Saved:
    """A product after a PUT, and whether the PUT created the thing it named."""

    product: Product
    created: bool


class CatalogAdmin:
    def __init__(
        self,
        catalog: CatalogRepository,
        stock: StockLevels,
        currencies: Sequence[str] = (),
        new_id: Callable[[], str] = new_product_id,
    ) -> None:
        self._catalog = catalog
        self._stock = stock
        # Without currencies no price can be set: the demo loader saves whole products instead.
        self._currencies = tuple(currencies)
        self._new_id = new_id

    # the demo loader's: whole objects, trusted
    def save_category(self, category: Category) -> None:
        self._catalog.save_category(category)

    def save_product(self, product: Product) -> None:
        if self._catalog.get_category(product.category) is None:
            raise NotFound(f"no category {product.category}")
        self._catalog.save_product(product)

    def receive_stock(self, sku: str, location: str, quantity: int, note: str = "") -> None:
        if not self._catalog.get_skus([sku]):
            raise NotFound(f"no SKU {sku}")
        self._stock.receive(sku, location, quantity, note)

    # products, for staff: any status, every translation and price
    def product(self, product_id: str) -> Product:
        product = self._catalog.get_product(product_id)
        if product is None:
            raise NotFound(f"no product {product_id}")
        return product

    def create_product(self, new: NewProduct) -> Product:
        product_id = new.id or self._new_id()
        if not _PRODUCT_ID.match(product_id):
            raise ValidationFailed("a product id is 2-64 letters, digits or dashes")
        if self._catalog.get_product(product_id) is not None:
            raise Conflict(f"product {product_id} exists")
        self._require_category(new.category)
        product = Product(
            id=product_id,
            slug=new.slug,
            category=new.category,
            status=_editable_status(new.status),
            texts=_texts(new.texts),
            variants=tuple(self._variant(spec, None) for spec in new.variants),
            images=_images(new.images),
            rank=_rank(new.rank),
        )
        return self._save(product)

    def update_product(self, product_id: str, changes: ProductChanges) -> Product:
        current = self._editable(product_id)
        if changes.category is not None and changes.category != current.category:
            self._require_category(changes.category)
        changed = replace(
            current,
            slug=current.slug if changes.slug is None else changes.slug,
            category=current.category if changes.category is None else changes.category,
            images=current.images if changes.images is None else _images(changes.images),
            rank=current.rank if changes.rank is None else _rank(changes.rank),
            status=current.status if changes.status is None else _editable_status(changes.status),
        )
        return self._save(changed)

    def set_terms(self, product_id: str, terms: ProductTerms) -> Product:
        """Pricing: the product's tax class, weight and country restrictions."""
        return self._save(replace(self._editable(product_id), terms=terms))

    def archive_product(self, product_id: str) -> Product:
        """Takes the product off sale for good: out of listings, search and carts. Archiving twice is fine."""
        current = self.product(product_id)
        if current.status is ProductStatus.ARCHIVED:
            return current
        archived = replace(current, status=ProductStatus.ARCHIVED)
        self._catalog.save_product(archived)
        return archived

    def put_variant(self, product_id: str, spec: VariantSpec) -> Saved:
        current = self._editable(product_id)
        existing = current.variant(spec.sku)
        variant = self._variant(spec, existing)
        if existing is None and len(current.variants) >= MAX_VARIANTS:
            raise ValidationFailed(f"a product has at most {MAX_VARIANTS} variants")
        variants = [variant if v.sku == spec.sku else v for v in current.variants]
        if existing is None:
            variants.append(variant)
        return Saved(self._save(replace(current, variants=tuple(variants))), created=existing is None)

    def delete_variant(self, product_id: str, sku: str) -> Product:
        """Frees the SKU for another product, so it must not take stock with it."""
        current = self._editable(product_id)
        if current.variant(sku) is None:
            raise NotFound(f"product {product_id} has no SKU {sku}")
        if self._stock.available([sku]).get(sku, 0) > 0:
            raise InvalidState(f"SKU {sku} still has units in stock; adjust them out first")
        return self._save(replace(current, variants=tuple(v for v in current.variants if v.sku != sku)))

    def set_price(self, product_id: str, sku: str, currency: str, amount: int) -> Saved:
        current = self._editable(product_id)
        variant = current.variant(sku)
        if variant is None:
            raise NotFound(f"product {product_id} has no SKU {sku}")
        price = self._price(currency, amount)
        priced = replace(variant, prices={**variant.prices, currency: price})
        product = replace(current, variants=tuple(priced if v.sku == sku else v for v in current.variants))
        return Saved(self._save(product), created=currency not in variant.prices)

    def put_translation(self, product_id: str, locale: str, name: str, description: str = "") -> Saved:
        current = self._editable(product_id)
        tag = _locale(locale)
        if tag not in current.texts and len(current.texts) >= MAX_TRANSLATIONS:
            raise ValidationFailed(f"a product has at most {MAX_TRANSLATIONS} translations")
        texts = {**current.texts, tag: _text(name, description)}
        return Saved(self._save(replace(current, texts=texts)), created=tag not in current.texts)

    def delete_translation(self, product_id: str, locale: str) -> Product:
        current = self._editable(product_id)
        tag = _locale(locale)
        if tag not in current.texts:
            raise NotFound(f"product {product_id} has no {tag} translation")
        if len(current.texts) == 1:
            raise InvalidState(
                "a product keeps at least one translation; add another before deleting this one"
            )
        return self._save(replace(current, texts={t: x for t, x in current.texts.items() if t != tag}))

    # categories
    def categories(self) -> list[Category]:
        """Every category with its names in every locale and its rank, as staff edit them."""
        return self._catalog.list_categories()

    def create_category(
        self, slug: str, names: Mapping[str, str], parent: str | None = None, rank: int = 0
    ) -> Category:
        category = Category(slug=slug, names=_names(names), parent=parent, rank=_rank(rank))
        if self._catalog.get_category(slug) is not None:
            raise Conflict(f"category {slug} exists")
        if parent is not None:
            self._require_category(parent)
        self._catalog.save_category(category)
        return category

    def rename_category(self, slug: str, names: Mapping[str, str], rank: int | None = None) -> Category:
        """Replaces the names (and the rank when given); the slug, which products point at, stays."""
        current = self._catalog.get_category(slug)
        if current is None:
            raise NotFound(f"no category {slug}")
        renamed = replace(current, names=_names(names), rank=current.rank if rank is None else _rank(rank))
        self._catalog.save_category(renamed)
        return renamed

    # rules every staff change goes through
    def _editable(self, product_id: str) -> Product:
        current = self.product(product_id)
        if current.status is ProductStatus.ARCHIVED:
            raise InvalidState(f"product {product_id} is archived and can no longer change")
        return current

    def _save(self, product: Product) -> Product:
        if product.is_sellable and not any(v.prices for v in product.variants):
            raise InvalidState("a product goes on sale with at least one priced variant")
        self._catalog.save_product(product)
        return product

    def _require_category(self, slug: str) -> None:
        if self._catalog.get_category(slug) is None:
            raise ValidationFailed(f"no category {slug}; create it first")

    def _variant(self, spec: VariantSpec, existing: Variant | None) -> Variant:
        if len(spec.attributes) > MAX_ATTRIBUTES or not all(
            0 < len(name) <= MAX_ATTRIBUTE and len(value) <= MAX_ATTRIBUTE
            for name, value in spec.attributes.items()
        ):
            raise ValidationFailed(
                f"a variant has at most {MAX_ATTRIBUTES} attributes of {MAX_ATTRIBUTE} characters"
            )
        if not 0 <= spec.low_stock_threshold <= MAX_LOW_STOCK_THRESHOLD:
            raise ValidationFailed(f"low_stock_threshold must be between 0 and {MAX_LOW_STOCK_THRESHOLD}")
        if spec.prices is None:
            prices = dict(existing.prices) if existing else {}
        else:
            prices = {currency: self._price(currency, amount) for currency, amount in spec.prices.items()}
        return Variant(
            sku=spec.sku,
            attributes=dict(spec.attributes),
            prices=prices,
            low_stock_threshold=spec.low_stock_threshold,
        )

    def _price(self, currency: str, amount: object) -> Money:
        check_currency(currency, self._currencies)  # ISO 4217 and sold by this shop
        if not isinstance(amount, int) or isinstance(amount, bool):
            raise ValidationFailed("a price is a whole number of the currency's minor unit (cents, yen)")
        if not 0 <= amount <= MAX_PRICE_MINOR_UNITS:
            raise ValidationFailed(f"a price is between 0 and {MAX_PRICE_MINOR_UNITS} minor units")
        return Money(amount, currency)


def _editable_status(status: ProductStatus) -> ProductStatus:
    if status not in EDITABLE_STATUSES:
        raise ValidationFailed("status is draft or active; archive a product with its own operation")
    return status


def _locale(tag: str) -> str:
    normalized = locales.normalize(tag)
    if normalized is None:
        raise ValidationFailed(f"{tag[:35]!r} is not a language tag such as fr or fr-CA")
    return normalized


def _text(name: str, description: str) -> Text:
    name, description = name.strip(), description.strip()
    if not name:
        raise ValidationFailed("a translation needs a name")
    if len(name) > MAX_NAME or len(description) > MAX_DESCRIPTION:
        raise ValidationFailed(f"a name has at most {MAX_NAME} characters, a description {MAX_DESCRIPTION}")
    return Text(name, description)


def _texts(texts: Mapping[str, Text]) -> dict[str, Text]:
    if len(texts) > MAX_TRANSLATIONS:
        raise ValidationFailed(f"a product has at most {MAX_TRANSLATIONS} translations")
    normalized: dict[str, Text] = {}
    for tag, text in texts.items():
        locale = _locale(tag)
        if locale in normalized:
            raise ValidationFailed(f"two translations are for {locale}")
        normalized[locale] = _text(text.name, text.description)
    return normalized


def _names(names: Mapping[str, str]) -> dict[str, str]:
    normalized: dict[str, str] = {}
    for tag, name in names.items():
        locale = _locale(tag)
        if locale in normalized:
            raise ValidationFailed(f"two names are for {locale}")
        normalized[locale] = name.strip()
        if not 0 < len(normalized[locale]) <= MAX_CATEGORY_NAME:
            raise ValidationFailed(f"a category name has 1 to {MAX_CATEGORY_NAME} characters")
    if not normalized:
        raise ValidationFailed("a category needs a name in at least one locale")
    return normalized


def _images(images: Sequence[str]) -> tuple[str, ...]:
    if len(images) > MAX_IMAGES:
        raise ValidationFailed(f"a product has at most {MAX_IMAGES} images")
    for url in images:
        if len(url) > MAX_IMAGE_URL or not _IMAGE_URL.match(url):
            raise ValidationFailed("an image is an https URL")
    return tuple(images)


def _rank(rank: int) -> int:
    if not 0 <= rank <= MAX_RANK:
        raise ValidationFailed(f"rank is between 0 and {MAX_RANK}")
    return rank
