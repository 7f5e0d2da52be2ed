"""Staff's order lists: one status's orders by date (GSI2, the channel a filter of the Query), or one email's
orders by date (the email index entries beside the orders, then the orders themselves). Never a Scan.

A filter drops rows after DynamoDB read them, so a page is filled by reading on, a bounded number of times;
a page cut short by that bound still says where to go on (`next_position`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC
from typing import Any

from commerce.adapters.dynamodb.batch import batch_get
from commerce.adapters.dynamodb.codec import from_item, key, to_item
from commerce.adapters.dynamodb.errors import translated
from commerce.adapters.dynamodb.keys import email_key
from commerce.domain.order import Order, OrderStatus
from commerce.domain.ports import Page, Period

READS_PER_PAGE = 5  # Queries one page may take to fill when a filter drops rows
EMAIL_ENTRIES_PER_READ = 100  # one BatchGetItem of orders per read
DEFAULT_CHANNEL = "web"  # orders taken before channels existed carry none


def _bounds(created: Period) -> tuple[str, str]:
    low = created.since.astimezone(UTC).isoformat() if created.since else "0"  # a key value is never empty
    high = created.until.astimezone(UTC).isoformat() if created.until else "~"  # "~" sorts after any time
    return low, high


def _channel_filter(request: dict[str, Any], channel: str | None) -> None:
    if channel is None:
        return
    request["ExpressionAttributeNames"] = {"#channel": "channel"}
    request["ExpressionAttributeValues"][":channel"] = {"S": channel}
    request["FilterExpression"] = (
        "attribute_not_exists(#channel) OR #channel = :channel"
        if channel == DEFAULT_CHANNEL
        else "#channel = :channel"
    )


Found = list[tuple[dict[str, Any], Order]]  # each order with the index key a page may start after


def _filled(
    client: Any,
    request: dict[str, Any],
    limit: int,
    position: Mapping[str, Any] | None,
    matching: Callable[[list[dict[str, Any]]], Found],
) -> Page[Order]:
    """Reads on (at most READS_PER_PAGE Queries) until `limit` orders match, plus one that says a next page
    exists; `matching` turns one Query's rows into the orders it keeps."""
    if position:
        request["ExclusiveStartKey"] = to_item(dict(position))
    found: Found = []
    last: Mapping[str, Any] | None = None
    for _ in range(READS_PER_PAGE):
        with translated():
            result = client.query(**request)
        found += matching([from_item(i) for i in result.get("Items", [])])
        last = result.get("LastEvaluatedKey")
        if len(found) > limit or last is None:
            break
        request["ExclusiveStartKey"] = last
    page = found[:limit]
    if len(found) > limit:
        next_position: Mapping[str, Any] | None = page[-1][0]
    else:
        next_position = from_item(dict(last)) if last else None
    return Page(items=tuple(order for _, order in page), next_position=next_position)


def status_page(
    client: Any,
    table: str,
    status: OrderStatus,
    created: Period,
    limit: int,
    position: Mapping[str, Any] | None,
    channel: str | None,
    to_order: Callable[[Mapping[str, Any]], Order],
) -> Page[Order]:
    """Orders in `status`, newest first, created in the period, taken on `channel` when given."""
    low, high = _bounds(created)
    request: dict[str, Any] = {
        "TableName": table,
        "IndexName": "GSI2",
        "KeyConditionExpression": "GSI2PK = :pk AND GSI2SK BETWEEN :low AND :high",
        "ExpressionAttributeValues": to_item({":pk": f"ORDERS#{status.value}", ":low": low, ":high": high}),
        "ScanIndexForward": False,
        "Limit": limit + 1,
    }
    _channel_filter(request, channel)

    def matching(rows: list[dict[str, Any]]) -> Found:
        # BETWEEN includes `until` itself; an order created exactly then belongs to the next range.
        kept = [r for r in rows if not created.until or r["created_at"] < high]
        return [({n: r[n] for n in ("PK", "SK", "GSI2PK", "GSI2SK")}, to_order(r)) for r in kept]

    return _filled(client, request, limit, position, matching)


def email_page(
    client: Any,
    table: str,
    email: str,
    created: Period,
    limit: int,
    position: Mapping[str, Any] | None,
    keep: Callable[[Order], bool],
    to_order: Callable[[Mapping[str, Any]], Order],
) -> Page[Order]:
    """The orders placed with `email` (any case), newest first, created in the period, that `keep` keeps."""
    low, high = _bounds(created)
    request: dict[str, Any] = {
        "TableName": table,
        "KeyConditionExpression": "PK = :pk AND SK BETWEEN :low AND :high",
        "ExpressionAttributeValues": to_item(
            {":pk": email_key(email), ":low": f"ORDER#{low}", ":high": f"ORDER#{high}"}
        ),
        "ProjectionExpression": "PK, SK, order_id",
        "ScanIndexForward": False,
        "Limit": EMAIL_ENTRIES_PER_READ,
    }

    def matching(entries: list[dict[str, Any]]) -> Found:
        keys = [key(f"ORDER#{e['order_id']}", "ORDER") for e in entries]
        orders = {o.id: o for o in map(to_order, map(from_item, batch_get(client, table, keys)))}
        return [
            ({"PK": e["PK"], "SK": e["SK"]}, order)
            for e in entries
            if (order := orders.get(e["order_id"])) is not None
            and created.includes(order.created_at)
            and keep(order)
        ]

    return _filled(client, request, limit, position, matching)
