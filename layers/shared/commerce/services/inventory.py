"""Staff inventory: locations, stock per SKU across them with its ledger, receipts, adjustments, transfers
and reorder policies. Every change is movements written with the change, then announced: StockChanged is
published with the level read after the commit; StockLow and BackInStock go into the outbox with the flag
they set (docs/architecture.md, "The outbox")."""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from commerce.domain.errors import Conflict, NotFound, OutOfStock, ValidationFailed
from commerce.domain.events import DomainEvent
from commerce.domain.hot_sku import check_shards, rebalance
from commerce.domain.inventory import (
    Location,
    LocationKind,
    Movement,
    Reason,
    ReorderPolicy,
    StockLevel,
    Transfer,
    TransferStatus,
    as_dict,
    replay,
)
from commerce.domain.inventory_ports import ANY_VERSION, Change, InventoryStore, Record, Write
from commerce.domain.ports import EventPublisher
from commerce.services.outbox import OutboxRelay

logger = logging.getLogger(__name__)

REORDER_INDEX = "REORDER#LOW"  # the sparse index entry of SKUs at or below their reorder point
RECENT_MOVEMENTS = 20
_NAMESPACE = uuid.UUID("0c3e8e1d-5b7a-4a0e-9a43-7d9e6b0f2a61")

ChannelAvailability = Callable[[str, Sequence[StockLevel]], Mapping[str, int]]


@dataclass(frozen=True, slots=True)
class StockView:
    sku: str
    levels: tuple[StockLevel, ...]
    movements: tuple[Movement, ...]
    policy: ReorderPolicy | None

    @property
    def on_hand(self) -> int:
        return sum(level.on_hand for level in self.levels)

    @property
    def reserved(self) -> int:
        return sum(level.reserved for level in self.levels)

    @property
    def available(self) -> int:
        return sum(level.available for level in self.levels)


def policy_record(policy: ReorderPolicy, low: bool, version: int) -> Record:
    return Record(
        kind="reorder",
        id=policy.sku,
        parent=("sku", policy.sku),
        data=as_dict(policy),
        version=version,
        index=REORDER_INDEX if low else None,
        index_sort=policy.supplier,
    )


def policy_from(record: Record) -> ReorderPolicy:
    return ReorderPolicy(**record.data)


TRANSFERS_INDEX = "TRANSFERS"  # every transfer, by when it was sent


def transfer_record(transfer: Transfer) -> Record:
    return Record(
        kind="transfer",
        id=transfer.id,
        data=as_dict(transfer),
        version=transfer.version + 1,
        index=TRANSFERS_INDEX,
        index_sort=transfer.sent_at.isoformat(),
    )


def transfer_from(record: Record) -> Transfer:
    data = dict(record.data)
    return Transfer(
        id=data["id"],
        sku=data["sku"],
        source=data["source"],
        destination=data["destination"],
        quantity=data["quantity"],
        status=TransferStatus(data["status"]),
        sent_at=datetime.fromisoformat(data["sent_at"]),
        received_at=datetime.fromisoformat(data["received_at"]) if data.get("received_at") else None,
        version=data["version"],
    )


class Inventory:
    def __init__(
        self,
        store: InventoryStore,
        events: EventPublisher,
        clock: Callable[[], datetime],
        channel_availability: ChannelAvailability | None = None,
        *,
        relay: OutboxRelay | None = None,
    ) -> None:
        """`events` publishes StockChanged (no outbox: the next change's level supersedes a lost one);
        `relay` delivers StockLow and BackInStock, written in the outbox with the reorder flag or the
        subscriber's notice (else the sweeper's run does)."""
        self._store = store
        self._events = events
        self._relay = relay
        self._clock = clock
        # Units per channel for StockChanged; the composition root plugs in the channels' own rule.
        self.channel_availability: ChannelAvailability = channel_availability or (
            lambda sku, levels: {"web": sum(lv.available for lv in levels)}
        )

    # locations
    def save_location(self, location_id: str, name: str, kind: str, address: Mapping[str, str]) -> Location:
        try:
            location = Location(location_id, name, LocationKind(kind), dict(address))
        except ValueError as error:
            raise ValidationFailed("a location is a warehouse or a store") from error
        self._store.save_location(location)
        return location

    def locations(self) -> list[Location]:
        return self._store.list_locations()

    def _known_location(self, location_id: str) -> None:
        if location_id not in {loc.id for loc in self._store.list_locations()}:
            raise NotFound(f"no location {location_id}")

    # reading stock
    def stock(self, sku: str, recent: int = RECENT_MOVEMENTS) -> StockView:
        record = self._store.get("reorder", sku, ("sku", sku))
        return StockView(
            sku=sku,
            levels=tuple(self._store.levels(sku)),
            movements=tuple(self._store.movements(sku, recent)),
            policy=policy_from(record) if record else None,
        )

    def levels(self, sku: str) -> list[StockLevel]:
        return self._store.levels(sku)

    def explained(self, sku: str) -> dict[str, bool]:
        """Per location: does the ledger (every movement, replayed) give exactly the stock held?"""
        ledger = self._store.movements(sku)
        return {
            level.location: replay(sku, level.location, reversed(ledger)) == level
            for level in self._store.levels(sku)
        }

    # changing stock
    def receive(
        self, sku: str, location: str, quantity: int, note: str = "", reference: str | None = None
    ) -> None:
        self._known_location(location)
        movement = Movement(sku, location, Reason.RECEIPT, quantity, self._clock(), reference, note)
        self.commit(Change(movements=[movement]))
        if self.hot_shards(sku) > 1:
            self.rebalance(sku)

    def adjust(self, sku: str, location: str, quantity: int, why: str, note: str = "") -> None:
        """A counted correction: `quantity` more units, or fewer if negative."""
        self._known_location(location)
        movement = Movement(
            sku, location, Reason.ADJUSTMENT, quantity, self._clock(), None, f"{why}: {note}".strip()
        )
        self.commit(Change(movements=[movement]))

    def send_transfer(self, sku: str, source: str, destination: str, quantity: int) -> Transfer:
        """Takes the units off the source now; they are in transit until the destination receives them."""
        self._known_location(source)
        self._known_location(destination)
        if source == destination:
            raise ValidationFailed("a transfer goes between two locations")
        now = self._clock()
        transfer = Transfer(
            uuid.uuid4().hex, sku, source, destination, quantity, TransferStatus.IN_TRANSIT, now
        )
        out = Movement(sku, source, Reason.TRANSFER_OUT, quantity, now, transfer.id)
        self.commit(Change(movements=[out], writes=[Write(transfer_record(transfer), None)]))
        return transfer

    def receive_transfer(self, transfer_id: str) -> Transfer:
        found = self._store.get("transfer", transfer_id)
        if found is None:
            raise NotFound(f"no transfer {transfer_id}")
        transfer = transfer_from(found)
        received = transfer.received(self._clock())
        inbound = Movement(
            transfer.sku,
            transfer.destination,
            Reason.TRANSFER_IN,
            transfer.quantity,
            self._clock(),
            transfer.id,
        )
        self.commit(Change(movements=[inbound], writes=[Write(transfer_record(received), found.version)]))
        return received

    def get_transfer(self, transfer_id: str) -> Transfer:
        found = self._store.get("transfer", transfer_id)
        if found is None:
            raise NotFound(f"no transfer {transfer_id}")
        return transfer_from(found)

    # hot SKUs (a flash sale): stock split over shards
    def hot_shards(self, sku: str) -> int:
        """How many shards the SKU's stock is split into (1: not hot)."""
        found = self._store.get("hot", sku, ("sku", sku))
        return int(found.data["shards"]) if found else 1

    def make_hot(self, sku: str, shards: int) -> list[StockLevel]:
        """Splits the SKU's available units at each location evenly over `shards` (1 gathers them back
        into the location's own item). Transfers between shards: on hand per location is unchanged."""
        check_shards(shards)
        current = self._store.get("hot", sku, ("sku", sku))
        most = max(shards, int(current.data.get("max_shards", 1)) if current else 1)
        record = Record(
            kind="hot",
            id=sku,
            parent=("sku", sku),
            data={"shards": shards, "max_shards": most},
            version=current.version + 1 if current else 1,
        )
        self._store.apply(Change(writes=[Write(record, current.version if current else None)]))
        return self.rebalance(sku)

    def rebalance(self, sku: str) -> list[StockLevel]:
        """Evens out the available units over the SKU's shards; the levels after."""
        shards = self.hot_shards(sku)
        moves = rebalance(self._store.levels(sku), shards, self._clock(), f"rebalance:{sku}")
        if moves:
            try:
                self.commit(Change(movements=moves))
            except OutOfStock:
                logger.info("rebalance raced a reservation; the next one evens it out", extra={"sku": sku})
        return self._store.levels(sku)

    # reorder policies
    def set_reorder_policy(self, policy: ReorderPolicy) -> ReorderPolicy:
        self._known_location(policy.location)
        current = self._store.get("reorder", policy.sku, ("sku", policy.sku))
        available = sum(level.available for level in self._store.levels(policy.sku))
        version = current.version + 1 if current else 1
        record = policy_record(policy, policy.needs_restock(available), version)
        self._store.apply(Change(writes=[Write(record, current.version if current else None)]))
        return policy

    # after every change
    def commit(self, change: Change) -> None:
        """Applies the change, then refreshes the reorder flags and announces the new levels."""
        skus = sorted({m.sku for m in change.movements})
        before = {sku: sum(lv.available for lv in self._store.levels(sku)) for sku in skus}
        self._store.apply(change)
        self.refresh(skus, before)

    def refresh(self, skus: Sequence[str], before: Mapping[str, int] | None = None) -> None:
        """Sets each SKU's reorder flag by its stock and marks its subscribers notified, with StockLow and
        BackInStock in the outbox; delivers those, then publishes StockChanged (a failure is logged: the
        change is committed)."""
        events: list[DomainEvent] = []
        written: list[DomainEvent] = []
        now = self._clock()
        for sku in skus:
            levels = self._store.levels(sku)
            available = sum(level.available for level in levels)
            events.append(
                DomainEvent(
                    "StockChanged",
                    now,
                    {
                        "sku": sku,
                        "available": available,
                        "channels": dict(self.channel_availability(sku, levels)),
                    },
                )
            )
            written += self._flag(sku, available, now)
            previous = (before or {}).get(sku)
            if previous is not None and previous <= 0 < available:
                written += self._back_in_stock(sku, available, now)
        if self._relay is not None:
            self._relay.deliver(written)
        if events:
            try:
                self._events.publish(events)
            except Exception:  # the change is committed; the SKU's next change announces its level again
                logger.warning("stock levels not announced", extra={"skus": list(skus)}, exc_info=True)

    def _flag(self, sku: str, available: int, now: datetime) -> list[DomainEvent]:
        record = self._store.get("reorder", sku, ("sku", sku))
        if record is None:
            return []
        policy = policy_from(record)
        low = policy.needs_restock(available)
        if low == (record.index is not None):
            return []
        data = {
            "sku": sku,
            "available": available,
            "reorder_point": policy.reorder_point,
            "supplier": policy.supplier,
        }
        events = [DomainEvent("StockLow", now, data)] if low else []
        flag = Write(policy_record(policy, low, record.version + 1), record.version)
        self._store.apply(Change(writes=[flag], events=events))
        return events

    # back in stock
    def subscribe(self, sku: str, email: str, customer_id: str | None, locale: str | None = None) -> None:
        address = email.strip().lower()
        if "@" not in address:
            raise ValidationFailed("an email address is needed")
        subscriber = hashlib.sha256(address.encode()).hexdigest()[:32]
        current = self._store.get("subscriber", subscriber, ("sku", sku))
        record = Record(
            kind="subscriber",
            id=subscriber,
            parent=("sku", sku),
            data={"email": address, "customer_id": customer_id, "locale": locale, "notified": False},
            version=current.version + 1 if current else 1,
        )
        self._store.apply(Change(writes=[Write(record, ANY_VERSION)]))

    def _back_in_stock(self, sku: str, available: int, now: datetime) -> list[DomainEvent]:
        events = []
        for record in self._store.children(("sku", sku), "subscriber"):
            if record.data.get("notified"):
                continue
            notified = replace(record, data={**record.data, "notified": True}, version=record.version + 1)
            event_id = str(uuid.uuid5(_NAMESPACE, f"BackInStock:{sku}:{record.id}:{record.version}"))
            data: dict[str, Any] = {"sku": sku, "available": available, "email": record.data["email"]}
            if record.data.get("customer_id"):
                data["customer_id"] = record.data["customer_id"]
            if record.data.get("locale"):
                data["locale"] = record.data["locale"]  # the language the shopper asked in, for the email
            event = DomainEvent("BackInStock", now, data, event_id=event_id)
            try:
                self._store.apply(Change(writes=[Write(notified, record.version)], events=[event]))
            except Conflict:
                continue  # another run notified this one
            events.append(event)
        return events
