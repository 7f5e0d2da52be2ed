"""A signed-in customer's account: profile, address book, order history, the rights to export and erase.

A marketing consent change (`CustomerConsentChanged`) is written into the outbox in the transaction that
saves the profile, and published by the relay right after (the reservation sweeper publishes what a crash
left, same event id). Erasure's withdrawal goes into the outbox before the deletion, which cannot share its
transaction (a batch of deletes)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from commerce.domain.cart import Cart
from commerce.domain.customer import (
    KEEP,
    Address,
    AddressInput,
    Keep,
    Profile,
    ProfileChanges,
    check_room_for_address,
)
from commerce.domain.errors import Conflict, NotFound, ValidationFailed
from commerce.domain.events import DomainEvent
from commerce.domain.identity import Principal
from commerce.domain.marketing import consent_changed
from commerce.domain.order_history import OrderRecord
from commerce.domain.ports import CartRepository, CustomerRepository, OrderHistory
from commerce.services.browse import check_currency
from commerce.services.outbox import OutboxRelay
from commerce.services.pagination import CursorCodec, CursorPage

SAVE_ATTEMPTS = 3
MAX_ORDERS_PAGE = 50
EXPORT_PAGE = 100


@dataclass(frozen=True, slots=True)
class SavedAddress:
    address: Address
    default_shipping: bool
    default_billing: bool

    @classmethod
    def of(cls, address: Address, profile: Profile) -> SavedAddress:
        return cls(
            address,
            default_shipping=profile.default_shipping_address_id == address.id,
            default_billing=profile.default_billing_address_id == address.id,
        )


@dataclass(frozen=True, slots=True)
class CustomerExport:
    """Everything the shop holds about the customer, in one document (GDPR art. 15 and 20)."""

    exported_at: datetime
    profile: Profile
    addresses: tuple[SavedAddress, ...]
    cart: Cart | None
    orders: tuple[OrderRecord, ...]


@dataclass(frozen=True, slots=True)
class Erasure:
    """What an erasure did, in counts only (it is logged)."""

    items_deleted: int
    orders_pseudonymised: int


class Customers:
    def __init__(
        self,
        *,
        customers: CustomerRepository,
        orders: OrderHistory,
        carts: CartRepository,
        cursors: CursorCodec,
        currencies: Sequence[str],
        clock: Callable[[], datetime],
        relay: OutboxRelay | None = None,  # publishes CustomerConsentChanged
        default_locale: str = "en",
    ) -> None:
        self._customers = customers
        self._orders = orders
        self._carts = carts
        self._cursors = cursors
        self._currencies = tuple(currencies)
        self._clock = clock
        self._relay = relay
        self._default_locale = default_locale

    # profile
    def profile(self, principal: Principal) -> Profile:
        """The caller's profile; the first call after a sign-up creates it from the token's email."""
        existing = self._customers.get_profile(principal.subject)
        if existing is not None:
            return existing
        created = Profile.new(principal.subject, principal.email, self._clock())
        try:
            self._customers.save_profile(created, expected_version=None)
        except Conflict:  # a concurrent first request created it
            return self._customers.get_profile(principal.subject) or created
        return created

    def update_profile(self, principal: Principal, changes: ProfileChanges) -> Profile:
        if isinstance(changes.currency, str):
            check_currency(changes.currency, self._currencies)

        def change(profile: Profile) -> Profile:
            return profile.changed(changes, self._clock())

        return self._change_profile(principal, change, self._consent_moves)

    def _consent_moves(self, before: Profile, after: Profile) -> list[DomainEvent]:
        """What the email-marketing tool must hear of a profile change: consent given or withdrawn, and, for
        a customer who consents, an address changed (the old one unsubscribed, the new one subscribed)."""
        was, now = before.marketing_consent.granted, after.marketing_consent.granted
        moved = before.email != after.email
        if was and not now:
            return [self._consent_changed(after, False, "profile", email=before.email)]
        if not was and now:
            return [self._consent_changed(after, True, "profile")]
        if was and now and moved:
            replaced = [self._consent_changed(after, False, "email_replaced", email=before.email)]
            return [*(replaced if before.email else []), self._consent_changed(after, True, "email_changed")]
        return []

    # address book
    def addresses(self, principal: Principal) -> list[SavedAddress]:
        profile = self.profile(principal)
        book = sorted(self._customers.list_addresses(principal.subject), key=lambda a: (a.created_at, a.id))
        return [SavedAddress.of(a, profile) for a in book]

    def add_address(
        self, principal: Principal, given: AddressInput, default_shipping: bool, default_billing: bool
    ) -> SavedAddress:
        self.profile(principal)
        check_room_for_address(len(self._customers.list_addresses(principal.subject)))
        now = self._clock()
        address = Address.of(str(uuid.uuid4()), given, created_at=now, updated_at=now)
        self._customers.add_address(principal.subject, address)
        profile = self._set_defaults(principal, address.id, default_shipping or None, default_billing or None)
        return SavedAddress.of(address, profile)

    def update_address(
        self,
        principal: Principal,
        address_id: str,
        given: AddressInput,
        default_shipping: bool | None,
        default_billing: bool | None,
    ) -> SavedAddress:
        """Replaces the address; a default flag true makes it the default, false stops it being one,
        absent leaves the default as it is."""
        existing = self._customers.get_address(principal.subject, address_id)
        if existing is None:
            raise NotFound("no such address")
        address = Address.of(address_id, given, created_at=existing.created_at, updated_at=self._clock())
        self._customers.replace_address(principal.subject, address)
        profile = self._set_defaults(principal, address_id, default_shipping, default_billing)
        return SavedAddress.of(address, profile)

    def delete_address(self, principal: Principal, address_id: str) -> None:
        if not self._customers.delete_address(principal.subject, address_id):
            raise NotFound("no such address")
        profile = self._customers.get_profile(principal.subject)
        if profile and address_id in (
            profile.default_shipping_address_id,
            profile.default_billing_address_id,
        ):
            self._change_profile(principal, lambda p: p.without_address(address_id, self._clock()))

    # orders
    def orders(self, principal: Principal, limit: int, cursor: str | None) -> CursorPage[OrderRecord]:
        if not 1 <= limit <= MAX_ORDERS_PAGE:
            raise ValidationFailed(f"limit must be between 1 and {MAX_ORDERS_PAGE}")
        context = {"query": "my-orders", "customer": principal.subject}
        position = self._cursors.decode(cursor, context) if cursor else None
        page = self._orders.list_orders(principal.subject, limit, position)
        next_cursor = self._cursors.encode(page.next_position, context) if page.next_position else None
        return CursorPage(page.items, next_cursor)

    # privacy rights
    def export(self, principal: Principal) -> CustomerExport:
        cart_id = self._customers.active_cart_id(principal.subject)
        return CustomerExport(
            exported_at=self._clock(),
            profile=self.profile(principal),
            addresses=tuple(self.addresses(principal)),
            cart=self._carts.get(cart_id) if cart_id else None,
            orders=tuple(self._all_orders(principal.subject)),
        )

    def erase(self, principal: Principal) -> Erasure:
        """Deletes the customer's personal data and pseudonymises their orders; running it again finds
        nothing left to do. Orders go first: if the deletion fails halfway, a retry still finds them."""
        # Erasure withdraws consent, only if it was granted. Written into the outbox
        # before the profile goes (a retried erasure writes it again, with the same event id).
        profile = self._customers.get_profile(principal.subject)
        if profile is not None and profile.marketing_consent.granted and self._relay is not None:
            self._relay.add_and_deliver([self._consent_changed(profile, False, "erased")])
        pseudonymised = self._orders.pseudonymise_orders(principal.subject, self._clock())
        deleted = self._customers.delete_customer(principal.subject)
        return Erasure(items_deleted=deleted, orders_pseudonymised=pseudonymised)

    # plumbing
    def _consent_changed(
        self, profile: Profile, granted: bool, reason: str, email: str | None = None
    ) -> DomainEvent:
        """One CustomerConsentChanged for a change that happened (`email`: the address
        it is about, when not the profile's own, as for an unsubscribe of the address it replaced)."""
        changed_at = (profile.marketing_consent.changed_at if reason == "profile" else None) or self._clock()
        return consent_changed(
            profile.customer_id,
            email or profile.email,
            profile.locale,
            granted,
            changed_at,
            reason,
            self._default_locale,
            profile.version,
        )

    def _all_orders(self, customer_id: str) -> list[OrderRecord]:
        orders: list[OrderRecord] = []
        position = None
        while True:
            page = self._orders.list_orders(customer_id, EXPORT_PAGE, position)
            orders += page.items
            if page.next_position is None:
                return orders
            position = page.next_position

    def _set_defaults(
        self, principal: Principal, address_id: str, shipping: bool | None, billing: bool | None
    ) -> Profile:
        def change(profile: Profile) -> Profile:
            return profile.with_default_addresses(
                _default(profile.default_shipping_address_id, address_id, shipping),
                _default(profile.default_billing_address_id, address_id, billing),
                now=self._clock(),
            )

        return self._change_profile(principal, change)

    def _change_profile(
        self,
        principal: Principal,
        change: Callable[[Profile], Profile],
        announce: Callable[[Profile, Profile], list[DomainEvent]] | None = None,
    ) -> Profile:
        """Read, change, write under a version check, with the events `announce` finds in the change (into
        the outbox in the same transaction, then published); a concurrent writer makes us read again."""
        for attempt in range(SAVE_ATTEMPTS):
            profile = self.profile(principal)
            changed = change(profile)
            if changed is profile:
                return profile
            events = announce(profile, changed) if announce and self._relay is not None else []
            try:
                self._customers.save_profile(changed, expected_version=profile.version, events=events)
                if self._relay is not None:
                    self._relay.deliver(events)
                return changed
            except Conflict:
                if attempt == SAVE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")


def _default(current: str | None, address_id: str, flag: bool | None) -> str | Keep | None:
    """The new default for one flag on one address: set it, clear it if it was this one, or keep it."""
    if flag is True:
        return address_id
    if flag is False and current == address_id:
        return None
    return KEEP
