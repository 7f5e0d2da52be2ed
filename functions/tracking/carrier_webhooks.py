"""Carriers' signed tracking webhooks, applied to their shipment once and in any order."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.metrics import MetricUnit
from pydantic import BaseModel
from wiring import carrier_events, check_signature, settings

from commerce.api.access import PUBLIC
from commerce.api.routing import CommerceRouter, header
from commerce.api.webhook_requests import signed_json, webhook_body
from commerce.domain.errors import NotFound
from commerce.observability import logger, metrics
from commerce.services.fulfillment import TrackingUpdate

router = CommerceRouter()


class TrackingReceived(BaseModel):
    received: bool = True
    event_id: str
    result: str


@router.post(
    "/webhooks/carriers/<carrier>", access=PUBLIC, summary="A carrier's tracking update (HMAC-signed)"
)
def carrier_webhook(carrier: Annotated[str, Path(max_length=32)]) -> TrackingReceived:
    if carrier != settings.carrier_name:
        raise NotFound("no such carrier")
    body = webhook_body(router)  # size and encoding first, then the signature, and only then the JSON
    check_signature(header(router, "x-carrier-signature"), body)
    update = TrackingUpdate.parse(signed_json(body))
    result = carrier_events.handle(carrier, update)
    logger.info("tracking update", carrier=carrier, carrier_event_id=update.event_id, result=result)
    metrics.add_metric(name="TrackingUpdates", unit=MetricUnit.Count, value=1)
    return TrackingReceived(event_id=update.event_id, result=result)
