"""Browsing the catalog: listings, keyword search, product pages and categories."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from commerce.domain import search
from commerce.domain.catalog import Availability, Product
from commerce.domain.channels import Channel
from commerce.domain.currency import currency as parse_currency
from commerce.domain.errors import NotFound, UnsupportedCurrency, ValidationFailed
from commerce.domain.inventory_ports import ChannelScopes
from commerce.domain.money import Money
from commerce.domain.ports import CatalogRepository, StockLevels
from commerce.services.pagination import CursorCodec

MAX_LIMIT = 100
SEARCH_CHUNK = 100  # ids fetched per round while filling a page of search results


@dataclass(frozen=True, slots=True)
class ProductQuery:
    currency: str
    locale: str
    category: str | None = None
    q: str | None = None
    limit: int = 20
    cursor: str | None = None
    channel: str | None = None  # inventory: a sales channel's products, currency and locations
    country: str | None = None  # pricing: hide products not sold or shipped there


@dataclass(frozen=True, slots=True)
class VariantView:
    sku: str
    attributes: Mapping[str, str]
    price: Money
    availability: Availability


@dataclass(frozen=True, slots=True)
class ProductView:
    id: str
    slug: str
    name: str
    description: str
    category: str
    images: tuple[str, ...]
    variants: tuple[VariantView, ...]


@dataclass(frozen=True, slots=True)
class ProductPage:
    items: tuple[ProductView, ...]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class CategoryView:
    slug: str
    name: str
    parent: str | None


def check_currency(code: str, supported: Sequence[str]) -> str:
    parse_currency(code)  # UnknownCurrency for anything that is not ISO 4217
    if code not in supported:
        raise UnsupportedCurrency(f"prices are not offered in {code}", supported=list(supported))
    return code


class Browse:
    def __init__(
        self,
        catalog: CatalogRepository,
        stock: StockLevels,
        cursors: CursorCodec,
        currencies: Sequence[str],
        default_locale: str,
        channels: ChannelScopes | None = None,
    ) -> None:
        self._catalog = catalog
        self._stock = stock
        self._cursors = cursors
        self._currencies = tuple(currencies)
        self._default_locale = default_locale
        self._channels = channels

    def list_products(self, query: ProductQuery) -> ProductPage:
        check_currency(query.currency, self._currencies)
        channel = self._channel(query.channel, query.currency)
        if not 1 <= query.limit <= MAX_LIMIT:
            raise ValidationFailed(f"limit must be between 1 and {MAX_LIMIT}")
        context = {"category": query.category, "q": query.q, "locale": self._search_language(query.locale)}
        position = self._cursors.decode(query.cursor, context) if query.cursor else None
        if query.q and search.query_terms(query.q):
            products, next_position = self._search(query, position)
        else:
            page = self._catalog.list_products(query.category, query.limit, position)
            products, next_position = list(page.items), page.next_position
        products = [p for p in products if channel is None or channel.sells(p.id)]
        # pricing: a product restricted in the shopper's country is not shown there (pages may be short)
        products = [p for p in products if p.terms.restrictions.refusal(query.country) is None]
        views = self._views(products, query.currency, query.locale, channel)
        next_cursor = self._cursors.encode(next_position, context) if next_position else None
        return ProductPage(items=tuple(v for v in views if v.variants), next_cursor=next_cursor)

    def get_product(
        self,
        product_id: str,
        currency: str,
        locale: str,
        country: str | None = None,
        channel_id: str | None = None,
    ) -> ProductView:
        check_currency(currency, self._currencies)
        channel = self._channel(channel_id, currency)
        product = self._catalog.get_product(product_id)
        if (
            product is None
            or not product.is_sellable
            or (channel is not None and not channel.sells(product.id))
        ):
            raise NotFound(f"no product {product_id}")
        refused = product.terms.restrictions.refusal(country)  # pricing: restricted by country
        if refused is not None:
            raise NotFound(f"product {product_id} is {refused}", reason=refused)
        return self._views([product], currency, locale, channel)[0]

    # inventory: sales channels
    def channel_currency(self, channel_id: str | None) -> str | None:
        """The currency of the channel's price list, for a request that names a channel and no currency."""
        channel = self._channel(channel_id, None)
        return channel.currency if channel else None

    def _channel(self, channel_id: str | None, currency: str | None) -> Channel | None:
        if channel_id is None or self._channels is None:
            return None
        channel = self._channels.channel(channel_id)
        if currency is not None and currency != channel.currency:
            raise UnsupportedCurrency(
                f"{channel.id} sells in {channel.currency}", supported=[channel.currency]
            )
        return channel

    def list_categories(self, locale: str) -> list[CategoryView]:
        return [
            CategoryView(c.slug, c.name(locale, self._default_locale), c.parent)
            for c in self._catalog.list_categories()
        ]

    def _search_language(self, locale: str) -> str:
        return locale.split("-", maxsplit=1)[0]

    def _search(self, query: ProductQuery, position: Mapping[str, Any] | None) -> tuple[list[Product], Any]:
        """Ids matching every term, in id order, read a chunk at a time until the page is full.
        Relevance ranking is left to OpenSearch at scale (docs/data-model.md)."""
        terms = search.query_terms(query.q or "")
        ids = self._matching_ids(self._search_language(query.locale), terms)
        if not ids and self._search_language(query.locale) != self._default_locale.split("-")[0]:
            ids = self._matching_ids(self._default_locale.split("-")[0], terms)
        after = str(position.get("after", "")) if position else ""
        remaining = [i for i in sorted(ids) if i > after]
        found: list[Product] = []
        last_read = after
        while remaining and len(found) < query.limit:
            chunk, remaining = remaining[:SEARCH_CHUNK], remaining[SEARCH_CHUNK:]
            products = self._catalog.get_products(chunk)
            for pid in chunk:
                last_read = pid
                product = products.get(pid)
                if product and product.is_sellable and query.category in (None, product.category):
                    found.append(product)
                    if len(found) == query.limit:
                        remaining = [i for i in chunk if i > pid] + remaining
                        break
        return found, ({"after": last_read} if remaining else None)

    def _matching_ids(self, language: str, terms: list[str]) -> set[str]:
        result: set[str] | None = None
        for term in terms:
            ids = self._catalog.search(language, term)
            result = ids if result is None else result & ids
            if not result:
                return set()
        return result or set()

    def _views(
        self, products: Sequence[Product], currency: str, locale: str, channel: Channel | None = None
    ) -> list[ProductView]:
        skus = [v.sku for p in products for v in p.offered_variants(currency)]
        if not skus:
            available: dict[str, int] = {}
        elif channel is not None and channel.locations and self._channels is not None:
            available = self._channels.available(channel, skus)  # inventory: the channel's locations only
        else:
            available = self._stock.available(skus)
        views = []
        for product in products:
            text = product.text(locale, self._default_locale)
            variants = tuple(
                VariantView(
                    sku=v.sku,
                    attributes=v.attributes,
                    price=v.prices[currency],
                    availability=Availability.of(available.get(v.sku, 0), v.low_stock_threshold),
                )
                for v in product.offered_variants(currency)
            )
            views.append(
                ProductView(
                    id=product.id,
                    slug=product.slug,
                    name=text.name,
                    description=text.description,
                    category=product.category,
                    images=product.images,
                    variants=variants,
                )
            )
        return views
