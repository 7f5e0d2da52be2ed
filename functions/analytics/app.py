"""Counts behaviour and order events from the bus into the analytics aggregates, once each, and archives
them raw (SQS batch from the AnalyticsQueue; a failing message is retried alone, then dead-lettered)."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from commerce import bootstrap
from commerce.config import Settings
from commerce.observability import logger, metrics, tracer

settings = Settings.from_env()
recorder = bootstrap.analytics_recorder(settings)
processor = BatchProcessor(event_type=EventType.SQS)


@tracer.capture_method
def record(record: SQSRecord) -> None:
    # The queue receives EventBridge's event; our envelope is its `detail`.
    recorder.record(json.loads(record.body)["detail"])


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(event=event, record_handler=record, processor=processor, context=context)
