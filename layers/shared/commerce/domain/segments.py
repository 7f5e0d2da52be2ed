"""Customer segments from a customer's paid orders (pure; docs/analytics.md, "Segments").

One segment per customer, the first that applies: `lapsed` (no order for `lapsed_after` days), `high_value`
(lifetime value in the shop's currency at or above the threshold), `repeat` (two orders or more), `new`."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta


class Segment(enum.StrEnum):
    NEW = "new"
    REPEAT = "repeat"
    LAPSED = "lapsed"
    HIGH_VALUE = "high_value"


@dataclass(frozen=True, slots=True)
class SegmentPolicy:
    lapsed_after: timedelta = timedelta(days=180)
    high_value: int = 100_000  # minor units of `currency`
    currency: str = "EUR"


@dataclass(frozen=True, slots=True)
class CustomerStats:
    customer_id: str
    orders: int
    lifetime_value: Mapping[str, int]  # currency -> minor units of paid orders' totals
    last_order_at: datetime | None
    segment: Segment | None = None  # as last computed


@dataclass(frozen=True, slots=True)
class SegmentMove:
    """A customer moving to `segment` from the one they were read in (`previous`; None: in none yet)."""

    customer_id: str
    previous: Segment | None
    segment: Segment


def segment_of(stats: CustomerStats, policy: SegmentPolicy, now: datetime) -> Segment:
    if stats.last_order_at is not None and now - stats.last_order_at >= policy.lapsed_after:
        return Segment.LAPSED
    if stats.lifetime_value.get(policy.currency, 0) >= policy.high_value:
        return Segment.HIGH_VALUE
    if stats.orders >= 2:
        return Segment.REPEAT
    return Segment.NEW


def stats_from_item(row: Mapping[str, object]) -> CustomerStats:
    """A STATS item (DynamoDB's attribute values already decoded) as CustomerStats."""
    last = row.get("last_order_at")
    segment = row.get("segment")
    return CustomerStats(
        customer_id=str(row["GSI1SK"]),
        orders=int(str(row.get("orders", 0))),
        lifetime_value={
            str(name).removeprefix("ltv_"): int(str(value))
            for name, value in row.items()
            if str(name).startswith("ltv_")
        },
        last_order_at=datetime.fromisoformat(str(last)) if last else None,
        segment=Segment(str(segment)) if segment else None,
    )
