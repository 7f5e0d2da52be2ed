"""marketing (issue 9): the port of the abandoned-cart index (docs/marketing-events.md)."""

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
        """Marks this idle period of the cart announced (the cart unchanged since it was read, and not
        announced yet), keeping the event in the cart's outbox until `announced`; None only takes the cart
        off the index (nobody to write to). False if another run claimed it or the cart was touched."""
        ...

    def announced(self, cart_id: str, event_id: str) -> None:
        """The event is on the bus: empties the cart's outbox (nothing if the cart changed since)."""
        ...

    def unannounced(self, claimed_before: datetime) -> list[tuple[str, DomainEvent]]:
        """Events claimed at or before the moment but never marked announced (a run that crashed)."""
        ...
