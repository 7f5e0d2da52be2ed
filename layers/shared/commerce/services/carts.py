"""Carts: a guest's opened by a secret token, a signed-in customer's by their identity; every change
is priced again from the server's price list."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from commerce.domain.cart import Cart, CartPolicy, PricedCart, price_cart
from commerce.domain.customer import email_address
from commerce.domain.errors import CommerceError, Conflict, NotFound, NotSellable
from commerce.domain.ports import CartRepository, CatalogRepository
from commerce.domain.pricing import Destination
from commerce.domain.regions import default_currency
from commerce.services.browse import check_currency
from commerce.services.pricing import Pricer

SAVE_ATTEMPTS = 3

Opener = Callable[[], Cart]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Carts:
    def __init__(
        self,
        carts: CartRepository,
        catalog: CatalogRepository,
        currencies: Sequence[str],
        policy: CartPolicy,
        clock: Callable[[], datetime],
        default_locale: str,
        pricer: Pricer | None = None,
        default_country: str | None = None,
    ) -> None:
        self._carts = carts
        self._catalog = catalog
        self._currencies = tuple(currencies)
        self._policy = policy
        self._clock = clock
        self._default_locale = default_locale
        self._pricer = pricer
        self._default_country = default_country

    # guest carts
    def create(
        self,
        currency: str | None,
        locale: str,
        country: str | None = None,
        subdivision: str | None = None,
        attribution: Mapping[str, str] | None = None,
    ) -> tuple[PricedCart, str]:
        """A new empty cart and the secret token that alone opens it (shown once, stored hashed). Without a
        currency, the country's default currency where the shop offers it."""
        currency = currency or default_currency(country or self._default_country, self._currencies)
        check_currency(currency, self._currencies)
        token = secrets.token_urlsafe(32)
        now = self._clock()
        cart = Cart(
            id=str(uuid.uuid4()),
            token_hash=hash_token(token),
            currency=currency,
            created_at=now,
            updated_at=now,
            country=(country or self._default_country or "").upper() or None,
            subdivision=subdivision.upper() if subdivision else None,
            attribution=dict(attribution or {}),
        )
        self._carts.add(cart, self._expiry(cart))
        return self._priced(cart, locale), token

    def get(self, cart_id: str, token: str | None, locale: str) -> PricedCart:
        return self._priced(self._open_guest(cart_id, token), locale)

    def set_line(self, cart_id: str, token: str | None, sku: str, quantity: int, locale: str) -> PricedCart:
        cart = self._update(lambda: self._open_guest(cart_id, token), self._setting(sku, quantity))
        return self._priced(cart, locale)

    def remove_line(self, cart_id: str, token: str | None, sku: str, locale: str) -> PricedCart:
        cart = self._update(lambda: self._open_guest(cart_id, token), self._removing(sku))
        return self._priced(cart, locale)

    # marketing: a guest's email and consent, for the abandoned-cart reminder
    def set_contact(
        self, cart_id: str, token: str | None, email: str, marketing_consent: bool, locale: str
    ) -> PricedCart:
        address = email_address(email)
        cart = self._update(
            lambda: self._open_guest(cart_id, token),
            lambda c: c.with_contact(address, marketing_consent, locale, self._clock()),
        )
        return self._priced(cart, locale)

    # pricing: discount codes and the destination, on a guest cart and on a customer's
    def apply_code(self, cart_id: str, token: str | None, code: str, locale: str) -> PricedCart:
        cart = self._update(lambda: self._open_guest(cart_id, token), self._with_code(code))
        return self._priced(cart, locale)

    def remove_code(self, cart_id: str, token: str | None, locale: str) -> PricedCart:
        cart = self._update(lambda: self._open_guest(cart_id, token), self._without_code)
        return self._priced(cart, locale)

    def ship_to(
        self, cart_id: str, token: str | None, country: str, subdivision: str | None, locale: str
    ) -> PricedCart:
        cart = self._update(lambda: self._open_guest(cart_id, token), self._shipping_to(country, subdivision))
        return self._priced(cart, locale)

    def apply_customer_code(self, customer_id: str, code: str, locale: str) -> PricedCart:
        cart = self._update(lambda: self._open_customer(customer_id, None), self._with_code(code))
        return self._priced(cart, locale)

    def remove_customer_code(self, customer_id: str, locale: str) -> PricedCart:
        cart = self._update(lambda: self._open_customer(customer_id, None), self._without_code)
        return self._priced(cart, locale)

    def ship_customer_cart_to(
        self, customer_id: str, country: str, subdivision: str | None, locale: str
    ) -> PricedCart:
        cart = self._update(
            lambda: self._open_customer(customer_id, None), self._shipping_to(country, subdivision)
        )
        return self._priced(cart, locale)

    def _without_code(self, cart: Cart) -> Cart:
        return replace(cart, discount_code=None, version=cart.version + 1, updated_at=self._clock())

    def _shipping_to(self, country: str, subdivision: str | None) -> Callable[[Cart], Cart]:
        def change(cart: Cart) -> Cart:
            return replace(
                cart,
                country=country.upper(),
                subdivision=subdivision.upper() if subdivision else None,
                version=cart.version + 1,
                updated_at=self._clock(),
            )

        return change

    def _with_code(self, code: str) -> Callable[[Cart], Cart]:
        def change(cart: Cart) -> Cart:
            skus = self._catalog.get_skus(list(cart.lines)) if cart.lines else {}
            priced = price_cart(cart, skus, self._default_locale, self._default_locale)
            if self._pricer is None:
                raise NotSellable("discount codes are not offered")
            promotion = self._pricer.check_code(code, priced, skus, cart.customer_id)
            return replace(
                cart, discount_code=promotion.id, version=cart.version + 1, updated_at=self._clock()
            )

        return change

    # a signed-in customer's one active cart
    def customer_cart(self, customer_id: str, locale: str, currency: str | None = None) -> PricedCart:
        """The customer's active cart, created on first use (in `currency`, or the shop's default)."""
        return self._priced(self._open_customer(customer_id, currency), locale)

    def set_customer_line(self, customer_id: str, sku: str, quantity: int, locale: str) -> PricedCart:
        cart = self._update(lambda: self._open_customer(customer_id, None), self._setting(sku, quantity))
        return self._priced(cart, locale)

    def remove_customer_line(self, customer_id: str, sku: str, locale: str) -> PricedCart:
        cart = self._update(lambda: self._open_customer(customer_id, None), self._removing(sku))
        return self._priced(cart, locale)

    def claim(self, cart_id: str, token: str | None, customer_id: str, locale: str) -> PricedCart:
        """Merges a guest cart into the customer's active cart and deletes it, in one transaction."""
        for attempt in range(SAVE_ATTEMPTS):
            guest = self._open_guest(cart_id, token)
            mine = self._open_customer(customer_id, guest.currency)
            skus = self._catalog.get_skus(list(guest.lines)) if guest.lines else {}
            merged = mine.merged_with(guest, skus, self._policy, self._clock())
            try:
                self._carts.absorb(merged, mine.version, self._expiry(merged), guest)
                return self._priced(merged, locale)
            except Conflict:
                if attempt == SAVE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    # plumbing
    def _setting(self, sku: str, quantity: int) -> Callable[[Cart], Cart]:
        def change(cart: Cart) -> Cart:
            if quantity == 0:
                return cart.without_line(sku, self._clock())
            record = self._catalog.get_skus([sku]).get(sku)
            if record is None:
                raise NotSellable(f"there is no SKU {sku}", sku=sku)
            return cart.with_line(record, quantity, self._policy, self._clock())

        return change

    def _removing(self, sku: str) -> Callable[[Cart], Cart]:
        return lambda cart: cart.without_line(sku, self._clock())

    def _update(self, open_cart: Opener, change: Callable[[Cart], Cart]) -> Cart:
        """Read, change, write under a version check; a concurrent writer makes us read again."""
        for attempt in range(SAVE_ATTEMPTS):
            cart = open_cart()
            changed = change(cart)
            try:
                self._carts.save(changed, cart.version, self._expiry(changed))
                return changed
            except Conflict:
                if attempt == SAVE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def _live(self, cart: Cart | None) -> Cart | None:
        return cart if cart and cart.expires_at(self._policy) > self._clock() else None

    def _open_guest(self, cart_id: str, token: str | None) -> Cart:
        """The guest cart, if the token opens it and it has not expired; otherwise 404 (never 403: a
        wrong token must not reveal that the cart exists)."""
        cart = self._live(self._carts.get(cart_id)) if token else None
        if cart is None or token is None or not hmac.compare_digest(cart.token_hash, hash_token(token)):
            raise NotFound("no such cart")
        return cart

    def _open_customer(self, customer_id: str, currency: str | None) -> Cart:
        for _attempt in range(SAVE_ATTEMPTS):
            current_id = self._carts.customer_cart_id(customer_id)
            cart = self._live(self._carts.get(current_id)) if current_id else None
            if cart is not None and cart.customer_id == customer_id:
                return cart
            now = self._clock()
            chosen = check_currency(currency or self._currencies[0], self._currencies)
            fresh = Cart(
                id=str(uuid.uuid4()),
                token_hash="",
                currency=chosen,
                created_at=now,
                updated_at=now,
                customer_id=customer_id,
            )
            try:
                self._carts.add_for_customer(fresh, self._expiry(fresh), replacing=current_id)
                return fresh
            except Conflict:
                continue  # created by a concurrent request: read theirs
        raise Conflict("the cart is busy; retry")

    def _expiry(self, cart: Cart) -> int:
        return int(cart.expires_at(self._policy).timestamp())

    def _priced(self, cart: Cart, locale: str) -> PricedCart:
        skus = self._catalog.get_skus(list(cart.lines)) if cart.lines else {}
        priced = price_cart(cart, skus, locale, self._default_locale)
        # pricing: the estimate for the cart's country (discounts, tax, shipping), or why there is none
        country = cart.country or self._default_country
        if self._pricer is None or not country or not any(line.available for line in priced.lines):
            return priced
        try:
            estimate = self._pricer.quote(
                priced, skus, Destination(country, cart.subdivision), cart.customer_id
            )
        except CommerceError as problem:
            return replace(priced, estimate_problem=problem)
        return replace(priced, estimate=estimate)
