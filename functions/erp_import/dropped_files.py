"""CSV files of stock counts dropped under erp/stock/ in the ERP bucket (S3 -> SQS -> here, partial batch
responses): each file imported once, a report written beside it. docs/erp-stock.md."""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from wiring import importer

from commerce.domain.erp_stock import dropped_objects
from commerce.domain.errors import NotFound
from commerce.handlers import queue_handler
from commerce.observability import logger, metrics


def record_handler(record: SQSRecord) -> None:
    for dropped in dropped_objects(record.body):
        try:
            result = importer.import_object(dropped.bucket, dropped.key, dropped.version, dropped.etag)
        except NotFound:
            logger.warning("erp stock file gone before its import", key=dropped.key)
            continue
        metrics.add_metric(name="ErpStockLinesApplied", unit=MetricUnit.Count, value=len(result.applied))
        logger.info("erp stock file imported", key=dropped.key, rejected=len(result.rejected))


lambda_handler = queue_handler(record_handler)
