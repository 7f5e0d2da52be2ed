"""Sales channels: their settings and API keys, and the stock of orders they take elsewhere (a marketplace,
a store till), reserved, committed or released per external order id, each once."""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

# A channel's API key works as every integration key does (domain/api_keys.py).
from commerce.domain.api_keys import key_hash, key_matches
from commerce.domain.channels import (
    DEFAULT_RESERVATION_MINUTES,
    Allocation,
    Channel,
    ChannelOrder,
    ChannelOrderStatus,
    ReservationExpired,
    allocate,
    check_settings,
    is_channel_id,
    order_lines,
)
from commerce.domain.errors import Conflict, NotFound, Unauthorized, ValidationFailed
from commerce.domain.events import DomainEvent
from commerce.domain.inventory import Movement, Reason, StockLevel
from commerce.domain.inventory_ports import Change, InventoryStore, Record, Write
from commerce.services.inventory import Inventory
from commerce.services.outbox import OutboxRelay

logger = logging.getLogger(__name__)

CHANNELS_INDEX = "CHANNELS"  # every channel, in the sparse index (a handful of items)
# Channel reservations not yet committed or released, sorted by expiry: what the sweeper reads.
RESERVATIONS_INDEX = "CHANNEL_RESERVATIONS"
ATTEMPTS = 8
SWEEP_LIMIT = 100
_RELEASE_EVENTS = uuid.UUID("5c0e3f7a-8d21-4b6e-9f4a-2e7d1c9b0a35")


def channel_record(channel: Channel) -> Record:
    data: dict[str, Any] = {
        "id": channel.id,
        "currency": channel.currency,
        "locations": list(channel.locations),
        "products": list(channel.products) if channel.products is not None else None,
        "key_hash": channel.key_hash,
        "reservation_minutes": channel.reservation_minutes,
    }
    return Record(
        kind="channel",
        id=channel.id,
        data=data,
        version=channel.version + 1,
        index=CHANNELS_INDEX,
        index_sort=channel.id,
    )


def channel_from(record: Record) -> Channel:
    data = record.data
    products = data.get("products")
    return Channel(
        id=data["id"],
        currency=data["currency"],
        locations=tuple(data.get("locations") or ()),
        products=tuple(products) if products is not None else None,
        key_hash=data.get("key_hash"),
        version=record.version,
        reservation_minutes=int(data.get("reservation_minutes") or DEFAULT_RESERVATION_MINUTES),
    )


def order_record(order: ChannelOrder) -> Record:
    data = {
        "channel": order.channel,
        "external_id": order.external_id,
        "lines": [[sku, quantity] for sku, quantity in order.lines],
        "allocations": [
            {"sku": a.sku, "location": a.location, "quantity": a.quantity} for a in order.allocations
        ],
        "status": order.status.value,
        "created_at": order.created_at.isoformat(),
        "expires_at": order.expiry.isoformat(),
    }
    reserved = order.status is ChannelOrderStatus.RESERVED
    return Record(
        kind="channel_order",
        id=order.external_id,
        parent=("channel", order.channel),
        data=data,
        version=order.version + 1,
        index=RESERVATIONS_INDEX if reserved else None,  # listed only while it holds units
        index_sort=order.expiry.isoformat() if reserved else "",
    )


def order_from(record: Record) -> ChannelOrder:
    data = record.data
    return ChannelOrder(
        channel=data["channel"],
        external_id=data["external_id"],
        lines=tuple((sku, int(quantity)) for sku, quantity in data["lines"]),
        allocations=tuple(Allocation(**a) for a in data["allocations"]),
        status=ChannelOrderStatus(data["status"]),
        created_at=datetime.fromisoformat(data["created_at"]),
        version=record.version - 1,
        expires_at=datetime.fromisoformat(data["expires_at"]) if data.get("expires_at") else None,
    )


def reservation_released(order: ChannelOrder, at: datetime) -> DomainEvent:
    """One per reservation given back (by the channel or on expiry): its id is derived from the order."""
    return DomainEvent(
        type="ChannelReservationReleased",
        occurred_at=at,
        event_id=str(uuid.uuid5(_RELEASE_EVENTS, order.reference)),
        data={
            "channel": order.channel,
            "external_order_id": order.external_id,
            "reason": order.status.value,
            "expires_at": order.expiry.isoformat(),
            "lines": [
                {"sku": a.sku, "location": a.location, "quantity": a.quantity} for a in order.allocations
            ],
        },
    )


class Channels:
    def __init__(
        self,
        store: InventoryStore,
        inventory: Inventory,
        clock: Callable[[], datetime],
        sku_products: Callable[[Sequence[str]], Mapping[str, str]] | None = None,
        new_key: Callable[[], str] = lambda: secrets.token_urlsafe(32),
        relay: OutboxRelay | None = None,
        known_products: Callable[[Sequence[str]], Collection[str]] = lambda ids: (),
    ) -> None:
        """`relay` publishes the events a change committed in the outbox (else the sweeper's run does)."""
        self._relay = relay
        self._store = store
        self._inventory = inventory
        self._clock = clock
        self._sku_products = sku_products
        self._new_key = new_key
        self._known_products = known_products

    # settings
    def save(self, channel: Channel) -> Channel:
        """Creates or replaces a channel's settings, keeping its API key."""
        current = self._store.get("channel", channel.id)
        kept = replace(
            channel,
            key_hash=channel_from(current).key_hash if current else None,
            version=current.version if current else 0,
        )
        self._store.apply(Change(writes=[Write(channel_record(kept), current.version if current else None)]))
        return kept

    def configure(self, channel: Channel) -> Channel:
        """Staff settings: saved only when its locations and products exist (domain check_settings)."""
        locations = [location.id for location in self._inventory.locations()]
        products = self._known_products(list(channel.products or ())) if channel.products else ()
        check_settings(channel, locations, products)
        return self.save(channel)

    def issue_key(self, channel_id: str) -> str:
        """A new API key for the channel (the old one stops working); only its hash is stored."""
        channel = self.get(channel_id)
        key = self._new_key()
        keyed = replace(channel, key_hash=key_hash(key))
        self._store.apply(Change(writes=[Write(channel_record(keyed), channel.version)]))
        return key

    def get(self, channel_id: str) -> Channel:
        found = self._store.get("channel", channel_id)
        if found is None:
            raise NotFound(f"no channel {channel_id}")
        return channel_from(found)

    def all(self) -> list[Channel]:
        return [channel_from(r) for r in self._store.indexed(CHANNELS_INDEX)]

    def authenticate(self, channel_id: str, presented_key: str | None) -> Channel:
        found = self._store.get("channel", channel_id) if is_channel_id(channel_id) else None
        channel = channel_from(found) if found else None
        if not key_matches(presented_key or "", channel.key_hash if channel else None) or channel is None:
            raise Unauthorized("a valid API key for this channel is needed")
        return channel

    def availability(self, sku: str, levels: Sequence[StockLevel]) -> dict[str, int]:
        """Units each channel may sell of the SKU: for StockChanged, so channels can sync."""
        return {channel.id: channel.available(levels) for channel in self.all()}

    # orders taken elsewhere
    def reserve(self, channel: Channel, external_id: str, lines: Mapping[str, int]) -> ChannelOrder:
        """Reserves every line or none (one transaction); the same external id again returns the same
        reservation, and with other lines is a Conflict."""
        wanted = order_lines(lines)
        self._check_products(channel, [sku for sku, _ in wanted])
        for _ in range(ATTEMPTS):
            existing = self._store.get("channel_order", external_id, ("channel", channel.id))
            if existing is not None:
                return self._same(order_from(existing), wanted)
            levels = {sku: self._store.levels(sku) for sku, _ in wanted}
            hot = {sku for sku, _ in wanted if self._inventory.hot_shards(sku) > 1}
            allocations = allocate(channel, wanted, levels, hot)
            now = self._clock()
            order = ChannelOrder(
                channel.id,
                external_id,
                wanted,
                allocations,
                ChannelOrderStatus.RESERVED,
                now,
                expires_at=now + channel.reservation_ttl,
            )
            movements = self._movements(order, Reason.RESERVATION)
            try:
                self._inventory.commit(Change(movements=movements, writes=[Write(order_record(order), None)]))
                return order
            except Conflict:  # OutOfStock included
                # The same id was reserved meanwhile (read it), or another reservation took the units we
                # drew (a hot SKU's shard emptied): allocate again from what is left, falling back to the
                # other locations and shards; allocate raises OutOfStock itself when together they are short.
                continue
        raise Conflict("stock is changing fast; try again")

    def commit(self, channel: Channel, external_id: str) -> ChannelOrder:
        """The reserved units are sold; committing twice changes nothing the second time. After the
        reservation's time ran out: ReservationExpired (409), its units given back if the sweeper had not."""
        order = self.order(channel, external_id)
        if order.has_expired(self._clock()):
            self._settle(order, ChannelOrderStatus.EXPIRED)
            raise self._expired(order)
        if order.status is ChannelOrderStatus.EXPIRED:
            raise self._expired(order)
        return self._settle(order, ChannelOrderStatus.COMMITTED)

    def release(self, channel: Channel, external_id: str) -> ChannelOrder:
        """The reserved units go back on sale; releasing twice, or after expiry, changes nothing more."""
        order = self.order(channel, external_id)
        if order.status is ChannelOrderStatus.EXPIRED:
            return order
        return self._settle(order, ChannelOrderStatus.RELEASED)

    def order(self, channel: Channel, external_id: str) -> ChannelOrder:
        found = self._store.get("channel_order", external_id, ("channel", channel.id))
        if found is None:
            raise NotFound(f"no order {external_id} on {channel.id}")
        return order_from(found)

    def expire_reservations(self, limit: int = SWEEP_LIMIT) -> int:
        """Gives back the units of reservations whose time ran out (the sweeper's run): a `release` movement
        each and ChannelReservationReleased, with the reservation, in one transaction. How many expired."""
        now, expired = self._clock(), 0
        for record in self._store.indexed(RESERVATIONS_INDEX, limit):
            order = order_from(record)
            if not order.has_expired(now):
                break  # sorted by expiry: the rest are later
            try:
                settled = self._settle(order, ChannelOrderStatus.EXPIRED)
            except Conflict:
                continue  # committed or released meanwhile
            if settled.status is ChannelOrderStatus.EXPIRED:
                expired += 1
                logger.info("channel reservation expired", extra={"reference": order.reference})
        return expired

    def _expired(self, order: ChannelOrder) -> ReservationExpired:
        return ReservationExpired(
            f"the reservation of {order.reference} expired at {order.expiry.isoformat()}; its units were "
            "given back: reserve again",
            expired_at=order.expiry.isoformat(),
        )

    def _settle(self, order: ChannelOrder, status: ChannelOrderStatus) -> ChannelOrder:
        if order.status is status:
            return order  # a retried call
        if status is ChannelOrderStatus.COMMITTED:
            settled, reason = order.committed(), Reason.SALE
        elif status is ChannelOrderStatus.RELEASED:
            settled, reason = order.released(), Reason.RELEASE
        else:
            settled, reason = order.expired(), Reason.RELEASE
        events = (
            [] if status is ChannelOrderStatus.COMMITTED else [reservation_released(settled, self._clock())]
        )
        change = Change(
            movements=self._movements(settled, reason),
            writes=[Write(order_record(settled), order.version + 1)],
            events=events,
        )
        try:
            self._inventory.commit(change)
        except Conflict:
            found = self._store.get("channel_order", order.external_id, ("channel", order.channel))
            if found is not None and order_from(found).status is status:
                return order_from(found)  # a concurrent retry did it
            raise
        if self._relay is not None:
            self._relay.deliver(events)
        return settled

    def _movements(self, order: ChannelOrder, reason: Reason) -> list[Movement]:
        now = self._clock()
        return [
            Movement(a.sku, a.location, reason, a.quantity, now, order.reference) for a in order.allocations
        ]

    def _same(self, order: ChannelOrder, wanted: tuple[tuple[str, int], ...]) -> ChannelOrder:
        if order.lines != wanted:
            raise Conflict("this external order id was reserved with other lines")
        return order

    def _check_products(self, channel: Channel, skus: Sequence[str]) -> None:
        if channel.products is None or self._sku_products is None:
            return
        products = self._sku_products(skus)
        refused = sorted(sku for sku in skus if sku not in products or not channel.sells(products[sku]))
        if refused:
            raise NotFound(f"{channel.id} does not sell {', '.join(refused)}")


class ChannelScope:
    """What browse needs of a channel: the channel itself, and what it may sell at its locations."""

    def __init__(
        self,
        store: InventoryStore,
        available_at: Callable[[Sequence[str], Collection[str]], Mapping[str, int]],
    ) -> None:
        self._store = store
        self._available_at = available_at

    def channel(self, channel_id: str) -> Channel:
        if not is_channel_id(channel_id):
            raise ValidationFailed("a channel is web, app, marketplace:<name> or pos:<store>")
        found = self._store.get("channel", channel_id)
        if found is None:
            raise NotFound(f"no channel {channel_id}")
        return channel_from(found)

    def available(self, channel: Channel, skus: Sequence[str]) -> dict[str, int]:
        return dict(self._available_at(skus, channel.locations))
