"""CSV files of stock counts dropped under erp/stock/ in the ERP bucket (S3 -> SQS -> here, partial batch
responses): each file imported once, a report written beside it. docs/erp-stock.md."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from wiring import importer

from commerce.domain.erp_stock import dropped_objects
from commerce.domain.errors import NotFound
from commerce.observability import logger, metrics, tracer


@tracer.capture_method
def record_handler(record: SQSRecord) -> None:
    for dropped in dropped_objects(record.body):
        try:
            result = importer.import_object(dropped.bucket, dropped.key, dropped.version, dropped.etag)
        except NotFound:
            logger.warning("erp stock file gone before its import", key=dropped.key)
            continue
        metrics.add_metric(name="ErpStockLinesApplied", unit=MetricUnit.Count, value=len(result.applied))
        logger.info("erp stock file imported", key=dropped.key, rejected=len(result.rejected))


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # A processor per batch: it keeps the batch's results, and the local stack runs invocations at once.
    processor = BatchProcessor(event_type=EventType.SQS)
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
