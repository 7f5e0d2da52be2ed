"""The ports the use cases talk through; each has a DynamoDB adapter and an in-memory fake."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from commerce.domain.cart import Cart
from commerce.domain.catalog import Category, Product, SkuRecord
from commerce.domain.customer import Address, Profile
from commerce.domain.order_history import OrderRecord

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


class CustomerRepository(Protocol):
    """A customer's own items: profile, address book, and the pointer to their active cart."""

    def get_profile(self, customer_id: str) -> Profile | None: ...

    def save_profile(self, profile: Profile, expected_version: int | None) -> None:
        """Creates the profile (expected_version None) or replaces it if nobody changed it since
        `expected_version`; Conflict otherwise."""
        ...

    def list_addresses(self, customer_id: str) -> list[Address]: ...

    def get_address(self, customer_id: str, address_id: str) -> Address | None: ...

    def add_address(self, customer_id: str, address: Address) -> None: ...

    def replace_address(self, customer_id: str, address: Address) -> None:
        """NotFound if the address is gone (deleted meanwhile)."""
        ...

    def delete_address(self, customer_id: str, address_id: str) -> bool:
        """True if there was such an address."""
        ...

    def active_cart_id(self, customer_id: str) -> str | None: ...

    def delete_customer(self, customer_id: str) -> int:
        """Deletes the profile, the addresses, the active cart and its pointer; how many items went."""
        ...


class OrderHistory(Protocol):
    def list_orders(
        self, customer_id: str, limit: int, position: Mapping[str, Any] | None
    ) -> Page[OrderRecord]:
        """The customer's orders, newest first."""
        ...

    def pseudonymise_orders(self, customer_id: str, erased_at: datetime) -> int:
        """Strips personal data from every order of the customer and detaches them from the customer;
        how many orders were changed."""
        ...
