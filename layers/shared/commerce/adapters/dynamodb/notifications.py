"""The record of emails sent, `EMAIL_SENT#<event id>#<template> / EMAIL`, claimed before sending."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from commerce.adapters.dynamodb.codec import expiring_record, key
from commerce.adapters.dynamodb.errors import condition_held, translated

SENT_SK = "EMAIL"
# EventBridge and SQS redeliver within days at most (the queue keeps a message 4 days, the DLQ 14).
SENT_RECORD_TTL = timedelta(days=30)


class DynamoSentEmails:
    def __init__(self, client: Any, table: str, clock: Callable[[], datetime] | None = None) -> None:
        self._client, self._table = client, table
        self._clock = clock or (lambda: datetime.now(UTC))

    def claim(self, idempotency_key: str, order_id: str) -> bool:
        now = self._clock()
        item = expiring_record(
            f"EMAIL_SENT#{idempotency_key}",
            SENT_SK,
            "email_sent",
            now,
            SENT_RECORD_TTL,
            order_id=order_id,
            at=now.isoformat(),
        )
        return condition_held(
            self._client.put_item,
            TableName=self._table,
            Item=item,
            ConditionExpression="attribute_not_exists(PK)",
        )

    def release(self, idempotency_key: str) -> None:
        with translated():
            self._client.delete_item(TableName=self._table, Key=key(f"EMAIL_SENT#{idempotency_key}", SENT_SK))
