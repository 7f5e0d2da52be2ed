"""Outbound webhooks: fans each domain event out to its subscriptions and delivers each one, signed,
retried with backoff (docs/webhooks.md). Two SQS queues feed it; a failed message is reported alone."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from commerce import bootstrap
from commerce.config import Settings
from commerce.observability import logger, metrics, tracer

settings = Settings.from_env()
dispatcher = bootstrap.webhook_dispatcher(settings)


def handle(record: SQSRecord) -> None:
    dispatcher.handle(record.body)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # A processor per batch: it keeps the batch's results, and the local stack runs invocations concurrently.
    processor = BatchProcessor(event_type=EventType.SQS)
    return process_partial_response(event=event, record_handler=handle, processor=processor, context=context)
