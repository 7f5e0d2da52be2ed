"""A listing's pages: a Query asks for one item more than the page, which tells whether a next page exists
without an empty last page, and the next page starts after the last item's keys (table and index)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from commerce.adapters.dynamodb.codec import to_item


def page_request(limit: int, position: Mapping[str, Any] | None) -> dict[str, Any]:
    """The Limit and start of the Query of a page of `limit` items from `position` (None: the first)."""
    request: dict[str, Any] = {"Limit": limit + 1}
    if position:
        request["ExclusiveStartKey"] = to_item(dict(position))
    return request


def cut_page(
    rows: list[dict[str, Any]], limit: int, index: str
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The page (the first `limit` decoded rows) and the position of the next, from the last row's table
    keys and those of `index`; None when no row is left over."""
    page = rows[:limit]
    if len(rows) <= limit or not page:
        return page, None
    return page, {name: page[-1][name] for name in ("PK", "SK", f"{index}PK", f"{index}SK")}
