"""Webhook subscriptions and deliveries in the main table (docs/data-model.md, #110-#116)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from commerce.adapters.dynamodb.batch import in_partition
from commerce.adapters.dynamodb.codec import from_item, key, to_item
from commerce.adapters.dynamodb.errors import condition_held, error_code, translated
from commerce.adapters.dynamodb.outbox import outbox_writes
from commerce.domain.events import DomainEvent
from commerce.domain.webhooks import (
    Attempt,
    Delivery,
    DeliveryStatus,
    Subscription,
    SubscriptionStatus,
)

SUBSCRIPTIONS_PK = "WEBHOOKS"
DELIVERY_TTL = timedelta(days=30)


def _subscription_sk(subscription_id: str) -> str:
    return f"SUBSCRIPTION#{subscription_id}"


def _delivery_pk(delivery_id: str) -> str:
    return f"WEBHOOK_DELIVERY#{delivery_id}"


def _subscription_item(s: Subscription) -> dict[str, Any]:
    return to_item(
        {
            "PK": SUBSCRIPTIONS_PK,
            "SK": _subscription_sk(s.id),
            "type": "webhook_subscription",
            "id": s.id,
            "url": s.url,
            "event_types": list(s.event_types),
            "secret_ciphertext": s.secret_ciphertext,
            "created_at": s.created_at.isoformat(),
            "description": s.description,
            "status": s.status.value,
            "flagged": s.flagged,
            "failing_since": s.failing_since.isoformat() if s.failing_since else None,
            "paused_reason": s.paused_reason,
            "version": s.version,
            "connector": s.connector,
            "settings": dict(s.settings),
        }
    )


def _subscription(item: dict[str, Any]) -> Subscription:
    values = from_item(item)
    return Subscription(
        id=values["id"],
        url=values["url"],
        event_types=tuple(values["event_types"]),
        secret_ciphertext=bytes(values["secret_ciphertext"]),
        created_at=datetime.fromisoformat(values["created_at"]),
        description=values.get("description", ""),
        status=SubscriptionStatus(values["status"]),
        flagged=bool(values.get("flagged", False)),
        failing_since=datetime.fromisoformat(values["failing_since"])
        if values.get("failing_since")
        else None,
        paused_reason=values.get("paused_reason"),
        version=int(values.get("version", 0)),
        connector=values.get("connector"),
        settings={str(k): str(v) for k, v in (values.get("settings") or {}).items()},
    )


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _attempt_value(a: Attempt) -> dict[str, Any]:
    return {
        "number": a.number,
        "at": a.at.isoformat(),
        "status_code": a.status_code,
        "latency_ms": a.latency_ms,
        "excerpt": a.excerpt,
    }


def _delivery(item: dict[str, Any]) -> Delivery:
    values = from_item(item)
    return Delivery(
        id=values["id"],
        subscription_id=values["subscription_id"],
        event_id=values["event_id"],
        event_type=values["event_type"],
        body=values["body"],
        created_at=datetime.fromisoformat(values["created_at"]),
        status=DeliveryStatus(values["status"]),
        attempts=tuple(
            Attempt(
                number=a["number"],
                at=datetime.fromisoformat(a["at"]),
                status_code=a.get("status_code"),
                latency_ms=a["latency_ms"],
                excerpt=a.get("excerpt", ""),
            )
            for a in values.get("attempts", [])
        ),
        queued=bool(values.get("queued", False)),
        content_type=values.get("content_type") or "application/json",
    )


class DynamoWebhookSubscriptions:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def add(self, subscription: Subscription) -> None:
        with translated(detail="the subscription exists"):
            self._client.put_item(
                TableName=self._table,
                Item=_subscription_item(subscription),
                ConditionExpression="attribute_not_exists(PK)",
            )

    def get(self, subscription_id: str) -> Subscription | None:
        with translated():
            answer = self._client.get_item(
                TableName=self._table,
                Key=key(SUBSCRIPTIONS_PK, _subscription_sk(subscription_id)),
                ConsistentRead=True,
            )
        return _subscription(answer["Item"]) if "Item" in answer else None

    def all(self) -> list[Subscription]:
        found: list[Subscription] = []
        start: dict[str, Any] | None = None
        while True:
            request: dict[str, Any] = {
                "TableName": self._table,
                "KeyConditionExpression": "PK = :pk AND begins_with(SK, :sk)",
                "ExpressionAttributeValues": {":pk": {"S": SUBSCRIPTIONS_PK}, ":sk": {"S": "SUBSCRIPTION#"}},
                "ConsistentRead": True,
            }
            if start:
                request["ExclusiveStartKey"] = start
            with translated():
                answer = self._client.query(**request)
            found += [_subscription(item) for item in answer.get("Items", [])]
            start = answer.get("LastEvaluatedKey")
            if not start:
                return sorted(found, key=lambda s: (s.created_at, s.id))

    def save(self, subscription: Subscription, events: Sequence[DomainEvent] = ()) -> Subscription:
        saved = replace(subscription, version=subscription.version + 1)
        put = {
            "TableName": self._table,
            "Item": _subscription_item(saved),
            "ConditionExpression": "attribute_exists(PK) AND version = :v",
            "ExpressionAttributeValues": {":v": {"N": str(subscription.version)}},
        }
        with translated(detail="the subscription changed meanwhile"):
            if events:  # a pause: announced in the subscription's own transaction
                self._client.transact_write_items(
                    TransactItems=[{"Put": put}, *outbox_writes(self._table, events)]
                )
            else:
                self._client.put_item(**put)
        return saved

    def delete(self, subscription_id: str) -> bool:
        return condition_held(
            self._client.delete_item,
            TableName=self._table,
            Key=key(SUBSCRIPTIONS_PK, _subscription_sk(subscription_id)),
            ConditionExpression="attribute_exists(PK)",
        )


class DynamoWebhookDeliveries:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def add(self, delivery: Delivery) -> Delivery:
        item = to_item(
            {
                "PK": _delivery_pk(delivery.id),
                "SK": "DELIVERY",
                "GSI1PK": f"WEBHOOK#{delivery.subscription_id}",
                "GSI1SK": f"{delivery.created_at.isoformat()}#{delivery.id}",
                "type": "webhook_delivery",
                "id": delivery.id,
                "subscription_id": delivery.subscription_id,
                "event_id": delivery.event_id,
                "event_type": delivery.event_type,
                "body": delivery.body,
                "created_at": delivery.created_at.isoformat(),
                "status": delivery.status.value,
                "attempts": [_attempt_value(a) for a in delivery.attempts],
                "queued": delivery.queued,
                "content_type": delivery.content_type,
                "expires_at": int((delivery.created_at + DELIVERY_TTL).timestamp()),
            }
        )
        try:
            self._client.put_item(
                TableName=self._table, Item=item, ConditionExpression="attribute_not_exists(PK)"
            )
        except ClientError as error:
            stored = self.get(delivery.id) if error_code(error) == "ConditionalCheckFailedException" else None
            if stored is not None:
                return stored  # made by an earlier fan-out of the same event
            with translated():
                raise
        return delivery

    def get(self, delivery_id: str) -> Delivery | None:
        with translated():
            answer = self._client.get_item(
                TableName=self._table, Key=key(_delivery_pk(delivery_id), "DELIVERY"), ConsistentRead=True
            )
        return _delivery(answer["Item"]) if "Item" in answer else None

    def record(self, delivery_id: str, attempt: Attempt, status: DeliveryStatus) -> None:
        with translated():
            self._client.update_item(
                TableName=self._table,
                Key=key(_delivery_pk(delivery_id), "DELIVERY"),
                UpdateExpression="SET attempts = list_append(if_not_exists(attempts, :none), :one), #s = :s",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={
                    ":none": {"L": []},
                    ":one": {"L": [to_item({"a": _attempt_value(attempt)})["a"]]},
                    ":s": {"S": status.value},
                },
            )

    def set_status(self, delivery_id: str, status: DeliveryStatus) -> None:
        with translated():
            self._client.update_item(
                TableName=self._table,
                Key=key(_delivery_pk(delivery_id), "DELIVERY"),
                UpdateExpression="SET #s = :s",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={":s": {"S": status.value}},
            )

    def mark_queued(self, delivery_id: str) -> None:
        with translated():
            self._client.update_item(
                TableName=self._table,
                Key=key(_delivery_pk(delivery_id), "DELIVERY"),
                UpdateExpression="SET queued = :yes",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeValues={":yes": {"BOOL": True}},
            )

    def for_subscription(self, subscription_id: str, limit: int) -> list[Delivery]:
        deliveries = in_partition(f"WEBHOOK#{subscription_id}", index="GSI1")
        with translated():
            answer = self._client.query(
                TableName=self._table, ScanIndexForward=False, Limit=limit, **deliveries
            )
        return [_delivery(item) for item in answer.get("Items", [])]
