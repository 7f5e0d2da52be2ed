"""The daily report job: yesterday's files and the merchant's summary, with in-memory fakes."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

from commerce.domain import report_page
from commerce.domain.events import order_event
from commerce.services.analytics import AnalyticsRecorder
from commerce.services.daily_report import DailyReport
from commerce.services.reports import Reports
from tests.fakes.analytics import (
    InMemoryAnalyticsStore,
    InMemoryProductDirectory,
    InMemoryRawEventArchive,
    InMemoryReportFiles,
    InMemoryReportingRates,
)
from tests.fakes.notifications import InMemoryMerchantNotifier

TODAY = datetime(2026, 11, 27, 1, 15, tzinfo=UTC)
YESTERDAY = date(2026, 11, 26)


def job(
    *orders: tuple[str, date, str, int, str, int],
) -> tuple[DailyReport, InMemoryReportFiles, InMemoryMerchantNotifier]:
    store = InMemoryAnalyticsStore()
    recorder = AnalyticsRecorder(
        store, InMemoryRawEventArchive(), InMemoryProductDirectory({"TEE": "tee", "MUG": "mug"})
    )
    for order_id, day, currency, total, sku, quantity in orders:
        lines = [{"sku": sku, "quantity": quantity, "line_total": total}]
        at = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
        recorder.record(
            order_event(
                "OrderPaid", order_id, at, {"currency": currency, "total": total, "lines": lines}
            ).envelope()
        )
    files, notifier = InMemoryReportFiles(), InMemoryMerchantNotifier()
    reports = Reports(store, InMemoryReportingRates(), ("EUR", "USD"))
    return DailyReport(reports, files, notifier, lambda: TODAY, "EUR"), files, notifier


def test_the_job_writes_yesterdays_csv_and_html_and_tells_the_merchant_with_a_link() -> None:
    daily, files, notifier = job(
        ("a", YESTERDAY, "EUR", 2_550, "TEE", 1), ("b", date(2026, 11, 20), "EUR", 1_000, "MUG", 2)
    )

    written = daily.run()

    assert written.day == YESTERDAY
    prefix = "reports/daily/2026-11-26/"
    assert set(files.files) == {prefix + "report.html", prefix + "sales.csv", prefix + "top-products.csv"}
    rows = list(csv.DictReader(io.StringIO(files.files[prefix + "sales.csv"][0])))
    assert len(rows) == 30
    assert rows[-1]["day"] == "2026-11-26"
    assert (rows[-1]["revenue"], rows[-1]["orders"], rows[-1]["average_order_value"]) == (
        "25.50",
        "1",
        "25.50",
    )
    assert next(r for r in rows if r["day"] == "2026-11-20")["revenue"] == "10.00"
    top = list(csv.DictReader(io.StringIO(files.files[prefix + "top-products.csv"][0])))
    assert [(t["product_id"], t["revenue"]) for t in top] == [("tee", "25.50")]
    assert files.files[prefix + "report.html"][1] == "text/html"
    [(subject, text, _)] = notifier.sent
    assert subject == "Daily report 2026-11-26"
    assert "25.50 EUR from 1 orders" in text
    assert "memory://reports/daily/2026-11-26/report.html" in text


def test_without_a_stored_rate_the_job_reports_the_default_currency_alone_and_says_so() -> None:
    daily, files, _ = job(("a", YESTERDAY, "EUR", 2_000, "TEE", 1), ("b", YESTERDAY, "USD", 5_000, "MUG", 1))

    written = daily.run()

    assert "Only sales in EUR are shown" in written.note
    html = files.files["reports/daily/2026-11-26/report.html"][0]
    assert "Only sales in EUR are shown" in html
    assert "20.00 EUR" in html


def test_the_page_escapes_what_it_shows_and_draws_a_bar_per_day_and_per_top_product() -> None:
    daily, files, _ = job(("a", YESTERDAY, "EUR", 2_000, "<script>", 1))

    daily.run()

    html = files.files["reports/daily/2026-11-26/report.html"][0]
    assert "<script>" not in html
    assert html.count(f'fill="{report_page.REVENUE_COLOUR}"') == 30
    assert html.count(f'fill="{report_page.PRODUCT_COLOUR}"') == 1
