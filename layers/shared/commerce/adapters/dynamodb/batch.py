"""Many items at a time: a Query read page after page (or its first page only), and BatchGetItem and
BatchWriteItem in chunks whose unprocessed remainder is sent again with backoff."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from commerce.adapters.dynamodb.codec import from_item, key, to_item
from commerce.adapters.dynamodb.errors import backoff, translated

BATCH_GET = 100  # BatchGetItem takes 100 keys a call
BATCH_WRITE = 25  # BatchWriteItem takes 25 requests a call


def queried(client: Any, **request: Any) -> Iterator[dict[str, Any]]:
    """The raw items a Query finds, page after page; a page is asked for only when the caller reads on."""
    while True:
        with translated():
            page = client.query(**request)
        yield from page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def item_at(client: Any, table: str, pk: str, sk: str, *, consistent: bool) -> dict[str, Any] | None:
    """The decoded item under (`pk`, `sk`), or None; `consistent` reads it strongly consistent."""
    with translated():
        found = client.get_item(TableName=table, Key=key(pk, sk), ConsistentRead=consistent).get("Item")
    return from_item(found) if found else None


def first_page(client: Any, **request: Any) -> list[dict[str, Any]]:
    """The decoded items of a Query's first page, and no more: at most its `Limit`, for a caller that wants
    the first few, or reads a partition that one page holds."""
    with translated():
        return [from_item(item) for item in client.query(**request).get("Items", [])]


def in_partition(pk: str, sort_prefix: str | None = None, index: str | None = None) -> dict[str, Any]:
    """A Query's key condition: the items of partition `pk` (those whose sort key begins with `sort_prefix`
    when one is given), in the table or in `index`, whose keys are `<index>PK` and `<index>SK`."""
    pk_name, sk_name = (f"{index}PK", f"{index}SK") if index else ("PK", "SK")
    request: dict[str, Any] = {"IndexName": index} if index else {}
    if sort_prefix is None:
        condition, values = f"{pk_name} = :pk", {":pk": pk}
    else:
        condition = f"{pk_name} = :pk AND begins_with({sk_name}, :prefix)"
        values = {":pk": pk, ":prefix": sort_prefix}
    return {**request, "KeyConditionExpression": condition, "ExpressionAttributeValues": to_item(values)}


def listed_before(pk: str, before: str, index: str = "GSI2") -> dict[str, Any]:
    """A Query's key condition: what `index` lists under `pk` with a sort key before `before` (what is due,
    idle or waiting since then, where the sort key starts with a time)."""
    return {
        "IndexName": index,
        "KeyConditionExpression": f"{index}PK = :pk AND {index}SK < :before",
        "ExpressionAttributeValues": to_item({":pk": pk, ":before": before}),
    }


def batch_get(client: Any, table: str, keys: list[dict[str, Any]], consistent: bool = False) -> list[Any]:
    """The raw items of `keys` that exist, in no particular order."""
    items: list[Any] = []
    for start in range(0, len(keys), BATCH_GET):
        pending: dict[str, Any] = {
            table: {"Keys": keys[start : start + BATCH_GET], "ConsistentRead": consistent}
        }
        for attempt in backoff():
            with translated():
                result = client.batch_get_item(RequestItems=pending)
            items += result.get("Responses", {}).get(table, [])
            pending = result.get("UnprocessedKeys") or {}
            if not pending:
                break
            attempt.failed()
    return items


def batch_write(client: Any, table: str, requests: list[dict[str, Any]]) -> None:
    """Sends `requests` (each a PutRequest or a DeleteRequest) in calls of 25."""
    for start in range(0, len(requests), BATCH_WRITE):
        pending: dict[str, Any] = {table: requests[start : start + BATCH_WRITE]}
        for attempt in backoff():
            with translated():
                result = client.batch_write_item(RequestItems=pending)
            pending = result.get("UnprocessedItems") or {}
            if not pending:
                break
            attempt.failed()
