"""Shipment labels: the carrier's label document for a booked shipment, kept in the label store;
staff read it (requested from the carrier on first read) or ask for it again. Idempotent per shipment: the
carrier is asked with the shipment's idempotency key and the stored label is replaced, never duplicated."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from datetime import datetime

from commerce.domain.carrier_rates import CarrierLabel
from commerce.domain.errors import NotFound
from commerce.domain.fulfillment import Shipment
from commerce.domain.ports import Carrier, LabelStore, OrderRepository, Shipments

# Shipment ids are `<order id>-<n>` (docs/fulfillment.md).
_SHIPMENT_ID = re.compile(r"^(?P<order>[A-Za-z0-9-]+)-(?P<n>[0-9]{1,4})$")

logger = logging.getLogger(__name__)


class ShipmentLabels:
    def __init__(
        self,
        orders: OrderRepository,
        shipments: Shipments,
        carrier: Carrier,
        store: LabelStore,
        clock: Callable[[], datetime],
    ) -> None:
        self._orders = orders
        self._shipments = shipments
        self._carrier = carrier
        self._store = store
        self._clock = clock

    def get(self, shipment_id: str) -> tuple[CarrierLabel, datetime]:
        """The stored label, or the carrier's, requested and stored now (404 for an unknown shipment)."""
        stored = self._store.get(shipment_id)
        if stored is not None:
            return stored
        return self.request(shipment_id)

    def request(self, shipment_id: str) -> tuple[CarrierLabel, datetime]:
        """Asks the carrier for the shipment's label again and stores it in place of the old one."""
        shipment, destination = self._shipment(shipment_id)
        label = self._carrier.label(shipment, destination)
        stored_at = self._clock()
        self._store.put(label, stored_at)
        logger.info(
            "shipment label stored",
            extra={"shipment_id": shipment.id, "carrier": label.carrier, "size": len(label.content)},
        )
        return label, stored_at

    def prepare(self, order_id: str, shipments: Sequence[Shipment]) -> int:
        """At booking: asks the carrier for each new shipment's label that is not stored yet; how many are
        stored now. Best effort: a label that cannot be had now is fetched on demand by staff later, so
        nothing here may fail the booking (already done) or make its message be retried."""
        if not shipments:
            return 0
        order = self._orders.get(order_id)
        destination = dict(order.shipping_address) if order else {}
        stored = 0
        for shipment in shipments:
            try:
                if self._store.get(shipment.id) is None:
                    self._store.put(self._carrier.label(shipment, destination), self._clock())
                stored += 1
            except Exception:
                logger.warning(
                    "label not prepared at booking", extra={"shipment_id": shipment.id}, exc_info=True
                )
        return stored

    def _shipment(self, shipment_id: str) -> tuple[Shipment, dict[str, str]]:
        match = _SHIPMENT_ID.match(shipment_id)
        if match is None:
            raise NotFound("no such shipment")
        order = self._orders.get(match["order"])
        shipment = next((s for s in self._shipments.for_order(match["order"]) if s.id == shipment_id), None)
        if order is None or shipment is None:
            raise NotFound("no such shipment")
        return shipment, dict(order.shipping_address)
