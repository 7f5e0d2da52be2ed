"""What the shop tells a shopper from what others did: products bought together, and their recent views."""

from __future__ import annotations

from commerce.domain import analytics
from commerce.domain.analytics_ports import AnalyticsStore, ProductDirectory, RecentlyViewed, ViewHistory
from commerce.domain.errors import NotFound

BOUGHT_TOGETHER, BESTSELLER = "bought_together", "category_bestseller"


class Recommendations:
    def __init__(self, store: AnalyticsStore, products: ProductDirectory, views: ViewHistory) -> None:
        self._store, self._products, self._views = store, products, views

    def for_product(self, product_id: str, limit: int) -> list[tuple[str, str, int]]:
        """(product id, reason, score): the products most often in the same paid orders, then the category's
        bestsellers by units sold to make up `limit`."""
        category = self._products.categories_of([product_id]).get(product_id)
        if category is None:
            raise NotFound(f"no product {product_id}")
        together = self._store.partition(analytics.BOUGHT_WITH + product_id)
        chosen = [
            (other, BOUGHT_TOGETHER, int(c.get(analytics.ORDERS, 0)))
            for other, c in sorted(
                together.items(), key=lambda i: (-int(i[1].get(analytics.ORDERS, 0)), i[0])
            )
        ][:limit]
        if len(chosen) < limit:
            taken = {product_id, *(p for p, _, _ in chosen)}
            sellers = self._store.partition(analytics.BESTSELLERS + category)
            ranked = sorted(sellers.items(), key=lambda i: (-int(i[1].get(analytics.UNITS_SOLD, 0)), i[0]))
            chosen += [
                (other, BESTSELLER, int(c.get(analytics.UNITS_SOLD, 0)))
                for other, c in ranked
                if other not in taken
            ][: limit - len(chosen)]
        return chosen

    def viewed(self, customer_id: str, product_id: str, at: str) -> None:
        """Records a signed-in customer's view (the public product page cannot know who is signed in)."""
        if product_id not in self._products.categories_of([product_id]):
            raise NotFound(f"no product {product_id}")
        self._views.remember(customer_id, product_id, at)

    def recently_viewed(self, customer_id: str, limit: int) -> list[RecentlyViewed]:
        return self._views.recent(customer_id, limit)
