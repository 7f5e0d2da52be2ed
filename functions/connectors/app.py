"""Connectors: each domain event an accounting, ERP, email-marketing or support connector consumes becomes
its documents, queued as webhook deliveries (docs/integrations.md). A failed message is reported alone."""

from __future__ import annotations

from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from commerce.composition import integrations
from commerce.config import Settings
from commerce.handlers import queue_handler

settings = Settings.from_env()
feed = integrations.connector_feed(settings)


def handle(record: SQSRecord) -> None:
    feed.handle(record.body)


lambda_handler = queue_handler(handle)
