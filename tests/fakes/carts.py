"""Carts in memory, each change conditioned on the version read, as the table's writes are."""

from __future__ import annotations

import threading

from commerce.domain.cart import Cart
from commerce.domain.errors import (
    Conflict,
)


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
