"""Customers in memory: profiles, address books, and the order history they see."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from commerce.domain.customer import Address, Profile
from commerce.domain.errors import (
    Conflict,
    NotFound,
)
from commerce.domain.events import DomainEvent
from commerce.domain.order_history import OrderRecord
from commerce.domain.ports import Page
from tests.fakes.carts import InMemoryCarts
from tests.fakes.outbox import InMemoryOutbox
from tests.fakes.paging import offset_page


class InMemoryCustomers:
    """Profiles, address books and active-cart pointers; erasing a customer also drops their cart."""

    def __init__(self, carts: InMemoryCarts | None = None, outbox: InMemoryOutbox | None = None) -> None:
        self.profiles: dict[str, Profile] = {}
        self.addresses: dict[str, dict[str, Address]] = {}
        # Shares the carts fake's active-cart pointers: in the table both read the same item.
        self.cart_pointers: dict[str, str] = carts.by_customer if carts is not None else {}
        self._carts = carts
        self._lock = threading.Lock()
        self.outbox = outbox or InMemoryOutbox()  # the events a profile change announces, added with it

    def get_profile(self, customer_id: str) -> Profile | None:
        return self.profiles.get(customer_id)

    def save_profile(
        self, profile: Profile, expected_version: int | None, events: Sequence[DomainEvent] = ()
    ) -> None:
        with self._lock:
            current = self.profiles.get(profile.customer_id)
            if (current is None) != (expected_version is None) or (
                current is not None and current.version != expected_version
            ):
                raise Conflict("the profile changed meanwhile; read it again")
            self.profiles[profile.customer_id] = profile
            self.outbox.add(events)

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
        return offset_page(mine, limit, position)

    def pseudonymise_orders(self, customer_id: str, erased_at: datetime) -> int:
        mine = [o for o in self.orders.values() if o.customer_id == customer_id]
        for order in mine:
            self.orders[order.id] = order.pseudonymised(erased_at)
        return len(mine)
