"""In-memory fakes of every port, for unit tests of the use cases with no AWS at all."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from commerce.domain import search
from commerce.domain.cart import Cart
from commerce.domain.catalog import Category, Product, SkuRecord
from commerce.domain.customer import Address, Profile
from commerce.domain.errors import Conflict, NotFound, ValidationFailed
from commerce.domain.order_history import OrderRecord
from commerce.domain.ports import Page


class InMemoryCatalog:
    def __init__(self) -> None:
        self.products: dict[str, Product] = {}
        self.categories: dict[str, Category] = {}
        self.skus: dict[str, SkuRecord] = {}

    def get_product(self, product_id: str) -> Product | None:
        return self.products.get(product_id)

    def get_products(self, product_ids: Sequence[str]) -> dict[str, Product]:
        return {pid: self.products[pid] for pid in product_ids if pid in self.products}

    def list_products(
        self, category: str | None, limit: int, position: Mapping[str, Any] | None
    ) -> Page[Product]:
        listed = sorted(
            (p for p in self.products.values() if p.is_sellable and category in (None, p.category)),
            key=lambda p: (p.rank, p.id),
        )
        start = int(position["offset"]) if position else 0
        page = listed[start : start + limit]
        more = start + limit < len(listed)
        return Page(items=tuple(page), next_position={"offset": start + limit} if more else None)

    def search(self, language: str, term: str) -> set[str]:
        return {p.id for p in self.products.values() if (language, term) in search.product_terms(p)}

    def list_categories(self) -> list[Category]:
        return sorted(self.categories.values(), key=lambda c: (c.rank, c.slug))

    def get_category(self, slug: str) -> Category | None:
        return self.categories.get(slug)

    def get_skus(self, skus: Sequence[str]) -> dict[str, SkuRecord]:
        return {s: self.skus[s] for s in skus if s in self.skus}

    def save_product(self, product: Product) -> None:
        """Refuses, as the table's conditions do, a SKU or a slug that another product owns."""
        for variant in product.variants:
            owner = self.skus.get(variant.sku)
            if owner and owner.product_id != product.id:
                raise Conflict(f"SKU {variant.sku} belongs to another product")
        if any(p.slug == product.slug and p.id != product.id for p in self.products.values()):
            raise Conflict(f"slug {product.slug} is used by another product")
        previous = self.products.get(product.id)
        for dropped in {v.sku for v in previous.variants} if previous else set():
            self.skus.pop(dropped, None)
        self.products[product.id] = product
        for variant in product.variants:
            self.skus[variant.sku] = SkuRecord.of(product, variant)

    def save_category(self, category: Category) -> None:
        self.categories[category.slug] = category


@dataclass
class InMemoryStock:
    on_hand: dict[tuple[str, str], int] = field(default_factory=dict)
    reserved: dict[tuple[str, str], int] = field(default_factory=dict)
    movements: list[dict[str, Any]] = field(default_factory=list)

    def available(self, skus: Sequence[str]) -> dict[str, int]:
        totals = dict.fromkeys(skus, 0)
        for (sku, loc), units in self.on_hand.items():
            if sku in totals:
                totals[sku] += max(0, units - self.reserved.get((sku, loc), 0))
        return totals

    def receive(self, sku: str, location: str, quantity: int, note: str) -> None:
        if quantity <= 0:
            raise ValidationFailed("a receipt adds at least one unit")
        self.on_hand[(sku, location)] = self.on_hand.get((sku, location), 0) + quantity
        self.movements.append({"sku": sku, "location": location, "reason": "receipt", "quantity": quantity})


class InMemoryCarts:
    def __init__(self) -> None:
        self.carts: dict[str, Cart] = {}
        self.expiry: dict[str, int] = {}
        self.by_customer: dict[str, str] = {}
        self._lock = threading.Lock()

    def get(self, cart_id: str) -> Cart | None:
        return self.carts.get(cart_id)

    def add(self, cart: Cart, expires_at_epoch: int) -> None:
        with self._lock:
            if cart.id in self.carts:
                raise Conflict("a cart with this id exists")
            self.carts[cart.id] = cart
            self.expiry[cart.id] = expires_at_epoch

    def save(self, cart: Cart, expected_version: int, expires_at_epoch: int) -> None:
        with self._lock:
            current = self.carts.get(cart.id)
            if current is None or current.version != expected_version:
                raise Conflict("the cart changed meanwhile; read it again")
            self.carts[cart.id] = cart
            self.expiry[cart.id] = expires_at_epoch

    def customer_cart_id(self, customer_id: str) -> str | None:
        return self.by_customer.get(customer_id)

    def add_for_customer(self, cart: Cart, expires_at_epoch: int, replacing: str | None = None) -> None:
        assert cart.customer_id
        with self._lock:
            if self.by_customer.get(cart.customer_id) not in (None, replacing):
                raise Conflict("the customer has an active cart")
            self.carts[cart.id] = cart
            self.expiry[cart.id] = expires_at_epoch
            self.by_customer[cart.customer_id] = cart.id

    def absorb(self, cart: Cart, expected_version: int, expires_at_epoch: int, guest: Cart) -> None:
        with self._lock:
            current, current_guest = self.carts.get(cart.id), self.carts.get(guest.id)
            if current is None or current.version != expected_version:
                raise Conflict("the cart changed meanwhile; read it again")
            if current_guest is None or current_guest.version != guest.version:
                raise Conflict("the guest cart changed meanwhile; read it again")
            self.carts[cart.id] = cart
            self.expiry[cart.id] = expires_at_epoch
            del self.carts[guest.id]


class InMemoryCustomers:
    """Profiles, address books and active-cart pointers; erasing a customer also drops their cart."""

    def __init__(self, carts: InMemoryCarts | None = None) -> None:
        self.profiles: dict[str, Profile] = {}
        self.addresses: dict[str, dict[str, Address]] = {}
        # Shares the carts fake's active-cart pointers: in the table both read the same item.
        self.cart_pointers: dict[str, str] = carts.by_customer if carts is not None else {}
        self._carts = carts
        self._lock = threading.Lock()

    def get_profile(self, customer_id: str) -> Profile | None:
        return self.profiles.get(customer_id)

    def save_profile(self, profile: Profile, expected_version: int | None) -> None:
        with self._lock:
            current = self.profiles.get(profile.customer_id)
            if (current is None) != (expected_version is None) or (
                current is not None and current.version != expected_version
            ):
                raise Conflict("the profile changed meanwhile; read it again")
            self.profiles[profile.customer_id] = profile

    def list_addresses(self, customer_id: str) -> list[Address]:
        return list(self.addresses.get(customer_id, {}).values())

    def get_address(self, customer_id: str, address_id: str) -> Address | None:
        return self.addresses.get(customer_id, {}).get(address_id)

    def add_address(self, customer_id: str, address: Address) -> None:
        with self._lock:
            book = self.addresses.setdefault(customer_id, {})
            if address.id in book:
                raise Conflict("an address with this id exists")
            book[address.id] = address

    def replace_address(self, customer_id: str, address: Address) -> None:
        with self._lock:
            book = self.addresses.get(customer_id, {})
            if address.id not in book:
                raise NotFound("no such address")
            book[address.id] = address

    def delete_address(self, customer_id: str, address_id: str) -> bool:
        with self._lock:
            return self.addresses.get(customer_id, {}).pop(address_id, None) is not None

    def active_cart_id(self, customer_id: str) -> str | None:
        return self.cart_pointers.get(customer_id)

    def delete_customer(self, customer_id: str) -> int:
        with self._lock:
            deleted = len(self.addresses.pop(customer_id, {}))
            deleted += self.profiles.pop(customer_id, None) is not None
            cart_id = self.cart_pointers.pop(customer_id, None)
            if cart_id is not None:
                deleted += 1
                if self._carts is not None and self._carts.carts.pop(cart_id, None) is not None:
                    self._carts.expiry.pop(cart_id, None)
                    deleted += 1
            return deleted


class InMemoryOrderHistory:
    def __init__(self) -> None:
        self.orders: dict[str, OrderRecord] = {}

    def add(self, order: OrderRecord) -> None:
        self.orders[order.id] = order

    def list_orders(
        self, customer_id: str, limit: int, position: Mapping[str, Any] | None
    ) -> Page[OrderRecord]:
        mine = sorted(
            (o for o in self.orders.values() if o.customer_id == customer_id),
            key=lambda o: (o.created_at, o.id),
            reverse=True,
        )
        start = int(position["offset"]) if position else 0
        more = start + limit < len(mine)
        return Page(
            items=tuple(mine[start : start + limit]),
            next_position={"offset": start + limit} if more else None,
        )

    def pseudonymise_orders(self, customer_id: str, erased_at: datetime) -> int:
        mine = [o for o in self.orders.values() if o.customer_id == customer_id]
        for order in mine:
            self.orders[order.id] = order.pseudonymised(erased_at)
        return len(mine)
