"""Emails the buyer about their order: domain events from the bus, through the notifications queue."""

from __future__ import annotations

import json

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from commerce.composition import customers
from commerce.config import Settings
from commerce.handlers import queue_handler
from commerce.observability import metrics

settings = Settings.from_env()
notifications = customers.notifications(settings)


def record_handler(record: SQSRecord) -> None:
    # The message is EventBridge's event; its `detail` is the domain event's envelope.
    envelope = json.loads(record.body)["detail"]
    if notifications.handle(envelope):
        metrics.add_metric(name="EmailsSent", unit=MetricUnit.Count, value=1)


lambda_handler = queue_handler(record_handler)
