"""Fulfillment: each FulfillmentRequested (the order workflow's hand-over) becomes shipments booked with the
carrier, and starts the order's fulfillment state machine."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from commerce import bootstrap
from commerce.config import Settings
from commerce.domain.errors import ValidationFailed
from commerce.observability import logger, metrics, tracer

settings = Settings.from_env()
fulfillment = bootstrap.fulfillment(settings)
labels = bootstrap.shipment_labels(settings)  # labels at booking
processor = BatchProcessor(event_type=EventType.SQS)


@tracer.capture_method
def record_handler(record: SQSRecord) -> None:
    envelope = json.loads(record.body).get("detail") or {}
    order_id = (envelope.get("data") or {}).get("order_id")
    if envelope.get("type") != "FulfillmentRequested" or not order_id:
        raise ValidationFailed("not a FulfillmentRequested event")
    shipments = fulfillment.fulfill(str(order_id))
    metrics.add_metric(name="ShipmentsCreated", unit=MetricUnit.Count, value=len(shipments))
    # best effort, never fails the message (staff can fetch a label later)
    prepared = labels.prepare(str(order_id), shipments)
    metrics.add_metric(name="ShipmentLabelsPrepared", unit=MetricUnit.Count, value=prepared)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
