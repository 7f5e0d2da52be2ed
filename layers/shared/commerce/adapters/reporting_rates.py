"""The reports' FX rates: the daily snapshots staff load (POST /admin/fx-rates), as a report reads them."""

from __future__ import annotations

from datetime import date

from commerce.adapters.dynamodb.promotions import DynamoFxRates
from commerce.domain.analytics_ports import DayRates


class StoredReportingRates:
    """ReportingRates over the stored snapshots against the merchant's reporting currency."""

    def __init__(self, fx: DynamoFxRates, base: str) -> None:
        self._fx = fx
        self._base = base

    def for_day(self, day: date) -> DayRates | None:
        snapshot = self._fx.get(self._base, day)
        if snapshot is None:
            return None
        return DayRates(day=snapshot.day, base=snapshot.base, rates=dict(snapshot.rates))
