"""Email-marketing event sources: a customer's marketing consent changing, and a cart left
idle with lines and an email. Pure rules: who is abandoned, when, and what the events say."""

from __future__ import annotations

import uuid
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from commerce.domain.cart import Cart, PricedCart
from commerce.domain.events import DomainEvent

_NAMESPACE = uuid.UUID("3b0f6c1e-5f59-4c55-9d0e-8a3f4b2c7d61")

CONSENT_CHANGED = "CustomerConsentChanged"
CART_ABANDONED = "CartAbandoned"

# The sparse index of carts that could be abandoned (docs/marketing-events.md): a cart is listed under
# one of these shards, sorted by its last touch, while it has lines and a way to reach its shopper.
WATCH_SHARDS = 8
WATCH_PREFIX = "ABANDONED_CARTS#"


def index_time(moment: datetime) -> str:
    """A fixed-width UTC timestamp, so index sort keys compare as text in time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def watch_shard(cart_id: str) -> int:
    # Spread by cart, not by time: carts touched in the same minute would all write one time bucket.
    return zlib.crc32(cart_id.encode()) % WATCH_SHARDS


def is_watched(cart: Cart) -> bool:
    """A cart worth watching: it has lines, and an email of its own or a signed-in owner (whose profile
    gives the email when it is announced). Carts leave the watch when emptied or checked out (deleted)."""
    return bool(cart.lines) and bool(cart.email or cart.customer_id)


def abandoned_since(now: datetime, after: timedelta) -> datetime:
    """Carts last touched before this moment are abandoned."""
    return now - after


def is_abandoned(cart: Cart, now: datetime, after: timedelta) -> bool:
    return is_watched(cart) and cart.updated_at <= abandoned_since(now, after)


@dataclass(frozen=True, slots=True)
class Contact:
    """Who to write to about a cart: the guest's own email, or the signed-in customer's profile."""

    email: str
    marketing_consent: bool
    locale: str | None


def cart_abandoned(
    priced: PricedCart,
    contact: Contact,
    now: datetime,
    default_locale: str,
) -> DomainEvent:
    """The announcement of one idle period: its id comes from the cart and its version, so announcing the
    same idle period again (a retried run) sends the same id, and a touch (a new version) a new one."""
    cart = priced.cart
    data: dict[str, Any] = {
        "cart_id": cart.id,
        "email": contact.email,
        "customer_id": cart.customer_id,
        "locale": contact.locale or default_locale,
        "currency": cart.currency,
        "marketing_consent": contact.marketing_consent,
        "lines": [
            {
                "sku": line.sku,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price": line.unit_price.amount,
            }
            for line in priced.lines
            if line.available
        ],
        "subtotal": priced.subtotal.amount,
        "last_touched_at": cart.updated_at.isoformat(),
        "abandoned_at": now.isoformat(),
    }
    # No `cart_url`: the shop has no storefront URL setting, and a guest cart opens only with its token.
    event_id = str(uuid.uuid5(_NAMESPACE, f"{CART_ABANDONED}:{cart.id}:{cart.version}"))
    return DomainEvent(type=CART_ABANDONED, occurred_at=now, data=data, event_id=event_id)


def consent_changed(
    customer_id: str,
    email: str | None,
    locale: str | None,
    granted: bool,
    changed_at: datetime,
    reason: str,
    default_locale: str,
    profile_version: int,
) -> DomainEvent:
    """One change of consent; its id comes from the profile version it was saved in, so a retry that
    publishes the same change again sends the same id."""
    event_id = str(uuid.uuid5(_NAMESPACE, f"{CONSENT_CHANGED}:{customer_id}:{profile_version}:{reason}"))
    return DomainEvent(
        type=CONSENT_CHANGED,
        occurred_at=changed_at,
        data={
            "customer_id": customer_id,
            "email": email,
            "locale": locale or default_locale,
            "marketing_consent": granted,
            "changed_at": changed_at.isoformat(),
            "reason": reason,
        },
        event_id=event_id,
    )
