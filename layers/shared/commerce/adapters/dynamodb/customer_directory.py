"""The CustomerDirectory on the main table: profiles by email hash (GSI3) and by folded name (GSI4, one
partition sorted by name), segments' members (GSI2); then each customer's profile and stats in one batch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from commerce.adapters.dynamodb.batch import batch_get
from commerce.adapters.dynamodb.codec import from_item, key
from commerce.adapters.dynamodb.customers import (
    CUSTOMER_NAMES,
    PROFILE_SK,
    customer_pk,
    profile_from_item,
)
from commerce.adapters.dynamodb.keys import email_key
from commerce.adapters.dynamodb.merged import Partitions, merged_page
from commerce.domain.analytics import CUSTOMER_STATS_SK
from commerce.domain.customer_directory import CustomerEntry
from commerce.domain.ports import Page
from commerce.domain.segments import Segment, stats_from_item

MAX_SHARED_EMAIL = 20  # profiles read for one email: more than one is already a rare mistake


class DynamoCustomerDirectory:
    def __init__(self, client: Any, table: str) -> None:
        self._client, self._table = client, table

    def with_email(self, email: str) -> list[str]:
        where = Partitions("GSI3", "GSI3PK", "GSI3SK", [email_key(email)])
        rows, _ = merged_page(self._client, self._table, where, MAX_SHARED_EMAIL)
        return [str(row["customer_id"]) for row in rows]

    def by_name(self, prefix: str, limit: int, position: dict[str, str] | None) -> Page[str]:
        where = Partitions("GSI4", "GSI4PK", "GSI4SK", [CUSTOMER_NAMES])
        return self._ids(where, limit, position, prefix)

    def in_segment(self, segment: Segment, limit: int, position: dict[str, str] | None) -> Page[str]:
        where = Partitions("GSI2", "GSI2PK", "GSI2SK", [f"SEGMENT#{segment.value}"])
        return self._ids(where, limit, position)

    def entries(self, customer_ids: Sequence[str]) -> list[CustomerEntry]:
        wanted = list(dict.fromkeys(customer_ids))
        keys = [key(customer_pk(c), sk) for c in wanted for sk in (PROFILE_SK, CUSTOMER_STATS_SK)]
        rows = [from_item(i) for i in batch_get(self._client, self._table, keys)]
        profiles = {r["customer_id"]: profile_from_item(r) for r in rows if r["SK"] == PROFILE_SK}
        stats = {s.customer_id: s for s in (stats_from_item(r) for r in rows if r["SK"] == CUSTOMER_STATS_SK)}
        return [
            CustomerEntry(c, profiles.get(c), stats.get(c)) for c in wanted if c in profiles or c in stats
        ]

    def _ids(
        self, where: Partitions, limit: int, position: dict[str, str] | None, prefix: str = ""
    ) -> Page[str]:
        after = position["after"] if position else None
        rows, next_after = merged_page(self._client, self._table, where, limit, after, prefix=prefix)
        ids = tuple(str(row["PK"]).removeprefix("CUSTOMER#") for row in rows)
        return Page(items=ids, next_position={"after": next_after} if next_after else None)
