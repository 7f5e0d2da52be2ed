"""Fulfillment: each FulfillmentRequested (the order workflow's hand-over) becomes shipments booked with the
carrier, and starts the order's fulfillment state machine."""

from __future__ import annotations

import json

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from commerce.composition import fulfillment as composition
from commerce.config import Settings
from commerce.domain.errors import ValidationFailed
from commerce.handlers import queue_handler
from commerce.observability import metrics

settings = Settings.from_env()
fulfillment = composition.fulfillment(settings)
labels = composition.shipment_labels(settings)  # labels at booking


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


lambda_handler = queue_handler(record_handler)
