"""Analytics aggregates in the main table: counters ADDed once per event id (docs/data-model.md #130-#139)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from commerce.adapters.dynamodb.batch import queried
from commerce.adapters.dynamodb.errors import cancellation_reasons, condition_held, error_code, translated
from commerce.domain.analytics import Increment
from commerce.domain.analytics_ports import Counters, RecentlyViewed

COUNTED_MARKER = "ANALYTICS#EVENT#"
# How long a counted event's id is remembered: SQS keeps a message 4 days at most and EventBridge retries
# for 24 hours, so a replay older than this cannot come from the pipeline.
MARKER_LIFETIME = timedelta(days=30)


class DynamoAnalytics:
    def __init__(self, client: Any, table: str, now: Any = None) -> None:
        self._client, self._table = client, table
        self._now = now or (lambda: datetime.now(UTC))

    def apply(self, event_id: str, increments: Sequence[Increment]) -> bool:
        expires_at = int((self._now() + MARKER_LIFETIME).timestamp())
        items: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": {
                        "PK": {"S": COUNTED_MARKER + event_id},
                        "SK": {"S": "COUNTED"},
                        "type": {"S": "analytics_event_counted"},
                        "expires_at": {"N": str(expires_at)},
                    },
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            }
        ]
        items += [self._update(increment) for increment in increments]
        try:
            self._client.transact_write_items(TransactItems=items)
        except ClientError as error:
            reasons = cancellation_reasons(error)
            if error_code(error) == "TransactionCanceledException" and reasons[:1] == [
                "ConditionalCheckFailed"
            ]:
                return False  # counted before: a redelivered or replayed event adds nothing
            with translated():
                raise
        return True

    def _update(self, increment: Increment) -> dict[str, Any]:
        names = {f"#c{i}": name for i, name in enumerate(increment.counters)}
        values = {f":v{i}": {"N": str(value)} for i, value in enumerate(increment.counters.values())}
        adds = ", ".join(f"#c{i} :v{i}" for i in range(len(names)))
        names |= {f"#l{i}": name for i, name in enumerate(increment.latest)}
        values |= {f":l{i}": {"S": value} for i, value in enumerate(increment.latest.values())}
        sets = "".join(f", #l{i} = :l{i}" for i in range(len(increment.latest)))
        return {
            "Update": {
                "TableName": self._table,
                "Key": {"PK": {"S": increment.pk}, "SK": {"S": increment.sk}},
                "UpdateExpression": f"SET #type = :type{sets} ADD {adds}",
                "ExpressionAttributeNames": {**names, "#type": "type"},
                "ExpressionAttributeValues": {**values, ":type": {"S": "analytics_aggregate"}},
            }
        }

    def partition(self, pk: str) -> dict[str, Counters]:
        found: dict[str, Counters] = {}
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": {":pk": {"S": pk}},
        }
        for item in queried(self._client, **kwargs):
            found[item["SK"]["S"]] = {name: int(value["N"]) for name, value in item.items() if "N" in value}
        return found


VIEW_LIFETIME = timedelta(days=90)


class DynamoViewHistory:
    """A signed-in customer's product views: one item per product in their partition, so erasing the customer
    (a Query on `CUSTOMER#<sub>`) takes them too; kept 90 days."""

    def __init__(self, client: Any, table: str) -> None:
        self._client, self._table = client, table

    def remember(self, customer_id: str, product_id: str, viewed_at: str) -> None:
        expires_at = int((datetime.fromisoformat(viewed_at) + VIEW_LIFETIME).timestamp())
        # The condition fails when a later view is stored already (or this is a replay): nothing to do.
        condition_held(
            self._client.update_item,
            TableName=self._table,
            Key={"PK": {"S": f"CUSTOMER#{customer_id}"}, "SK": {"S": f"VIEWED#{product_id}"}},
            UpdateExpression="SET viewed_at = :at, product_id = :p, expires_at = :exp, #type = :type",
            ConditionExpression="attribute_not_exists(viewed_at) OR viewed_at < :at",
            ExpressionAttributeNames={"#type": "type"},
            ExpressionAttributeValues={
                ":at": {"S": viewed_at},
                ":p": {"S": product_id},
                ":exp": {"N": str(expires_at)},
                ":type": {"S": "recently_viewed"},
            },
        )

    def recent(self, customer_id: str, limit: int) -> list[RecentlyViewed]:
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :viewed)",
            "ExpressionAttributeValues": {
                ":pk": {"S": f"CUSTOMER#{customer_id}"},
                ":viewed": {"S": "VIEWED#"},
            },
            "ProjectionExpression": "product_id, viewed_at",
        }
        views = [
            RecentlyViewed(i["product_id"]["S"], i["viewed_at"]["S"]) for i in queried(self._client, **kwargs)
        ]
        return sorted(views, key=lambda v: (v.viewed_at, v.product_id), reverse=True)[:limit]
