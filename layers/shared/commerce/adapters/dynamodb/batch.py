"""Many items at a time: a Query read page after page, and BatchGetItem and BatchWriteItem in chunks whose
unprocessed remainder is sent again with backoff."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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
