"""Reading many items by key: BatchGetItem, 100 keys a call, unprocessed keys asked again with backoff."""

from __future__ import annotations

from typing import Any

from commerce.adapters.dynamodb.errors import backoff, translated

BATCH_GET = 100  # BatchGetItem takes 100 keys a call


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
