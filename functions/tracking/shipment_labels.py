"""A shipment's label, staff only (docs/fulfillment.md#rates-and-labels)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.metrics import MetricUnit
from wiring import labels

from commerce.api.access import staff
from commerce.api.routing import CommerceRouter
from commerce.api.shipping_models import ShipmentLabelOut
from commerce.domain.permissions import Permission
from commerce.observability import metrics

router = CommerceRouter()

ShipmentId = Annotated[str, Path(max_length=80, pattern=r"^[A-Za-z0-9-]+$")]


@router.get(
    "/admin/shipments/<shipment_id>/label",
    access=staff(Permission.ORDERS_READ),
    summary="A shipment's label (requested from the carrier on first read)",
)
def get_shipment_label(shipment_id: ShipmentId) -> ShipmentLabelOut:
    return ShipmentLabelOut.of(*labels.get(shipment_id))


@router.post(
    "/admin/shipments/<shipment_id>/label",
    access=staff(Permission.ORDERS_MANAGE),
    summary="Ask the carrier for a shipment's label again (replaces the stored one)",
)
def request_shipment_label(shipment_id: ShipmentId) -> ShipmentLabelOut:
    label, stored_at = labels.request(shipment_id)
    metrics.add_metric(name="ShipmentLabelsRequested", unit=MetricUnit.Count, value=1)
    return ShipmentLabelOut.of(label, stored_at)
