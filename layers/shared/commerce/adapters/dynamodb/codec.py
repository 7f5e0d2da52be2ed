"""Plain Python values to DynamoDB attribute values and back; numbers come back as int."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def _ints(value: Any) -> Any:
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise ValueError("the table holds only whole numbers; money is in minor units")
        return int(value)
    if isinstance(value, dict):
        return {k: _ints(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_ints(v) for v in value]
    if isinstance(value, set):
        return {_ints(v) for v in value}
    return value


def to_item(values: dict[str, Any]) -> dict[str, Any]:
    return {k: _serializer.serialize(v) for k, v in values.items() if v is not None}


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _ints(_deserializer.deserialize(v)) for k, v in item.items()}


def key(pk: str, sk: str) -> dict[str, Any]:
    return {"PK": {"S": pk}, "SK": {"S": sk}}


def expiring_record(
    pk: str, sk: str, kind: str, now: datetime, keep_for: timedelta, **values: Any
) -> dict[str, Any]:
    """A record that something was done once (an event applied, an email sent), which the table's TTL
    removes after `keep_for`, when no redelivery can come any more."""
    expires_at = int((now + keep_for).timestamp())
    return to_item({"PK": pk, "SK": sk, "type": kind, **values, "expires_at": expires_at})
