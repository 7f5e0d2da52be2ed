"""Emails the buyer about their order: domain events from the bus, through the notifications queue."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from commerce import bootstrap
from commerce.config import Settings
from commerce.observability import logger, metrics, tracer

settings = Settings.from_env()
notifications = bootstrap.notifications(settings)
processor = BatchProcessor(event_type=EventType.SQS)


@tracer.capture_method
def record_handler(record: SQSRecord) -> None:
    # The message is EventBridge's event; its `detail` is the domain event's envelope.
    envelope = json.loads(record.body)["detail"]
    if notifications.handle(envelope):
        metrics.add_metric(name="EmailsSent", unit=MetricUnit.Count, value=1)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
