"""The ports the use cases talk through; each has a DynamoDB adapter and an in-memory fake."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from commerce.domain.cart import Cart
from commerce.domain.catalog import Category, Product, SkuRecord

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    next_position: Mapping[str, Any] | None  # opaque to callers; the service signs it into a cursor


class CatalogRepository(Protocol):
    def get_product(self, product_id: str) -> Product | None: ...

    def get_products(self, product_ids: Sequence[str]) -> dict[str, Product]: ...

    def list_products(
        self, category: str | None, limit: int, position: Mapping[str, Any] | None
    ) -> Page[Product]: ...

    def search(self, language: str, term: str) -> set[str]:
        """Ids of active products indexed under the term in the language."""
        ...

    def list_categories(self) -> list[Category]: ...

    def get_category(self, slug: str) -> Category | None: ...

    def get_skus(self, skus: Sequence[str]) -> dict[str, SkuRecord]: ...

    def save_product(self, product: Product) -> None: ...

    def save_category(self, category: Category) -> None: ...


class StockLevels(Protocol):
    def available(self, skus: Sequence[str]) -> dict[str, int]:
        """Units available to sell per SKU, summed over locations; absent SKUs have none."""
        ...

    def receive(self, sku: str, location: str, quantity: int, note: str) -> None:
        """Adds units on hand at a location, recording a `receipt` movement in the same write."""
        ...


class CartRepository(Protocol):
    def get(self, cart_id: str) -> Cart | None: ...

    def add(self, cart: Cart, expires_at_epoch: int) -> None: ...

    def save(self, cart: Cart, expected_version: int, expires_at_epoch: int) -> None:
        """Replaces the cart if nobody changed it since `expected_version`; Conflict otherwise."""
        ...

    def customer_cart_id(self, customer_id: str) -> str | None:
        """The id of the customer's one active cart, if they have one."""
        ...

    def add_for_customer(self, cart: Cart, expires_at_epoch: int, replacing: str | None = None) -> None:
        """Creates the customer's active cart (in place of `replacing`, an expired one); Conflict if
        they got another one meanwhile."""
        ...

    def absorb(self, cart: Cart, expected_version: int, expires_at_epoch: int, guest: Cart) -> None:
        """Saves the merged cart and deletes the guest cart in one transaction; Conflict if either
        changed since it was read."""
        ...
