"""An in-memory abandoned-cart index over InMemoryCarts, with the Dynamo adapter's
rules: a cart is listed while watched and not claimed at its current version; a touch (a new version)
lists it again. A claim adds its event to the outbox in the same step."""

from __future__ import annotations

import threading
from datetime import datetime

from commerce.domain.cart import Cart
from commerce.domain.events import DomainEvent
from commerce.domain.marketing import is_watched
from tests.fakes.carts import InMemoryCarts
from tests.fakes.outbox import InMemoryOutbox


class InMemoryAbandonedCarts:
    def __init__(self, carts: InMemoryCarts, outbox: InMemoryOutbox | None = None) -> None:
        self._carts = carts
        self.outbox = outbox or InMemoryOutbox()
        self.claimed: dict[str, int] = {}  # cart id -> the version whose idle period was claimed
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
            self.outbox.add([event] if event else [])
            return True
