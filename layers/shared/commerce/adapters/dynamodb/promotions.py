"""Promotions, their usage counters, and FX rate snapshots.

Items (docs/data-model.md, #50-#59):

- a promotion, `PROMOTION / <id>` (a code promotion's id is its code): one partition, read by a Query for
  the automatic ones and the staff list, by a GetItem for a code;
- its usage counter, `PROMO#<id> / USAGE` (`uses`, `given_<CUR>` minor units), and one counter per
  shopper, `PROMO#<id> / SHOPPER#<key>`: both updated in the checkout's own transaction under a condition
  on the limit (`usage_items`), so the last use goes to exactly one buyer;
- an FX snapshot, `FX#<base> / <yyyy-mm-dd>`, rates as decimal strings.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from commerce.adapters.dynamodb.batch import first_page, item_at, queried
from commerce.adapters.dynamodb.codec import from_item, key, to_item
from commerce.adapters.dynamodb.errors import translated
from commerce.domain.errors import Conflict, NotFound
from commerce.domain.fx import FxSnapshot
from commerce.domain.order import Order
from commerce.domain.ports import PromotionUsage
from commerce.domain.promotions import (
    DiscountCodeExhausted,
    Promotion,
    PromotionKind,
    PromotionStatus,
)

PROMOTION_PK = "PROMOTION"
USAGE_SK = "USAGE"
SHOPPER_PREFIX = "SHOPPER#"


def promotion_to_item(p: Promotion) -> dict[str, Any]:
    return {
        "PK": PROMOTION_PK,
        "SK": p.id,
        "type": "promotion",
        "id": p.id,
        "kind": p.kind.value,
        "description": p.description,
        "starts_at": p.starts_at.isoformat(),
        "ends_at": p.ends_at.isoformat() if p.ends_at else None,
        "code": p.code,
        "percent_bp": p.percent_bp,
        "amounts": dict(p.amounts) or None,
        "min_subtotal": dict(p.min_subtotal) or None,
        "skus": sorted(p.skus) or None,
        "categories": sorted(p.categories) or None,
        "signed_in_only": p.signed_in_only,
        "first_order_only": p.first_order_only,
        "usage_limit": p.usage_limit,
        "per_customer_limit": p.per_customer_limit,
        "status": p.status.value,
    }


def promotion_from_item(row: Mapping[str, Any]) -> Promotion:
    return Promotion(
        id=row["id"],
        kind=PromotionKind(row["kind"]),
        description=row.get("description", ""),
        starts_at=datetime.fromisoformat(row["starts_at"]),
        ends_at=datetime.fromisoformat(row["ends_at"]) if row.get("ends_at") else None,
        code=row.get("code"),
        percent_bp=row.get("percent_bp", 0),
        amounts=row.get("amounts") or {},
        min_subtotal=row.get("min_subtotal") or {},
        skus=frozenset(row.get("skus") or ()),
        categories=frozenset(row.get("categories") or ()),
        signed_in_only=bool(row.get("signed_in_only", False)),
        first_order_only=bool(row.get("first_order_only", False)),
        usage_limit=row.get("usage_limit"),
        per_customer_limit=row.get("per_customer_limit"),
        status=PromotionStatus(row.get("status", PromotionStatus.ACTIVE.value)),
    )


# the checkout transaction's promotion items (DynamoOrders.place joins them)
def usage_items(table: str, order: Order) -> list[dict[str, Any]]:
    """Per applied promotion, the counter update, conditioned on its total limit; per code with a
    per-customer limit, the shopper's counter, conditioned on that limit."""
    return _usage_updates(table, order, 1)


def usage_return_items(table: str, order: Order) -> list[dict[str, Any]]:
    """The uses an unpaid order counted, given back in the transaction that cancels it and releases its
    units: a declined card or an abandoned payment does not spend a limited code's use."""
    return _usage_updates(table, order, -1)


def _usage_updates(table: str, order: Order, uses: int) -> list[dict[str, Any]]:
    """Each applied promotion's counters moved by `uses`; only counting up is held to the limits."""
    pricing = order.pricing
    if pricing is None:
        return []
    items: list[dict[str, Any]] = []
    for applied in pricing.discounts:
        total = {
            "TableName": table,
            "Key": key(f"PROMO#{applied.promotion_id}", USAGE_SK),
            "UpdateExpression": "ADD uses :uses, #given :amount",
            "ExpressionAttributeNames": {"#given": f"given_{applied.amount.currency}"},
            "ExpressionAttributeValues": to_item({":uses": uses, ":amount": uses * applied.amount.amount}),
        }
        items.append({"Update": _limited(total, applied.usage_limit if uses > 0 else None)})
        if applied.per_customer_limit is not None and pricing.shopper_key:
            shopper = {
                "TableName": table,
                "Key": key(f"PROMO#{applied.promotion_id}", SHOPPER_PREFIX + pricing.shopper_key),
                "UpdateExpression": "ADD uses :uses",
                "ExpressionAttributeValues": to_item({":uses": uses}),
            }
            items.append({"Update": _limited(shopper, applied.per_customer_limit if uses > 0 else None)})
    return items


def _limited(update: dict[str, Any], limit: int | None) -> dict[str, Any]:
    """The counter update, refused once the counter has reached `limit` (None: no limit)."""
    if limit is not None:
        update["ConditionExpression"] = "attribute_not_exists(uses) OR uses < :limit"
        update["ExpressionAttributeValues"].update(to_item({":limit": limit}))
    return update


def usage_refusal(pk: str, sk: str) -> DiscountCodeExhausted | None:
    """The error for a failed promotion condition in the checkout transaction; None if not ours."""
    if not pk.startswith("PROMO#"):
        return None
    promotion_id = pk.removeprefix("PROMO#")
    if sk == USAGE_SK:
        return DiscountCodeExhausted(
            f"{promotion_id} has been used as many times as it may be",
            code=promotion_id,
            reason="usage_limit",
        )
    return DiscountCodeExhausted(
        f"you have used {promotion_id} as many times as you may",
        code=promotion_id,
        reason="per_customer_limit",
    )


class DynamoPromotions:
    """`automatic()` is read on every cart estimate: kept `cache_seconds` per function instance, so a busy
    shop does not read the one PROMOTION partition per request (a change shows within that time)."""

    def __init__(
        self,
        client: Any,
        table: str,
        cache_seconds: float = 0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._table = table
        self._cache_seconds = cache_seconds
        self._monotonic = monotonic
        self._automatic: tuple[float, list[Promotion]] | None = None

    def get(self, promotion_id: str) -> Promotion | None:
        found = item_at(self._client, self._table, PROMOTION_PK, promotion_id, consistent=False)
        return promotion_from_item(found) if found else None

    def list_all(self) -> list[Promotion]:
        found = queried(
            self._client,
            TableName=self._table,
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues=to_item({":pk": PROMOTION_PK}),
        )
        return [promotion_from_item(from_item(i)) for i in found]

    def automatic(self) -> list[Promotion]:
        now = self._monotonic()
        if self._automatic is not None and now - self._automatic[0] < self._cache_seconds:
            return list(self._automatic[1])
        found = [p for p in self.list_all() if p.is_automatic]
        self._automatic = (now, found)
        return list(found)

    def add(self, promotion: Promotion) -> None:
        with translated(Conflict, f"a promotion {promotion.id} exists"):
            self._client.put_item(
                TableName=self._table,
                Item=to_item(promotion_to_item(promotion)),
                ConditionExpression="attribute_not_exists(PK)",
            )

    def set_status(self, promotion_id: str, status: PromotionStatus) -> Promotion:
        with translated(NotFound, f"no promotion {promotion_id}"):
            result = self._client.update_item(
                TableName=self._table,
                Key=key(PROMOTION_PK, promotion_id),
                UpdateExpression="SET #s = :s",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues=to_item({":s": status.value}),
                ReturnValues="ALL_NEW",
            )
        return promotion_from_item(from_item(result["Attributes"]))

    def usage(self, promotion_id: str) -> PromotionUsage:
        row = item_at(self._client, self._table, f"PROMO#{promotion_id}", USAGE_SK, consistent=True) or {}
        given = {
            name.removeprefix("given_"): value for name, value in row.items() if name.startswith("given_")
        }
        return PromotionUsage(uses=row.get("uses", 0), discount_given=given)

    def shopper_uses(self, promotion_id: str, shopper_key: str) -> int:
        sk = SHOPPER_PREFIX + shopper_key
        row = item_at(self._client, self._table, f"PROMO#{promotion_id}", sk, consistent=True) or {}
        return int(row.get("uses", 0))


class DynamoFxRates:
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def put(self, snapshot: FxSnapshot) -> None:
        item = {
            "PK": f"FX#{snapshot.base}",
            "SK": snapshot.day.isoformat(),
            "type": "fx_snapshot",
            "base": snapshot.base,
            "date": snapshot.day.isoformat(),
            "rates": dict(snapshot.rates),
            "source": snapshot.source or None,
        }
        with translated():
            self._client.put_item(TableName=self._table, Item=to_item(item))

    def get(self, base: str, day: date) -> FxSnapshot | None:
        found = item_at(self._client, self._table, f"FX#{base}", day.isoformat(), consistent=False)
        return FxSnapshot.parse(found) if found else None

    def latest(self, base: str, on_or_before: date) -> FxSnapshot | None:
        rows = first_page(
            self._client,
            TableName=self._table,
            KeyConditionExpression="PK = :pk AND SK <= :day",
            ExpressionAttributeValues=to_item({":pk": f"FX#{base}", ":day": on_or_before.isoformat()}),
            ScanIndexForward=False,
            Limit=1,
        )
        return FxSnapshot.parse(rows[0]) if rows else None
