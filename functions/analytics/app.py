"""Counts shopper activity and order events from the bus into the analytics aggregates, once each, and
archives them raw (SQS batch from the AnalyticsQueue; a failing message is retried alone, then
dead-lettered)."""

from __future__ import annotations

import json

from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from commerce.composition import analytics
from commerce.config import Settings
from commerce.handlers import queue_handler

settings = Settings.from_env()
recorder = analytics.analytics_recorder(settings)


def record(record: SQSRecord) -> None:
    # The queue receives EventBridge's event; our envelope is its `detail`.
    recorder.record(json.loads(record.body)["detail"])


lambda_handler = queue_handler(record)
