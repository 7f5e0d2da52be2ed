"""Staff finding products in any status: by status and category in name order, or by words of their names,
slug and SKUs through the staff keyword index."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from commerce.domain import search
from commerce.domain.catalog import Product, ProductStatus
from commerce.domain.ports import CatalogRepository
from commerce.services.pagination import CursorCodec, CursorPage, check_limit

SEARCH_CHUNK = 100  # products read per round while filling a page of search results


@dataclass(frozen=True, slots=True)
class StaffProductQuery:
    status: ProductStatus | None = None
    category: str | None = None
    q: str | None = None
    limit: int = 50
    cursor: str | None = None


class ProductFinder:
    def __init__(self, catalog: CatalogRepository, cursors: CursorCodec) -> None:
        self._catalog = catalog
        self._cursors = cursors

    def find(self, query: StaffProductQuery) -> CursorPage[Product]:
        """A listing sorts by name; a search by product id, after intersecting its terms' ids."""
        check_limit(query.limit)
        terms = search.query_terms(query.q or "")
        context = {"status": query.status, "category": query.category, "terms": terms, "staff": True}
        position = self._cursors.decode(query.cursor, context) if query.cursor else None
        statuses = [query.status] if query.status else list(ProductStatus)
        next_position: Mapping[str, Any] | None
        if terms:
            products, next_position = self._search(terms, statuses, query, position)
        else:
            page = self._catalog.list_for_staff(statuses, query.category, query.limit, position)
            products, next_position = list(page.items), page.next_position
        next_cursor = self._cursors.encode(next_position, context) if next_position else None
        return CursorPage(items=tuple(products), next_cursor=next_cursor)

    def _search(
        self,
        terms: list[str],
        statuses: list[ProductStatus],
        query: StaffProductQuery,
        position: Mapping[str, Any] | None,
    ) -> tuple[list[Product], dict[str, str] | None]:
        ids = search.intersect(self._catalog.search(search.STAFF, term) for term in terms)
        after = str(position.get("after", "")) if position else ""
        remaining = sorted(i for i in ids if i > after)
        found: list[Product] = []
        while remaining and len(found) < query.limit:
            chunk, remaining = remaining[:SEARCH_CHUNK], remaining[SEARCH_CHUNK:]
            products = self._catalog.get_products(chunk)
            for index, pid in enumerate(chunk):
                product = products.get(pid)
                if product and product.status in statuses and query.category in (None, product.category):
                    found.append(product)
                if len(found) == query.limit:
                    remaining = chunk[index + 1 :] + remaining
                    break
        return found, ({"after": found[-1].id} if remaining and found else None)
