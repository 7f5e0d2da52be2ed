"""The inventory's port: stock levels, the movements ledger and the small records around them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from commerce.domain.channels import Channel
from commerce.domain.events import DomainEvent
from commerce.domain.inventory import Location, Movement, StockLevel
from commerce.domain.ports import Page

ANY_VERSION = -1  # an expected version that puts the record whatever is there


@dataclass(frozen=True, slots=True)
class Record:
    """A versioned record (purchase order, transfer, reorder policy, channel, channel order, subscription).

    `parent` (kind, id) files it under another thing (a SKU's reorder policy, its subscribers); `index`
    lists it in a sparse index under that name, sorted by `index_sort`, only while it is set."""

    kind: str
    id: str
    data: Mapping[str, Any]
    version: int = 1
    parent: tuple[str, str] | None = None
    index: str | None = None
    index_sort: str = ""
    expires_at: int | None = None


@dataclass(frozen=True, slots=True)
class Write:
    record: Record
    expected_version: int | None  # None: the record must not exist yet; ANY_VERSION: no condition


@dataclass(frozen=True, slots=True)
class Change:
    """Movements, record writes and the events they cause (the outbox) that land together or not at all."""

    movements: Sequence[Movement] = ()
    writes: Sequence[Write] = field(default_factory=tuple)
    events: Sequence[DomainEvent] = ()


class InventoryStore(Protocol):
    def save_location(self, location: Location) -> None: ...

    def list_locations(self) -> list[Location]: ...

    def levels(self, sku: str) -> list[StockLevel]:
        """The SKU's stock at every location that ever held it, read strongly consistent."""
        ...

    def movements(self, sku: str, limit: int | None = None) -> list[Movement]:
        """The SKU's movements, newest first (all of them without a limit)."""
        ...

    def movement_page(self, sku: str, limit: int, position: Mapping[str, Any] | None) -> Page[Movement]:
        """The SKU's ledger over all its partitions, newest first, a page at a time."""
        ...

    def apply(self, change: Change) -> None:
        """Applies the movements to the levels and writes the records in one transaction. OutOfStock if a
        movement would take available below zero, Conflict if a record is not at its expected version;
        then nothing changed."""
        ...

    def get(self, kind: str, record_id: str, parent: tuple[str, str] | None = None) -> Record | None: ...

    def children(self, parent: tuple[str, str], kind: str) -> list[Record]:
        """The records of a kind filed under `parent`."""
        ...

    def indexed(self, index: str, limit: int = 1000) -> list[Record]:
        """The records listed under `index` in the sparse index, by `index_sort`."""
        ...

    def index_page(self, index: str, limit: int, position: Mapping[str, Any] | None) -> Page[Record]:
        """The records listed under the index, latest `index_sort` first, a page at a time."""
        ...


class ReportedStore(InventoryStore, Protocol):
    """What the inventory report reads in bulk."""

    def stock_and_policies(self, skus: Sequence[str]) -> dict[str, tuple[list[StockLevel], Record | None]]:
        """Each SKU's levels and its reorder policy record, read in batches, strongly consistent."""
        ...

    def movements_since(self, sku: str, since: datetime, shards: int, limit: int) -> list[Movement]:
        """The SKU's movements since `since`, newest first, over its `shards` partitions."""
        ...


class ChannelScopes(Protocol):
    """A sales channel as browse sees it (the storefront is the `web` channel when none is named)."""

    def channel(self, channel_id: str) -> Channel:
        """NotFound for a channel that does not exist."""
        ...

    def available(self, channel: Channel, skus: Sequence[str]) -> dict[str, int]:
        """Units available per SKU at the channel's locations."""
        ...
