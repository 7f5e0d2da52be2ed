"""Carrier tracking: signed webhooks applied to their shipment once and in any order
(`POST /webhooks/carriers/{carrier}`), and the fulfillment state machine's waits (`{"step": "await"}`)."""

# No `from __future__ import annotations` here: Powertools reads the route signatures at run time
# to validate requests, and string annotations behind the tracer decorator would not resolve.

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from commerce import bootstrap
from commerce.adapters.carriers import verify
from commerce.api.access import PUBLIC, staff
from commerce.api.resolver import create_resolver, header
from commerce.api.shipping_models import ShipmentLabelOut
from commerce.api.webhook_requests import signed_json, webhook_body
from commerce.config import Settings
from commerce.domain.errors import NotFound
from commerce.domain.permissions import Permission
from commerce.observability import logger, metrics, tracer
from commerce.services.fulfillment import TrackingUpdate

settings = Settings.from_env()
app = create_resolver(settings.staff_roles)
carrier_secret, carrier_events, waits = bootstrap.tracking(settings)
labels = bootstrap.shipment_labels(settings)
ShipmentId = Annotated[str, Path(max_length=80, pattern=r"^[A-Za-z0-9-]+$")]


class TrackingReceived(BaseModel):
    received: bool = True
    event_id: str
    result: str


@app.post("/webhooks/carriers/<carrier>", access=PUBLIC, summary="A carrier's tracking update (HMAC-signed)")
@tracer.capture_method
def carrier_webhook(carrier: Annotated[str, Path(max_length=32)]) -> TrackingReceived:
    if carrier != settings.carrier_name:
        raise NotFound("no such carrier")
    body = webhook_body(app)  # size and encoding first, then the signature, and only then the JSON
    verify(carrier_secret()["webhook_secret"], header(app, "x-carrier-signature"), body)
    update = TrackingUpdate.parse(signed_json(body))
    result = carrier_events.handle(carrier, update)
    logger.info("tracking update", carrier=carrier, carrier_event_id=update.event_id, result=result)
    metrics.add_metric(name="TrackingUpdates", unit=MetricUnit.Count, value=1)
    return TrackingReceived(event_id=update.event_id, result=result)


# shipping connector: shipment labels, staff only (docs/fulfillment.md#rates-and-labels)
@app.get(
    "/admin/shipments/<shipment_id>/label",
    access=staff(Permission.ORDERS_READ),
    summary="A shipment's label (requested from the carrier on first read)",
)
@tracer.capture_method
def get_shipment_label(shipment_id: ShipmentId) -> ShipmentLabelOut:
    return ShipmentLabelOut.of(*labels.get(shipment_id))


@app.post(
    "/admin/shipments/<shipment_id>/label",
    access=staff(Permission.ORDERS_MANAGE),
    summary="Ask the carrier for a shipment's label again (replaces the stored one)",
)
@tracer.capture_method
def request_shipment_label(shipment_id: ShipmentId) -> ShipmentLabelOut:
    label, stored_at = labels.request(shipment_id)
    metrics.add_metric(name="ShipmentLabelsRequested", unit=MetricUnit.Count, value=1)
    return ShipmentLabelOut.of(label, stored_at)


@logger.inject_lambda_context(clear_state=True, correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if event.get("step") == "await":  # the fulfillment state machine
        return waits.await_milestone(
            str(event["order_id"]), str(event["milestone"]), str(event["task_token"])
        )
    return app.resolve(event, context)
