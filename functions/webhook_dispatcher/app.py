"""Outbound webhooks: fans each domain event out to its subscriptions and delivers each one, signed,
retried with backoff (docs/webhooks.md). Two SQS queues feed it; a failed message is reported alone."""

from __future__ import annotations

from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from commerce.composition import integrations
from commerce.config import Settings
from commerce.handlers import queue_handler

settings = Settings.from_env()
dispatcher = integrations.webhook_dispatcher(settings)


def handle(record: SQSRecord) -> None:
    dispatcher.handle(record.body)


lambda_handler = queue_handler(handle)
