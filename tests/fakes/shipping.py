"""Shipments, labels, the simulated carrier's parcels and a scripted carrier in memory."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from datetime import datetime

from commerce.adapters.carriers import SimulatedCarrier
from commerce.domain.carrier_rates import CarrierLabel, CarrierRate, RateRequest
from commerce.domain.errors import Conflict, DependencyFailed
from commerce.domain.fulfillment import Shipment
from commerce.domain.order import Order, Reservation
from commerce.domain.payment_events import DuplicateEvent
from commerce.domain.ports import CarrierEventWrite, ShipmentPlan
from tests.fakes.orders import InMemoryOrders, InMemoryStock


class InMemoryShipments:
    """The Shipments port over the orders and stock fakes, each change all-or-nothing under their lock, its
    events added to the orders' outbox in the same step."""

    def __init__(self, orders: InMemoryOrders, stock: InMemoryStock) -> None:
        self._orders, self._stock = orders, stock
        self.shipments: dict[str, Shipment] = {}
        self.tracking: dict[tuple[str, str], str] = {}
        self.fulfillment: dict[str, dict[str, str]] = {}
        self.carrier_events: set[str] = set()  # the carrier event keys recorded

    def stock_at_locations(self, skus: Sequence[str]) -> dict[str, dict[str, tuple[int, int]]]:
        levels: dict[str, dict[str, tuple[int, int]]] = {sku: {} for sku in skus}
        for (sku, location), on_hand in self._stock.on_hand.items():
            if sku in levels:
                levels[sku][location] = (on_hand, self._stock.reserved.get((sku, location), 0))
        return levels

    def for_order(self, order_id: str) -> list[Shipment]:
        return sorted((s for s in self.shipments.values() if s.order_id == order_id), key=lambda s: s.id)

    def find(self, carrier: str, tracking_number: str) -> Shipment | None:
        shipment_id = self.tracking.get((carrier, tracking_number))
        return self.shipments.get(shipment_id) if shipment_id else None

    def start(self, order: Order, expected_version: int, plan: ShipmentPlan) -> None:
        with self._orders._lock:
            self._orders._check(order, expected_version)
            for r in plan.reallocations:
                at = (r.sku, r.location)
                if self._stock.on_hand.get(at, 0) - self._stock.reserved.get(at, 0) < r.quantity:
                    raise Conflict("the stock changed meanwhile")
            if any(s.id in self.shipments for s in plan.shipments):
                raise Conflict("shipments exist already")
            for r in plan.reallocations:
                origin, at = (r.sku, r.origin), (r.sku, r.location)
                self._stock.on_hand[origin] = self._stock.on_hand.get(origin, 0) + r.quantity
                self._stock.on_hand[at] -= r.quantity
                self._stock.movements.append(
                    {"sku": r.sku, "location": r.origin, "reason": "adjustment", "quantity": r.quantity}
                )
                self._stock.movements.append(
                    {"sku": r.sku, "location": r.location, "reason": "adjustment", "quantity": -r.quantity}
                )
            for s in plan.shipments:
                self.shipments[s.id] = s
                self.tracking[(s.carrier, s.tracking_number)] = s.id
            self.fulfillment[order.id] = {"status": order.status.value}
            self._orders.orders[order.id] = order

    def apply(self, carrier_event: CarrierEventWrite) -> None:
        with self._orders._lock:
            if carrier_event.event_key in self.carrier_events:
                raise DuplicateEvent(carrier_event.event_key)
            if self.shipments[carrier_event.shipment.id].version != carrier_event.expected_shipment_version:
                raise Conflict("the shipment changed meanwhile")
            if carrier_event.order is not None:
                self._orders._check(carrier_event.order, carrier_event.expected_order_version)
                self._orders.orders[carrier_event.order.id] = carrier_event.order
            for pick in carrier_event.shipment.lines if carrier_event.units_back else ():
                where = (pick.sku, pick.location)
                self._stock.on_hand[where] = (
                    self._stock.on_hand.get(where, 0) + carrier_event.units_back * pick.quantity
                )
                moved = Reservation(pick.sku, pick.location, carrier_event.units_back * pick.quantity)
                self._orders._move(
                    moved,
                    "adjustment",
                    carrier_event.shipment.order_id,
                    f"parcel {carrier_event.shipment.id}",
                )
            self.carrier_events.add(carrier_event.event_key)
            self._orders.outbox.add(carrier_event.events)
            self.shipments[carrier_event.shipment.id] = carrier_event.shipment
            self.fulfillment.setdefault(carrier_event.shipment.order_id, {})["status"] = (
                carrier_event.fulfillment_status
            )

    def remember(self, event_key: str) -> bool:
        if event_key in self.carrier_events:
            return False
        self.carrier_events.add(event_key)
        return True

    def park_token(self, order_id: str, milestone: str, task_token: str) -> str:
        record = self.fulfillment.get(order_id)
        if record is None:
            raise Conflict("the order's fulfilment has not started")
        record[f"token_{milestone}"] = task_token
        return record.get("status", "")

    def token(self, order_id: str, milestone: str) -> str | None:
        return self.fulfillment.get(order_id, {}).get(f"token_{milestone}")


class InMemoryLabelStore:
    def __init__(self) -> None:
        self.labels: dict[str, tuple[CarrierLabel, datetime]] = {}

    def get(self, shipment_id: str) -> tuple[CarrierLabel, datetime] | None:
        return self.labels.get(shipment_id)

    def put(self, label: CarrierLabel, stored_at: datetime) -> None:
        self.labels[label.shipment_id] = (label, stored_at)

    def has(self, shipment_id: str) -> bool:
        return shipment_id in self.labels


class ScriptedCarrier(SimulatedCarrier):
    """The simulated carrier with its answers scripted: fixed quotes, or down; counts label requests."""

    def __init__(
        self, quotes: list[CarrierRate] | None = None, down: bool = False, labels_down: bool = False
    ) -> None:
        super().__init__(InMemoryParcels())
        self.quotes, self.down, self.labels_down = quotes, down, labels_down
        self.rate_requests: list[RateRequest] = []
        self.label_requests: list[str] = []

    def rates(self, request: RateRequest) -> list[CarrierRate]:
        self.rate_requests.append(request)
        if self.down:
            raise DependencyFailed("carrier timed out")
        return list(self.quotes) if self.quotes is not None else super().rates(request)

    def label(self, shipment: Shipment, destination: Mapping[str, str]) -> CarrierLabel:
        self.label_requests.append(shipment.id)
        if self.labels_down:
            raise DependencyFailed("carrier did not issue the label")
        return super().label(shipment, destination)


class InMemoryParcels:
    def __init__(self) -> None:
        self.states: dict[str, str] = {}
        self._lock = threading.Lock()

    def scan(self, tracking_number: str) -> bool:
        return self._mark(tracking_number, "scanned", refused_by="voided")

    def void(self, tracking_number: str) -> bool:
        return self._mark(tracking_number, "voided", refused_by="scanned")

    def _mark(self, tracking_number: str, state: str, refused_by: str) -> bool:
        with self._lock:
            if self.states.get(tracking_number) == refused_by:
                return False
            self.states[tracking_number] = state
            return True
