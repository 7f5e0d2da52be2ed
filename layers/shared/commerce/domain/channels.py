"""Sales channels (web, app, marketplace:<name>, pos:<store>) and the orders they take elsewhere.

Every channel draws on the same stock; a channel sells only its products, in its price list's currency,
from its locations."""

from __future__ import annotations

import random
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from commerce.domain.api_keys import key_matches
from commerce.domain.errors import Conflict, Forbidden, InvalidState, OutOfStock, ValidationFailed
from commerce.domain.hot_sku import base_location, reservation_order
from commerce.domain.inventory import StockLevel

CHANNEL_PATTERN = r"^(web|app|marketplace:[a-z0-9-]{1,40}|pos:[a-z0-9-]{1,40})$"
EXTERNAL_ID_PATTERN = r"^[A-Za-z0-9._-]{1,100}$"
DEFAULT_CHANNEL = "web"
# How long a channel's reservation holds its units before the sweeper gives them back (a channel setting).
DEFAULT_RESERVATION_MINUTES = 30
MAX_RESERVATION_MINUTES = 7 * 24 * 60
# Open to anyone who can check out: the storefront and the apps. Every other channel (a marketplace, a store
# till) takes an order only with its own API key, so an anonymous checkout cannot draw on its stock.
PUBLIC_CHANNELS = frozenset({DEFAULT_CHANNEL, "app"})


def is_channel_id(value: str) -> bool:
    return re.fullmatch(CHANNEL_PATTERN, value) is not None


class ChannelKeyRequired(Forbidden, title="Channel needs its key", slug="channel-key-required"): ...


@dataclass(frozen=True, slots=True)
class Channel:
    id: str
    currency: str  # the channel's price list
    locations: tuple[str, ...] = ()  # where it may sell from; empty: everywhere
    products: tuple[str, ...] | None = None  # product ids it may sell; None: the whole catalog
    key_hash: str | None = None
    version: int = 0
    reservation_minutes: int = DEFAULT_RESERVATION_MINUTES  # a reservation not committed by then expires

    def __post_init__(self) -> None:
        if not is_channel_id(self.id):
            raise ValidationFailed("a channel is web, app, marketplace:<name> or pos:<store>")
        if not 1 <= self.reservation_minutes <= MAX_RESERVATION_MINUTES:
            raise ValidationFailed(
                f"a reservation holds its units 1 to {MAX_RESERVATION_MINUTES} minutes",
                field="reservation_minutes",
            )

    @property
    def reservation_ttl(self) -> timedelta:
        return timedelta(minutes=self.reservation_minutes)

    def sells(self, product_id: str) -> bool:
        return self.products is None or product_id in self.products

    def draws_from(self, location: str) -> bool:
        return not self.locations or base_location(location) in self.locations

    def available(self, levels: Iterable[StockLevel]) -> int:
        return sum(level.available for level in levels if self.draws_from(level.location))

    def opened_by(self, presented_key: str | None) -> bool:
        """Whether a checkout presenting this key (or none) may take an order on the channel."""
        return self.id in PUBLIC_CHANNELS or key_matches(presented_key or "", self.key_hash)


def checkout_channel(channel_id: str, channel: Channel | None, presented_key: str | None) -> None:
    """ChannelKeyRequired unless the channel is public or the key is its own. The same answer whether the
    channel exists or not, so that a refused caller cannot list the channels by trying names."""
    if channel_id in PUBLIC_CHANNELS:
        return
    if channel is None or not channel.opened_by(presented_key):
        raise ChannelKeyRequired(f"the {channel_id} channel takes orders only with its API key (X-Api-Key)")


def check_settings(channel: Channel, locations: Collection[str], products: Collection[str]) -> None:
    """The channel's locations and products exist (`locations` and `products`: the ones that do), and the
    storefront's channel keeps something to sell: a channel set to unknown locations sells nothing."""
    unknown_locations = sorted(set(channel.locations) - set(locations))
    if unknown_locations:
        raise ValidationFailed(
            f"no such locations: {', '.join(unknown_locations)}", unknown_locations=unknown_locations
        )
    unknown_products = sorted(set(channel.products or ()) - set(products))
    if unknown_products:
        raise ValidationFailed(
            f"no such products: {', '.join(unknown_products[:10])}", unknown_products=unknown_products[:100]
        )
    if channel.id == DEFAULT_CHANNEL and not (channel.locations or locations):
        raise ValidationFailed("the web channel keeps at least one location")
    if channel.id == DEFAULT_CHANNEL and channel.products == ():
        raise ValidationFailed("the web channel sells at least one product (null: the whole catalog)")


class ChannelOrderStatus(StrEnum):
    RESERVED = "reserved"
    COMMITTED = "committed"  # sold: the units left the stock
    RELEASED = "released"  # given back by the channel
    EXPIRED = "expired"  # given back because the channel did not commit in time


class ReservationExpired(Conflict, title="Reservation expired", slug="reservation-expired"):
    """A commit after the reservation's time ran out: its units were given back (409)."""


@dataclass(frozen=True, slots=True)
class Allocation:
    sku: str
    location: str
    quantity: int


@dataclass(frozen=True, slots=True)
class ChannelOrder:
    channel: str
    external_id: str
    lines: tuple[tuple[str, int], ...]  # (sku, quantity), sorted
    allocations: tuple[Allocation, ...]
    status: ChannelOrderStatus
    created_at: datetime
    version: int = 0
    expires_at: datetime | None = None  # None: reserved before reservations expired; created_at + default

    @property
    def reference(self) -> str:
        return f"{self.channel}/{self.external_id}"

    @property
    def expiry(self) -> datetime:
        return self.expires_at or self.created_at + timedelta(minutes=DEFAULT_RESERVATION_MINUTES)

    def has_expired(self, now: datetime) -> bool:
        return self.status is ChannelOrderStatus.RESERVED and now >= self.expiry

    def expired(self) -> ChannelOrder:
        if self.status is not ChannelOrderStatus.RESERVED:
            raise InvalidState(f"a {self.status} channel order cannot expire")
        return replace(self, status=ChannelOrderStatus.EXPIRED, version=self.version + 1)

    def committed(self) -> ChannelOrder:
        if self.status is not ChannelOrderStatus.RESERVED:
            raise InvalidState(f"a {self.status} channel order cannot be committed")
        return replace(self, status=ChannelOrderStatus.COMMITTED, version=self.version + 1)

    def released(self) -> ChannelOrder:
        if self.status is not ChannelOrderStatus.RESERVED:
            raise InvalidState(f"a {self.status} channel order cannot be released")
        return replace(self, status=ChannelOrderStatus.RELEASED, version=self.version + 1)


def order_lines(lines: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
    if not lines:
        raise ValidationFailed("an order has at least one line")
    if any(quantity <= 0 for quantity in lines.values()):
        raise ValidationFailed("each line reserves at least one unit")
    return tuple(sorted(lines.items()))


def allocate(
    channel: Channel,
    lines: Sequence[tuple[str, int]],
    levels: Mapping[str, Sequence[StockLevel]],
    hot: Collection[str] = (),
    rng: random.Random | None = None,
) -> tuple[Allocation, ...]:
    """Takes each line from the channel's locations with the most available first (a hot SKU: from a
    random shard first, then the others); OutOfStock (every short line named) when the channel's
    locations do not hold enough."""
    allocations: list[Allocation] = []
    short: list[dict[str, int | str]] = []
    for sku, quantity in lines:
        mine = [lv for lv in levels.get(sku, ()) if channel.draws_from(lv.location) and lv.available > 0]
        total = sum(lv.available for lv in mine)
        if total < quantity:
            short.append({"sku": sku, "requested": quantity, "available": total})
            continue
        remaining = quantity
        ordered = (
            reservation_order(mine, rng)
            if sku in hot
            else sorted(mine, key=lambda lv: (-lv.available, lv.location))
        )
        for level in ordered:
            take = min(level.available, remaining)
            allocations.append(Allocation(sku, level.location, take))
            remaining -= take
            if remaining == 0:
                break
    if short:
        raise OutOfStock("not enough stock for some lines", unavailable=short)
    return tuple(allocations)
