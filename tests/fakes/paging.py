"""Paging a fake's sorted list: the position is the offset of the next page, opaque to callers as the
table's last evaluated key is."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from commerce.domain.ports import Page

T = TypeVar("T")


def offset_page(listed: Sequence[T], limit: int, position: Mapping[str, Any] | None) -> Page[T]:
    start = int(position["offset"]) if position else 0
    more = start + limit < len(listed)
    return Page(
        items=tuple(listed[start : start + limit]), next_position={"offset": start + limit} if more else None
    )
