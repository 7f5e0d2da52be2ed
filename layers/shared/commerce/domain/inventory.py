"""The stock ledger's rules: what each movement does to a SKU's stock at a location, and what it may not do.

On hand at a location is the sum of its movements' `on_hand` effects; reserved is the sum of their
`reserved` effects; available is on hand minus reserved, and no movement may take it below zero.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from commerce.domain.errors import InvalidState, OutOfStock, ValidationFailed


class Reason(StrEnum):
    RECEIPT = "receipt"
    RESERVATION = "reservation"
    RELEASE = "release"
    SALE = "sale"
    RETURN = "return"
    ADJUSTMENT = "adjustment"
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"


# (on hand, reserved) per unit of a movement's quantity. An adjustment's quantity carries its sign.
_EFFECTS: dict[Reason, tuple[int, int]] = {
    Reason.RECEIPT: (1, 0),
    Reason.RESERVATION: (0, 1),
    Reason.RELEASE: (0, -1),
    Reason.SALE: (-1, -1),  # a sale settles a reservation: the units leave on hand and reserved together
    Reason.RETURN: (1, 0),
    Reason.ADJUSTMENT: (1, 0),
    Reason.TRANSFER_OUT: (-1, 0),
    Reason.TRANSFER_IN: (1, 0),
}


def effects(reason: str, quantity: int) -> tuple[int, int]:
    """How a movement changes (on hand, reserved); only an adjustment may be negative."""
    try:
        on_hand, reserved = _EFFECTS[Reason(reason)]
    except ValueError as error:
        raise ValidationFailed(f"unknown movement reason {reason!r}") from error
    if reason != Reason.ADJUSTMENT and quantity <= 0:
        raise ValidationFailed(f"a {reason} moves at least one unit")
    if reason == Reason.ADJUSTMENT and quantity == 0:
        raise ValidationFailed("an adjustment changes at least one unit")
    return on_hand * quantity, reserved * quantity


@dataclass(frozen=True, slots=True)
class Movement:
    sku: str
    location: str
    reason: str
    quantity: int
    at: datetime
    reference: str | None = None  # the order, transfer, purchase order or external order it belongs to
    note: str = ""

    @property
    def on_hand_delta(self) -> int:
        return effects(self.reason, self.quantity)[0]

    @property
    def reserved_delta(self) -> int:
        return effects(self.reason, self.quantity)[1]

    @property
    def available_delta(self) -> int:
        return self.on_hand_delta - self.reserved_delta


@dataclass(frozen=True, slots=True)
class StockLevel:
    sku: str
    location: str
    on_hand: int = 0
    reserved: int = 0

    @property
    def available(self) -> int:
        return max(0, self.on_hand - self.reserved)

    def after(self, movement: Movement) -> StockLevel:
        """The level once the movement applies; OutOfStock if it would sell or reserve units not there."""
        on_hand = self.on_hand + movement.on_hand_delta
        reserved = self.reserved + movement.reserved_delta
        if reserved < 0:
            raise InvalidState(f"{movement.reason} of more units than are reserved of {self.sku}")
        if on_hand - reserved < 0:
            raise OutOfStock(
                f"not enough {self.sku} available at {self.location}",
                unavailable=[
                    {"sku": self.sku, "requested": abs(movement.available_delta), "available": self.available}
                ],
            )
        return replace(self, on_hand=on_hand, reserved=reserved)


def replay(sku: str, location: str, movements: Iterable[Movement]) -> StockLevel:
    """The level the ledger explains: every movement of the SKU at the location, applied in order."""
    level = StockLevel(sku, location)
    for movement in movements:
        if movement.sku == sku and movement.location == location:
            level = replace(
                level,
                on_hand=level.on_hand + movement.on_hand_delta,
                reserved=level.reserved + movement.reserved_delta,
            )
    return level


# locations
class LocationKind(StrEnum):
    WAREHOUSE = "warehouse"
    STORE = "store"


@dataclass(frozen=True, slots=True)
class Location:
    id: str
    name: str
    kind: LocationKind
    address: Mapping[str, str] = field(default_factory=dict)


# transfers between locations
class TransferStatus(StrEnum):
    IN_TRANSIT = "in_transit"
    RECEIVED = "received"


@dataclass(frozen=True, slots=True)
class Transfer:
    id: str
    sku: str
    source: str
    destination: str
    quantity: int
    status: TransferStatus
    sent_at: datetime
    received_at: datetime | None = None
    version: int = 0

    def received(self, at: datetime) -> Transfer:
        if self.status is not TransferStatus.IN_TRANSIT:
            raise InvalidState("the transfer was already received")
        return replace(self, status=TransferStatus.RECEIVED, received_at=at, version=self.version + 1)


# restocking
@dataclass(frozen=True, slots=True)
class ReorderPolicy:
    sku: str
    reorder_point: int
    reorder_quantity: int
    supplier: str
    lead_time_days: int
    location: str  # where the supplier delivers
    # What one unit costs from the supplier (integer minor units of cost_currency); None: not known.
    unit_cost: int | None = None
    cost_currency: str | None = None

    def __post_init__(self) -> None:
        if self.reorder_point < 0 or self.reorder_quantity <= 0 or self.lead_time_days < 0:
            raise ValidationFailed("reorder point ≥ 0, reorder quantity > 0 and lead time ≥ 0 days")
        if (self.unit_cost is None) != (self.cost_currency is None) or (self.unit_cost or 0) < 0:
            raise ValidationFailed("a unit cost is an amount ≥ 0 with its currency")

    def needs_restock(self, available: int) -> bool:
        return available <= self.reorder_point

    def quantity_to_order(self, units_sold_per_day: float = 0.0) -> int:
        """The reorder quantity, or what sells during the lead time plus the reorder point if that is more:
        an order placed now must cover the sales until it arrives and leave the safety level intact."""
        by_velocity = math.ceil(units_sold_per_day * self.lead_time_days) + self.reorder_point
        return max(self.reorder_quantity, by_velocity)


class PurchaseOrderStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    PARTIALLY_RECEIVED = "partially_received"
    RECEIVED = "received"


@dataclass(frozen=True, slots=True)
class PurchaseOrderLine:
    sku: str
    quantity: int
    received: int = 0

    @property
    def outstanding(self) -> int:
        return self.quantity - self.received


@dataclass(frozen=True, slots=True)
class PurchaseOrder:
    id: str
    supplier: str
    location: str
    lines: tuple[PurchaseOrderLine, ...]
    status: PurchaseOrderStatus
    created_at: datetime
    version: int = 0

    def sent(self) -> PurchaseOrder:
        if self.status is not PurchaseOrderStatus.DRAFT:
            raise InvalidState(f"a {self.status} purchase order cannot be sent")
        return replace(self, status=PurchaseOrderStatus.SENT, version=self.version + 1)

    def receive(self, quantities: Mapping[str, int]) -> PurchaseOrder:
        """Books delivered units against the lines; more than outstanding or an unknown SKU is refused."""
        if self.status not in (PurchaseOrderStatus.SENT, PurchaseOrderStatus.PARTIALLY_RECEIVED):
            raise InvalidState(f"a {self.status} purchase order cannot be received")
        known = {line.sku for line in self.lines}
        if unknown := set(quantities) - known:
            raise ValidationFailed(f"not on the purchase order: {', '.join(sorted(unknown))}")
        lines = []
        for line in self.lines:
            units = quantities.get(line.sku, 0)
            if units < 0 or units > line.outstanding:
                raise ValidationFailed(f"{line.sku}: between 0 and {line.outstanding} units outstanding")
            lines.append(replace(line, received=line.received + units))
        if not any(quantities.values()):
            raise ValidationFailed("receive at least one unit")
        done = all(line.outstanding == 0 for line in lines)
        status = PurchaseOrderStatus.RECEIVED if done else PurchaseOrderStatus.PARTIALLY_RECEIVED
        return replace(self, lines=tuple(lines), status=status, version=self.version + 1)


def draft_purchase_orders(
    low: Iterable[ReorderPolicy],
    already_open: Iterable[str],
    velocity: Mapping[str, float],
) -> dict[tuple[str, str], list[PurchaseOrderLine]]:
    """Lines per (supplier, location) for the SKUs below their point that no open purchase order covers."""
    covered = set(already_open)
    drafts: dict[tuple[str, str], list[PurchaseOrderLine]] = {}
    for policy in sorted(low, key=lambda p: p.sku):
        if policy.sku in covered:
            continue
        quantity = policy.quantity_to_order(velocity.get(policy.sku, 0.0))
        drafts.setdefault((policy.supplier, policy.location), []).append(
            PurchaseOrderLine(policy.sku, quantity)
        )
    return drafts


def as_dict(value: Any) -> dict[str, Any]:
    """A frozen dataclass as plain values (enums by value, datetimes ISO) for storage and responses."""
    out: dict[str, Any] = {}
    for name in value.__dataclass_fields__:
        item = getattr(value, name)
        if isinstance(item, datetime):
            item = item.isoformat()
        elif isinstance(item, StrEnum):
            item = item.value
        elif isinstance(item, tuple):
            item = [as_dict(v) if hasattr(v, "__dataclass_fields__") else v for v in item]
        elif isinstance(item, Mapping):
            item = dict(item)
        out[name] = item
    return out
