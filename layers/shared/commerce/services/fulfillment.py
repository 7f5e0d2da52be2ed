"""Fulfillment: a paid order split into shipments booked with the carrier, then tracked by the carrier's
webhooks until delivered; the fulfillment state machine waits on both with timeouts (docs/fulfillment.md)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from commerce.domain.errors import Conflict, TransientError, ValidationFailed
from commerce.domain.events import DomainEvent
from commerce.domain.flags import FULFILLMENT_CONFLICT, flag_events, flagged_once, is_undone
from commerce.domain.fulfillment import (
    SHIPMENT_EVENTS,
    Shipment,
    ShipmentStatus,
    order_status,
    plan_shipments,
    units_back_on_hand,
)
from commerce.domain.lifecycle import Actor
from commerce.domain.order import Order, OrderStatus, Reservation, StockState
from commerce.domain.payment_events import DuplicateEvent
from commerce.domain.ports import (
    Carrier,
    CarrierEventWrite,
    EventPublisher,
    OrderRepository,
    Reallocation,
    ShipmentPlan,
    Shipments,
    Workflow,
)
from commerce.services.outbox import OutboxRelay

logger = logging.getLogger(__name__)

ATTEMPTS = 5
_SHIPMENT_EVENT_IDS = uuid.UUID("3c0f1b8e-5a0d-4b7e-9d61-7e2f7a9c4b11")
# The fulfillment workflow's milestones, and the order statuses that reach each.
MILESTONES: Mapping[str, frozenset[OrderStatus]] = {
    "shipped": frozenset({OrderStatus.SHIPPED, OrderStatus.DELIVERED}),
    "delivered": frozenset({OrderStatus.DELIVERED}),
}
RETURNED = "ReturnedToSender"


def shipment_event(kind: str, shipment: Shipment, at: datetime) -> DomainEvent:
    """Once per shipment and kind: a carrier's repeat announces the same event id, which consumers drop."""
    return DomainEvent(
        type=kind,
        occurred_at=at,
        event_id=str(uuid.uuid5(_SHIPMENT_EVENT_IDS, f"{kind}:{shipment.id}")),
        data={
            "order_id": shipment.order_id,
            "shipment_id": shipment.id,
            "location": shipment.location,
            "carrier": shipment.carrier,
            "tracking_number": shipment.tracking_number,
            "tracking_url": shipment.tracking_url,
            "status": shipment.status.value,
            "lines": [{"sku": p.sku, "quantity": p.quantity} for p in shipment.lines],
        },
    )


@dataclass(frozen=True, slots=True)
class TrackingUpdate:
    event_id: str
    tracking_number: str
    status: ShipmentStatus
    occurred_at: datetime

    @classmethod
    def parse(cls, body: Mapping[str, Any]) -> TrackingUpdate:
        try:
            return cls(
                event_id=str(body["event_id"]),
                tracking_number=str(body["tracking_number"]),
                status=ShipmentStatus(body["status"]),
                occurred_at=datetime.fromisoformat(str(body["occurred_at"])),
            )
        except (KeyError, ValueError, TypeError) as error:
            raise ValidationFailed(f"not a tracking update: {error}") from error


class Fulfillment:
    def __init__(
        self,
        orders: OrderRepository,
        shipments: Shipments,
        carrier: Carrier,
        events: EventPublisher,
        workflow: Workflow,
        clock: Callable[[], datetime],
        location_countries: Mapping[str, str],
    ) -> None:
        self._orders, self._shipments, self._carrier = orders, shipments, carrier
        self._events, self._workflow, self._clock = events, workflow, clock
        self._countries = location_countries

    # a paid order becomes shipments
    def fulfill(self, order_id: str) -> list[Shipment]:
        """Plans, books and records the order's shipments, then starts its fulfillment workflow. An order
        not (or no longer) paid is left alone; running twice books nothing twice."""
        for _ in range(ATTEMPTS):
            order = self._orders.get(order_id)
            if order is None or order.status is not OrderStatus.PAID:
                existing = self._shipments.for_order(order_id)
                stopped = (OrderStatus.CANCELLING, OrderStatus.CANCELLED)
                if existing and order is not None and order.status not in stopped:
                    self._workflow.start(order_id)
                return existing
            shipments, reallocations, reservations = self._plan(order)
            fulfilling = replace(
                order.moved_to(
                    OrderStatus.FULFILLING,
                    self._clock(),
                    "fulfillment_started",
                    ", ".join(f"{s.id} from {s.location}" for s in shipments),
                    by=Actor.WORKFLOW,
                ),
                reservations=reservations,
            )
            try:
                self._shipments.start(fulfilling, order.version, ShipmentPlan(shipments, reallocations))
            except Conflict:
                continue
            self._workflow.start(order_id)
            logger.info("order fulfilling", extra={"order_id": order_id, "shipments": len(shipments)})
            return shipments
        raise TransientError(f"order {order_id} or its stock keeps changing; retry")

    def _plan(self, order: Order) -> tuple[list[Shipment], list[Reallocation], tuple[Reservation, ...]]:
        lines: dict[str, int] = {}
        for line in order.lines:
            lines[line.sku] = lines.get(line.sku, 0) + line.quantity
        own: dict[str, dict[str, int]] = {}
        for r in order.reservations:
            own.setdefault(r.sku, {})[r.location] = own.get(r.sku, {}).get(r.location, 0) + r.quantity
        levels = self._shipments.stock_at_locations(list(lines))
        # What the order may take at each location: its own (sold) units there, plus what is free there.
        available = {
            sku: {
                loc: own.get(sku, {}).get(loc, 0) + max(0, on_hand - reserved)
                for loc, (on_hand, reserved) in {
                    **dict.fromkeys(own.get(sku, {}), (0, 0)),
                    **levels.get(sku, {}),
                }.items()
            }
            for sku in lines
        }
        plan = plan_shipments(lines, available, order.shipping_address.get("country", ""), self._countries)
        reallocations: list[Reallocation] = []
        remaining = {sku: dict(at) for sku, at in own.items()}
        shipments: list[Shipment] = []
        for number, (location, picks) in enumerate(plan.items(), start=1):
            for pick in picks:
                mine = remaining.get(pick.sku, {}).get(location, 0)
                used = min(mine, pick.quantity)
                if used:
                    remaining[pick.sku][location] -= used
                extra = pick.quantity - used
                # Units to take here that the order sold elsewhere: give them back there.
                for origin in sorted(remaining.get(pick.sku, {})):
                    give = min(extra, remaining[pick.sku][origin])
                    if give <= 0:
                        continue
                    seen = levels.get(pick.sku, {}).get(location, (0, 0))[0]
                    reallocations.append(Reallocation(pick.sku, origin, location, give, seen))
                    remaining[pick.sku][origin] -= give
                    extra -= give
            draft = Shipment(
                id=f"{order.id}-{number}",
                order_id=order.id,
                location=location,
                lines=picks,
                carrier=self._carrier.name,
                tracking_number="",
                tracking_url="",
            )
            booking = self._carrier.book(draft, order.shipping_address)
            shipments.append(
                replace(draft, tracking_number=booking.tracking_number, tracking_url=booking.tracking_url)
            )
        reservations = tuple(
            Reservation(p.sku, p.location, p.quantity) for picks in plan.values() for p in picks
        )
        return shipments, reallocations, reservations

    # the fulfillment workflow's waits
    def await_milestone(self, order_id: str, milestone: str, task_token: str) -> dict[str, Any]:
        """Parks the task token; answers it at once if the order reached the milestone already."""
        if milestone not in MILESTONES:
            raise ValidationFailed(f"unknown milestone {milestone}")
        status = self._shipments.park_token(order_id, milestone, task_token)
        if status and OrderStatus(status) in MILESTONES[milestone]:
            self._workflow.resume(
                task_token, {"order_id": order_id, "milestone": milestone, "status": status}
            )
        return {"order_id": order_id, "milestone": milestone, "status": status}


class CarrierEvents:
    """A carrier's tracking update, applied to its shipment at most once and in any order."""

    def __init__(
        self,
        orders: OrderRepository,
        shipments: Shipments,
        relay: OutboxRelay,
        workflow: Workflow,
        clock: Callable[[], datetime],
    ) -> None:
        self._orders, self._shipments, self._relay = orders, shipments, relay
        self._workflow, self._clock = workflow, clock

    def handle(self, carrier: str, update: TrackingUpdate) -> str:
        """applied, no_change, duplicate or unknown_shipment."""
        event_key = f"{carrier}#{update.event_id}"
        for _ in range(ATTEMPTS):
            shipment = self._shipments.find(carrier, update.tracking_number)
            if shipment is None:
                return "unknown_shipment"
            changed = shipment.updated(update.status, update.occurred_at)
            if changed is shipment:
                return "no_change" if self._shipments.remember(event_key) else "duplicate"
            order = self._orders.get(shipment.order_id)
            if order is None:
                return "unknown_shipment"
            all_shipments = [
                changed if s.id == changed.id else s for s in self._shipments.for_order(order.id)
            ]
            status = order_status(all_shipments)
            moved = self._order_after(order, changed, status)
            # A cancellation put the units back on hand; the parcel moving after all takes them off again.
            units_back = (
                units_back_on_hand(shipment, changed)
                if is_undone(order) and order.stock is StockState.RELEASED
                else 0
            )
            announce = [shipment_event(SHIPMENT_EVENTS[changed.status], changed, update.occurred_at)]
            if moved is not None:
                announce += flag_events(order, moved, self._clock())
            try:
                self._shipments.apply(
                    CarrierEventWrite(
                        event_key,
                        changed,
                        shipment.version,
                        moved,
                        order.version,
                        status.value,
                        announce,
                        units_back=units_back,
                    )
                )
            except DuplicateEvent:
                # Applied before: a replay changes nothing and publishes nothing. Whatever a crash kept from
                # the bus is in the outbox, which the sweeper publishes with the same event ids.
                return "duplicate"
            except Conflict:
                continue
            self._relay.deliver(announce)
            self._wake_workflow(order.id, status, all_shipments)
            logger.info(
                "tracking update applied",
                extra={"order_id": order.id, "shipment_id": changed.id, "status": changed.status.value},
            )
            return "applied"
        raise TransientError("the shipment keeps changing; retry")

    def _order_after(self, order: Order, shipment: Shipment, status: OrderStatus) -> Order | None:
        """The order once its shipments are at `status`; None when it does not change. A cancelled (or
        cancelling) order never moves: the shipment's truth is kept and the order flagged for staff."""
        now = self._clock()
        if is_undone(order):
            flagged = flagged_once(
                order,
                now,
                FULFILLMENT_CONFLICT,
                f"shipment {shipment.id} {shipment.status.value} while the order is {order.status.value}",
            )
            if flagged is order and order.status is OrderStatus.CANCELLING:
                # Its version moves anyway, so a cancel being withdrawn at this moment reads the shipments
                # again and lands where they are instead of where they were.
                flagged = order.noted(
                    now, "carrier_update_while_cancelling", f"{shipment.id}: {shipment.status.value}"
                )
            return flagged if flagged is not order else None
        if order.status is OrderStatus.DISPUTED:
            followed = order.followed_while_disputed(status, now, shipment.id)
            return followed if followed is not order else None
        # Only the carrier's own moves: a `cancelling` order waits for its cancel to finish or withdraw.
        if status is not order.status and order.can_become(status, Actor.CARRIER):
            return order.moved_to(status, now, f"order_{status.value}", shipment.id, by=Actor.CARRIER)
        return None

    def _wake_workflow(self, order_id: str, status: OrderStatus, shipments: list[Shipment]) -> None:
        for milestone, reached in MILESTONES.items():
            token = self._shipments.token(order_id, milestone)
            if token and status in reached:
                self._workflow.resume(
                    token, {"order_id": order_id, "milestone": milestone, "status": status.value}
                )
        if any(s.status is ShipmentStatus.RETURNED_TO_SENDER for s in shipments):
            token = self._shipments.token(order_id, "delivered")
            if token:
                self._workflow.fail(
                    token, RETURNED, "a parcel went back to the sender: staff decide what next"
                )
