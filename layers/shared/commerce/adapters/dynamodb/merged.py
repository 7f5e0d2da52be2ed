"""One page in sort-key order over one or more partitions (of the table or an index), positioned by the
last sort key returned rather than by a last evaluated key, so that the same position carries on in every
partition. Each partition is read only up to one item past the page."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from commerce.adapters.dynamodb.batch import queried
from commerce.adapters.dynamodb.codec import from_item, to_item

HIGHEST = "\U0010ffff"  # sorts after any text a key holds


@dataclass(frozen=True, slots=True)
class Partitions:
    """Where to read: the index (None for the table), its key names, and the partition keys."""

    index: str | None
    pk_name: str
    sk_name: str
    keys: Sequence[str]


def merged_page(
    client: Any,
    table: str,
    where: Partitions,
    limit: int,
    after: str | None = None,
    *,
    prefix: str = "",
    newest_first: bool = False,
) -> tuple[list[dict[str, Any]], str | None]:
    """Up to `limit` items whose sort key starts with `prefix`, in sort-key order (descending when
    `newest_first`) across the partitions, strictly past `after`; and the position of the next page."""
    rows: list[dict[str, Any]] = []
    for pk in where.keys:
        rows += islice(_partition(client, table, where, pk, after, prefix, newest_first, limit), limit + 1)
    rows.sort(key=lambda row: str(row[where.sk_name]), reverse=newest_first)
    page = rows[:limit]
    return page, (str(page[-1][where.sk_name]) if len(rows) > limit else None)


def _partition(
    client: Any,
    table: str,
    where: Partitions,
    pk: str,
    after: str | None,
    prefix: str,
    newest_first: bool,
    limit: int,
) -> Iterator[dict[str, Any]]:
    values: dict[str, str] = {":pk": pk}
    if after is None:
        condition = "begins_with(#sk, :prefix)" if prefix else ""
        values.update({":prefix": prefix} if prefix else {})
    elif newest_first:
        condition = "#sk BETWEEN :low AND :high" if prefix else "#sk < :high"
        values.update({":low": prefix, ":high": after} if prefix else {":high": after})
    else:
        condition = "#sk BETWEEN :low AND :high"
        values.update({":low": after, ":high": prefix + HIGHEST})
    request: dict[str, Any] = {
        "TableName": table,
        "KeyConditionExpression": f"#pk = :pk AND {condition}" if condition else "#pk = :pk",
        "ExpressionAttributeNames": {"#pk": where.pk_name, **({"#sk": where.sk_name} if condition else {})},
        "ExpressionAttributeValues": to_item(values),
        "ScanIndexForward": not newest_first,
        "Limit": limit + 2,  # the page, one more to tell a next page exists, and `after` itself
    }
    if where.index:
        request["IndexName"] = where.index
    for item in queried(client, **request):
        row = from_item(item)
        sort_key = str(row[where.sk_name])
        if sort_key != after and sort_key.startswith(prefix):  # BETWEEN holds both of its ends
            yield row
