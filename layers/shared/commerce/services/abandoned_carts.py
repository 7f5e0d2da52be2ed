"""The scheduled job that announces carts left idle with lines and an email
(`CartAbandoned`), once per idle period (docs/marketing-events.md). Each claim writes its event into the
outbox in the transaction that takes the cart off the index; the relay publishes them at the end of the run,
and the reservation sweeper's run whatever a run that died left (same event ids)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from commerce.domain.cart import Cart, CartPolicy, price_cart
from commerce.domain.events import DomainEvent
from commerce.domain.marketing import Contact, abandoned_since, cart_abandoned, is_abandoned
from commerce.domain.marketing_ports import AbandonedCartIndex
from commerce.domain.ports import CartRepository, CatalogRepository, CustomerRepository
from commerce.services.outbox import OutboxRelay

CARTS_PER_RUN = 500  # a run's bound; the rest wait for the next run (oldest first in each shard)


@dataclass(frozen=True, slots=True)
class AbandonmentReport:
    announced: tuple[str, ...]
    skipped: int  # idle carts with nobody to write to (a signed-in owner without an email)


class AbandonedCarts:
    def __init__(
        self,
        *,
        index: AbandonedCartIndex,
        carts: CartRepository,
        catalog: CatalogRepository,
        customers: CustomerRepository,
        relay: OutboxRelay,
        clock: Callable[[], datetime],
        after: timedelta,
        default_locale: str,
        policy: CartPolicy | None = None,
    ) -> None:
        self._index = index
        self._carts = carts
        self._catalog = catalog
        self._customers = customers
        self._relay = relay
        self._clock = clock
        self._after = after
        self._default_locale = default_locale
        self._policy = policy or CartPolicy()

    def run(self, after: timedelta | None = None) -> AbandonmentReport:
        """Announces every cart idle for `after` (the configured time by default) and not yet announced
        for this idle period."""
        now = self._clock()
        after = self._after if after is None else after
        claimed: list[tuple[str, DomainEvent]] = []
        skipped = 0
        for cart_id in self._index.idle(abandoned_since(now, after), CARTS_PER_RUN):
            cart = self._carts.get(cart_id)  # the index is eventually consistent: decide on the cart itself
            if cart is None or not is_abandoned(cart, now, after):
                continue
            if cart.expires_at(self._policy) <= now:
                continue  # expired, waiting for TTL to delete it (up to days late): nobody can open it
            event = self._announcement(cart, now)
            if self._index.claim(cart, event):
                if event is None:
                    skipped += 1
                else:
                    claimed.append((cart.id, event))
        self._relay.deliver([event for _, event in claimed])
        return AbandonmentReport(announced=tuple(cart_id for cart_id, _ in claimed), skipped=skipped)

    def _announcement(self, cart: Cart, now: datetime) -> DomainEvent | None:
        contact = self._contact(cart)
        if contact is None:
            return None
        skus = self._catalog.get_skus(list(cart.lines))
        priced = price_cart(cart, skus, contact.locale or self._default_locale, self._default_locale)
        if not any(line.available for line in priced.lines):
            return None  # nothing left in it that can be bought: nothing to remind anyone of
        return cart_abandoned(priced, contact, now, self._default_locale)

    def _contact(self, cart: Cart) -> Contact | None:
        """A guest's own email on the cart; a signed-in customer's from their profile (as it is now)."""
        if cart.customer_id is None:
            return Contact(cart.email, cart.marketing_consent, cart.locale) if cart.email else None
        profile = self._customers.get_profile(cart.customer_id)
        if profile is None or not profile.email:
            return None
        return Contact(profile.email, profile.marketing_consent.granted, profile.locale)
