"""The ports of analytics and reports (apart from domain/ports.py, so the analytics work merges cleanly)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from commerce.domain.analytics import Increment

Counters = Mapping[str, int]


class AnalyticsStore(Protocol):
    def apply(self, event_id: str, increments: Sequence[Increment]) -> bool:
        """Adds every increment and remembers the event id, all at once; False (and nothing added) when the
        event was counted before."""
        ...

    def partition(self, pk: str) -> dict[str, Counters]:
        """Every aggregate item of one partition (one day of one kind): sort key -> counters."""
        ...


class RawEventArchive(Protocol):
    def archive(self, envelopes: Sequence[Mapping[str, Any]]) -> None:
        """Hands the raw events to the archive (Kinesis Data Firehose to S3, partitioned by date)."""
        ...


class ProductDirectory(Protocol):
    def products_of(self, skus: Sequence[str]) -> dict[str, str]:
        """sku -> the id of the product it belongs to; unknown SKUs are absent."""
        ...

    def categories_of(self, product_ids: Sequence[str]) -> dict[str, str]:
        """product id -> its category; unknown products are absent."""
        ...


@dataclass(frozen=True, slots=True)
class RecentlyViewed:
    product_id: str
    viewed_at: str  # ISO 8601 UTC, sorts as text


class ViewHistory(Protocol):
    def remember(self, customer_id: str, product_id: str, viewed_at: str) -> None:
        """Keeps the latest view of the product by the customer (an older or replayed one changes nothing)."""
        ...

    def recent(self, customer_id: str, limit: int) -> list[RecentlyViewed]:
        """The customer's viewed products, the latest view first."""
        ...


@dataclass(frozen=True, slots=True)
class DayRates:
    """One day's FX snapshot as a report needs it: `rates[X]` is how many units of X one unit of `base`
    buys, as a decimal string (the shape of the pricing work's FxSnapshot, so an adapter is a few lines)."""

    day: date
    base: str
    rates: Mapping[str, str]


class ReportingRates(Protocol):
    def for_day(self, day: date) -> DayRates | None:
        """The snapshot stored for the day, or None when there is none."""
        ...


class ReportFiles(Protocol):
    def write(self, key: str, body: str, content_type: str) -> str:
        """Stores the file under `key`; where it is (an s3:// address, or a path locally)."""
        ...
