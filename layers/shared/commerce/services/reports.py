"""Staff reports from the analytics aggregates: one Query per day and kind, no Scan."""

from __future__ import annotations

from datetime import date

from commerce.domain import analytics, reports
from commerce.domain.analytics_ports import AnalyticsStore, Counters, ReportingRates
from commerce.domain.errors import UnsupportedCurrency


class Reports:
    def __init__(self, store: AnalyticsStore, rates: ReportingRates, currencies: tuple[str, ...]) -> None:
        self._store, self._rates, self._currencies = store, rates, currencies

    def sales(
        self, first: date, last: date, channel: str | None, currency: str | None, sold_in: str | None = None
    ) -> reports.SalesReport:
        target = self._target(currency)
        span = reports.days(first, last)
        sales = self._read(analytics.SALES, span)
        products = self._read(analytics.PRODUCTS, span)
        converter = reports.Converter(target, self._rates.for_day)
        return reports.sales_report(target, _channel(channel), sales, products, converter, sold_in)

    def campaigns(
        self, first: date, last: date, currency: str | None
    ) -> tuple[str, tuple[reports.CampaignFigures, ...], tuple[reports.RateUsed, ...]]:
        """(report currency, campaigns by revenue, rates used)."""
        target = self._target(currency)
        converter = reports.Converter(target, self._rates.for_day)
        figures = reports.campaign_report(
            self._read(analytics.CAMPAIGNS, reports.days(first, last)), converter
        )
        return target, figures, tuple(converter.used[d] for d in sorted(converter.used))

    def _target(self, currency: str | None) -> str:
        target = currency or self._currencies[0]
        if target not in self._currencies:
            raise UnsupportedCurrency(f"reports are in the shop's currencies: {', '.join(self._currencies)}")
        return target

    def funnel(self, first: date, last: date, channel: str | None) -> reports.FunnelReport:
        return reports.funnel_report(
            _channel(channel), self._read(analytics.FUNNEL, reports.days(first, last))
        )

    def _read(self, kind: str, span: list[date]) -> dict[date, dict[str, Counters]]:
        return {day: self._store.partition(kind + day.isoformat()) for day in span}


def _channel(value: str | None) -> str | None:
    return None if value is None else analytics.normal_channel(value)
