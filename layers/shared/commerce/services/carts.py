"""Guest carts: created with a secret token, every change priced again from the server's price list."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime

from commerce.domain.cart import Cart, CartPolicy, PricedCart, price_cart
from commerce.domain.errors import Conflict, NotFound, NotSellable
from commerce.domain.ports import CartRepository, CatalogRepository
from commerce.services.browse import check_currency

SAVE_ATTEMPTS = 3


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
    ) -> None:
        self._carts = carts
        self._catalog = catalog
        self._currencies = tuple(currencies)
        self._policy = policy
        self._clock = clock
        self._default_locale = default_locale

    def create(self, currency: str, locale: str) -> tuple[PricedCart, str]:
        """A new empty cart and the secret token that alone opens it (shown once, stored hashed)."""
        check_currency(currency, self._currencies)
        token = secrets.token_urlsafe(32)
        now = self._clock()
        cart = Cart(id=str(uuid.uuid4()), token_hash=hash_token(token), currency=currency, created_at=now, updated_at=now)
        self._carts.add(cart, self._expiry(cart))
        return self._priced(cart, locale), token

    def get(self, cart_id: str, token: str | None, locale: str) -> PricedCart:
        return self._priced(self._open(cart_id, token), locale)

    def set_line(self, cart_id: str, token: str | None, sku: str, quantity: int, locale: str) -> PricedCart:
        def change(cart: Cart) -> Cart:
            if quantity == 0:
                return cart.without_line(sku, self._clock())
            record = self._catalog.get_skus([sku]).get(sku)
            if record is None:
                raise NotSellable(f"there is no SKU {sku}", sku=sku)
            return cart.with_line(record, quantity, self._policy, self._clock())

        return self._priced(self._update(cart_id, token, change), locale)

    def remove_line(self, cart_id: str, token: str | None, sku: str, locale: str) -> PricedCart:
        return self._priced(self._update(cart_id, token, lambda c: c.without_line(sku, self._clock())), locale)

    def _update(self, cart_id: str, token: str | None, change: Callable[[Cart], Cart]) -> Cart:
        """Read, change, write under a version check; a concurrent writer makes us read again."""
        for attempt in range(SAVE_ATTEMPTS):
            cart = self._open(cart_id, token)
            changed = change(cart)
            try:
                self._carts.save(changed, cart.version, self._expiry(changed))
                return changed
            except Conflict:
                if attempt == SAVE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def _open(self, cart_id: str, token: str | None) -> Cart:
        """The cart, if the token opens it and it has not expired; otherwise 404 (never 403: a wrong
        token must not reveal that the cart exists)."""
        cart = self._carts.get(cart_id) if token else None
        if (
            cart is None
            or token is None
            or not hmac.compare_digest(cart.token_hash, hash_token(token))
            or cart.expires_at(self._policy) <= self._clock()
        ):
            raise NotFound("no such cart")
        return cart

    def _expiry(self, cart: Cart) -> int:
        return int(cart.expires_at(self._policy).timestamp())

    def _priced(self, cart: Cart, locale: str) -> PricedCart:
        skus = self._catalog.get_skus(list(cart.lines)) if cart.lines else {}
        return price_cart(cart, skus, locale, self._default_locale)
