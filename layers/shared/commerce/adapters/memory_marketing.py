"""marketing (issue 9): an in-memory abandoned-cart index over InMemoryCarts, with the Dynamo adapter's
rules: a cart is listed while watched and not claimed at its current version; a touch (a new version)
lists it again."""

from __future__ import annotations

import threading
from datetime import datetime

from commerce.adapters.memory import InMemoryCarts
from commerce.domain.cart import Cart
from commerce.domain.events import DomainEvent
from commerce.domain.marketing import is_watched


class InMemoryAbandonedCarts:
    def __init__(self, carts: InMemoryCarts) -> None:
        self._carts = carts
        self.claimed: dict[str, int] = {}  # cart id -> the version whose idle period was claimed
        self.outbox: dict[str, tuple[datetime, DomainEvent, int]] = {}
        self._lock = threading.Lock()

    def idle(self, touched_before: datetime, limit: int) -> list[str]:
        listed = [
            cart
            for cart in self._carts.carts.values()
            if is_watched(cart) and self.claimed.get(cart.id) != cart.version
        ]
        ordered = sorted((c for c in listed if c.updated_at <= touched_before), key=lambda c: c.updated_at)
        return [cart.id for cart in ordered][:limit]

    def claim(self, cart: Cart, event: DomainEvent | None) -> bool:
        with self._lock:
            current = self._carts.carts.get(cart.id)
            unchanged = current is not None and current.version == cart.version
            if not unchanged or self.claimed.get(cart.id) == cart.version:
                return False
            self.claimed[cart.id] = cart.version
            if event is not None:
                self.outbox[cart.id] = (event.occurred_at, event, cart.version)
            return True

    def announced(self, cart_id: str, event_id: str) -> None:
        with self._lock:
            pending = self.outbox.get(cart_id)
            if pending is not None and pending[1].event_id == event_id:
                del self.outbox[cart_id]

    def unannounced(self, claimed_before: datetime) -> list[tuple[str, DomainEvent]]:
        return [
            (cart_id, event)
            for cart_id, (at, event, version) in self.outbox.items()
            if at <= claimed_before and self._still_claimed(cart_id, version)
        ]

    def _still_claimed(self, cart_id: str, version: int) -> bool:
        current = self._carts.carts.get(cart_id)
        return current is not None and current.version == version
