"""How a function's Lambda entry points are made. Each clears the log keys the last invocation appended (a
warm Lambda keeps its Logger, and an order id would be logged on a stranger's lines), is traced, and flushes
its metrics. HTTP routes have theirs in `commerce.api.resolver.http_handler`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from commerce.observability import logger, metrics, ready, tracer

Handler = Callable[[dict[str, Any], LambdaContext], Any]


def entry_point(handler: Handler) -> Handler:
    """A schedule's, a state machine's or a queue's `lambda_handler`."""
    traced: Handler = tracer.capture_lambda_handler(metrics.log_metrics(handler))
    entry: Handler = logger.inject_lambda_context(traced, clear_state=True)
    ready()
    return entry


def queue_handler(record_handler: Callable[[SQSRecord], object]) -> Handler:
    """A queue's `lambda_handler`: each message to `record_handler`, and only the failed ones reported back
    (partial batch responses), so only they are received again."""

    @entry_point
    def lambda_handler(event: dict[str, Any], context: LambdaContext) -> Mapping[str, object]:
        # A processor per batch: it keeps the batch's results, and the local stack runs invocations at once.
        processor = BatchProcessor(event_type=EventType.SQS)
        return process_partial_response(
            event=event, record_handler=record_handler, processor=processor, context=context
        )

    return lambda_handler
