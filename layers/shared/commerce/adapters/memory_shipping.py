"""In-memory fakes for the shipping connector: the label store, and a carrier whose rates can be
made to fail (down) to exercise the fallback to zone rates."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from commerce.adapters.carriers import SimulatedCarrier
from commerce.domain.carrier_rates import CarrierLabel, CarrierRate, RateRequest
from commerce.domain.errors import DependencyFailed
from commerce.domain.fulfillment import Shipment


class MemoryLabelStore:
    def __init__(self) -> None:
        self.labels: dict[str, tuple[CarrierLabel, datetime]] = {}

    def get(self, shipment_id: str) -> tuple[CarrierLabel, datetime] | None:
        return self.labels.get(shipment_id)

    def put(self, label: CarrierLabel, stored_at: datetime) -> None:
        self.labels[label.shipment_id] = (label, stored_at)


class ScriptedCarrier(SimulatedCarrier):
    """The simulated carrier with its answers scripted: fixed quotes, or down; counts label requests."""

    def __init__(
        self, quotes: list[CarrierRate] | None = None, down: bool = False, labels_down: bool = False
    ) -> None:
        super().__init__()
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
