"""Yesterday's report, written as CSV and as an HTML page with charts, and a summary to the merchant."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from commerce.domain import report_page
from commerce.domain.analytics_ports import ReportFiles
from commerce.domain.money import Money
from commerce.domain.ports import MerchantNotifier
from commerce.domain.reports import MissingRates, SalesReport
from commerce.services.reports import Reports

logger = logging.getLogger(__name__)
TREND_DAYS = 30


@dataclass(frozen=True, slots=True)
class DailyReportWritten:
    day: date
    html: str
    csv: str
    top_products_csv: str
    note: str = ""


class DailyReport:
    def __init__(
        self,
        reports: Reports,
        files: ReportFiles,
        notifier: MerchantNotifier,
        clock: Callable[[], datetime],
        currency: str,
    ) -> None:
        self._reports, self._files, self._notifier = reports, files, notifier
        self._clock, self._currency = clock, currency

    def run(self, day: date | None = None) -> DailyReportWritten:
        day = day or self._clock().date() - timedelta(days=1)
        first = day - timedelta(days=TREND_DAYS - 1)
        note = ""
        try:
            trend = self._reports.sales(first, day, None, self._currency)
            yesterday = self._reports.sales(day, day, None, self._currency)
        except MissingRates as missing:
            # Never a guessed rate: the report shows the default currency's sales alone, and says so.
            note = f"Only sales in {self._currency} are shown: {missing}."
            trend = self._reports.sales(first, day, None, self._currency, sold_in=self._currency)
            yesterday = self._reports.sales(day, day, None, self._currency, sold_in=self._currency)
        prefix = f"reports/daily/{day.isoformat()}/"
        html = self._files.write(
            prefix + "report.html", report_page.html_page(day, trend, yesterday, note), "text/html"
        )
        sales_csv = self._files.write(prefix + "sales.csv", report_page.sales_csv(trend), "text/csv")
        top_csv = self._files.write(
            prefix + "top-products.csv", report_page.top_products_csv(yesterday), "text/csv"
        )
        self._notifier.notify(f"Daily report {day.isoformat()}", summary(day, yesterday, html, note))
        logger.info("daily report written", extra={"day": day.isoformat(), "html": html})
        return DailyReportWritten(day, html, sales_csv, top_csv, note)


def summary(day: date, report: SalesReport, link: str, note: str = "") -> str:
    f, c = report.total, report.currency
    lines = [
        f"Sales on {day.isoformat()}: {Money(f.revenue, c).to_decimal()} {c} from {f.orders} orders "
        f"({f.units} units), refunds {Money(f.refunds, c).to_decimal()} {c}.",
        f"The full report: {link}",
    ]
    if note:
        lines.append(note)
    return "\n".join(lines)
