"""Fulfillment: which locations ship an order's lines, its shipments' states, the order's status from them.

Pure. docs/fulfillment.md has the rules and the state diagrams.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from commerce.domain.errors import OutOfStock
from commerce.domain.order import OrderStatus


class ShipmentStatus(enum.StrEnum):
    LABEL_CREATED = "label_created"
    IN_TRANSIT = "in_transit"
    DELIVERY_FAILED = "delivery_failed"  # an attempt failed; the carrier tries again or sends it back
    DELIVERED = "delivered"
    RETURNED_TO_SENDER = "returned_to_sender"


TERMINAL = frozenset({ShipmentStatus.DELIVERED, ShipmentStatus.RETURNED_TO_SENDER})
# A carrier update moves a shipment only along these; with `occurred_at` newer than the last one applied.
_MOVES: Mapping[ShipmentStatus, frozenset[ShipmentStatus]] = {
    ShipmentStatus.LABEL_CREATED: frozenset(
        {
            ShipmentStatus.IN_TRANSIT,
            ShipmentStatus.DELIVERY_FAILED,
            ShipmentStatus.DELIVERED,
            ShipmentStatus.RETURNED_TO_SENDER,
        }
    ),
    ShipmentStatus.IN_TRANSIT: frozenset(
        {ShipmentStatus.DELIVERY_FAILED, ShipmentStatus.DELIVERED, ShipmentStatus.RETURNED_TO_SENDER}
    ),
    ShipmentStatus.DELIVERY_FAILED: frozenset(
        {ShipmentStatus.IN_TRANSIT, ShipmentStatus.DELIVERED, ShipmentStatus.RETURNED_TO_SENDER}
    ),
    ShipmentStatus.DELIVERED: frozenset(),
    ShipmentStatus.RETURNED_TO_SENDER: frozenset(),
}

# where to ship from
# Regions for "proximity": same country first, then same region, then anywhere.
REGIONS: Mapping[str, str] = {
    **dict.fromkeys(
        [
            "FR",
            "DE",
            "ES",
            "IT",
            "NL",
            "BE",
            "AT",
            "LU",
            "PT",
            "IE",
            "DK",
            "SE",
            "FI",
            "PL",
            "CZ",
            "GB",
            "CH",
        ],
        "europe",
    ),
    **dict.fromkeys(["US", "CA", "MX"], "north_america"),
    **dict.fromkeys(["JP", "KR", "CN", "SG", "AU", "NZ"], "asia_pacific"),
}


def distance(location_country: str | None, destination: str) -> int:
    """0 same country, 1 same region, 2 elsewhere (or unknown)."""
    if location_country and location_country == destination:
        return 0
    if (
        location_country
        and REGIONS.get(location_country)
        and REGIONS.get(location_country) == REGIONS.get(destination)
    ):
        return 1
    return 2


@dataclass(frozen=True, slots=True)
class Pick:
    sku: str
    location: str
    quantity: int


def plan_shipments(
    lines: Mapping[str, int],
    available: Mapping[str, Mapping[str, int]],
    destination: str,
    location_countries: Mapping[str, str],
) -> dict[str, tuple[Pick, ...]]:
    """{location: picks}: one location for everything if any holds it all (the nearest, then the one with the
    most units); otherwise each line from the nearest locations holding it, split where one is not enough.
    `available[sku][location]` is what the order may take there. OutOfStock if a line cannot be covered."""

    def rank(location: str) -> tuple[int, int, str]:
        units = sum(available.get(sku, {}).get(location, 0) for sku in lines)
        return (distance(location_countries.get(location), destination), -units, location)

    locations = sorted({loc for per_sku in available.values() for loc in per_sku}, key=rank)
    whole = [
        loc for loc in locations if all(available.get(sku, {}).get(loc, 0) >= q for sku, q in lines.items())
    ]
    if whole:
        return {whole[0]: tuple(Pick(sku, whole[0], q) for sku, q in lines.items())}
    picks: dict[str, list[Pick]] = {}
    for sku, quantity in lines.items():
        left = quantity
        for loc in locations:
            take = min(left, available.get(sku, {}).get(loc, 0))
            if take > 0:
                picks.setdefault(loc, []).append(Pick(sku, loc, take))
                left -= take
            if not left:
                break
        if left:
            raise OutOfStock(f"{sku}: {left} of {quantity} cannot be shipped from any location")
    return {loc: tuple(p) for loc, p in sorted(picks.items(), key=lambda item: rank(item[0]))}


# shipments
@dataclass(frozen=True, slots=True)
class Shipment:
    id: str  # <order id>-<n>
    order_id: str
    location: str
    lines: tuple[Pick, ...]
    carrier: str
    tracking_number: str
    tracking_url: str
    status: ShipmentStatus = ShipmentStatus.LABEL_CREATED
    last_event_at: datetime | None = None
    version: int = 0

    def updated(self, status: ShipmentStatus, at: datetime) -> Shipment:
        """The shipment after a carrier update; itself when the update is stale (older than the last one
        applied), repeats the status, or would leave a final state: updates may come in any order."""
        if self.last_event_at is not None and at <= self.last_event_at:
            return self
        if status is self.status or status not in _MOVES[self.status]:
            return self
        return replace(self, status=status, last_event_at=at, version=self.version + 1)


def order_status(shipments: Sequence[Shipment]) -> OrderStatus:
    """fulfilling (no parcel left yet), partially_shipped, shipped (every parcel left), delivered (all)."""
    if not shipments:
        return OrderStatus.FULFILLING
    left = [s.status is not ShipmentStatus.LABEL_CREATED for s in shipments]
    if all(s.status is ShipmentStatus.DELIVERED for s in shipments):
        return OrderStatus.DELIVERED
    if all(left):
        return OrderStatus.SHIPPED
    if any(left):
        return OrderStatus.PARTIALLY_SHIPPED
    return OrderStatus.FULFILLING


def units_back_on_hand(before: Shipment, after: Shipment) -> int:
    """For a parcel of an order whose cancellation put its units back on hand: -1 when the parcel leaves
    after all (its units are taken off again), +1 when one that left comes back to the sender, else 0."""
    left_before = before.status not in (ShipmentStatus.LABEL_CREATED, ShipmentStatus.RETURNED_TO_SENDER)
    if (
        before.status is ShipmentStatus.LABEL_CREATED
        and after.status is not ShipmentStatus.RETURNED_TO_SENDER
    ):
        return -1
    if left_before and after.status is ShipmentStatus.RETURNED_TO_SENDER:
        return 1
    return 0


# Which domain event a shipment's new status announces (notifications email the buyer for the first two).
SHIPMENT_EVENTS: Mapping[ShipmentStatus, str] = {
    ShipmentStatus.IN_TRANSIT: "OrderShipped",
    ShipmentStatus.DELIVERED: "OrderDelivered",
    ShipmentStatus.DELIVERY_FAILED: "ShipmentDeliveryFailed",
    ShipmentStatus.RETURNED_TO_SENDER: "ShipmentReturnedToSender",
}


def parse_location_countries(raw: str) -> dict[str, str]:
    """`wh-paris=FR,wh-berlin=DE` -> {"wh-paris": "FR", "wh-berlin": "DE"}."""
    pairs = (part.split("=", 1) for part in raw.split(",") if "=" in part)
    return {loc.strip(): country.strip().upper() for loc, country in pairs if loc.strip()}
