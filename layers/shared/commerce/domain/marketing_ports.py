"""The port of the abandoned-cart index (docs/marketing-events.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from commerce.domain.cart import Cart
from commerce.domain.events import DomainEvent


class AbandonedCartIndex(Protocol):
    def idle(self, touched_before: datetime, limit: int) -> list[str]:
        """Ids of carts in the index last touched at or before the moment, oldest first within each shard."""
        ...

    def claim(self, cart: Cart, event: DomainEvent | None) -> bool:
        """Marks this idle period of the cart announced and takes it off the index (the cart unchanged since
        it was read, and not claimed yet), writing `event` into the outbox in the same transaction; None
        only takes the cart off the index (nobody to write to). False if another run claimed it or the cart
        was touched; then nothing is written."""
        ...
