"""The daily report page renders in headless Chromium with its charts: a screenshot, read pixel by pixel.

Chromium is required (`make browser` installs Debian's package; `make test` and `make integration` run it
first): without it this test fails rather than skips."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

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

WIDTH, HEIGHT = 900, 1100
YESTERDAY = date(2026, 11, 26)


def chromium() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "headless Chromium is needed for this test: run `make browser` (apt-get install chromium)"
    return found


def screenshot(html: Path, png: Path, profile: Path) -> None:
    subprocess.run(  # noqa: S603 - our own file, a fixed browser
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            f"--window-size={WIDTH},{HEIGHT}",
            f"--screenshot={png}",
            html.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )


def pixels(png: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of RGB(A) pixels of an 8-bit, non-interlaced PNG (what Chromium writes)."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks, header = 8, b"", b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks += body
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and interlace == 0 and colour in (2, 6)
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(chunks)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up, corner = previous[x], previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, channels, rows


def colour_rows(png: Path, colour: str) -> list[int]:
    """The rows of the screenshot (y) where the colour appears, once per row."""
    width, channels, rows = pixels(png)
    target = bytes.fromhex(colour.removeprefix("#"))

    def close(px: bytes) -> bool:
        return all(abs(a - b) <= 8 for a, b in zip(px, target, strict=True))

    return [
        y
        for y, row in enumerate(rows)
        if any(close(row[x * channels : x * channels + 3]) for x in range(width))
    ]


def report_html(orders: int) -> str:
    store = InMemoryAnalyticsStore()
    recorder = AnalyticsRecorder(
        store, InMemoryRawEventArchive(), InMemoryProductDirectory({"TEE": "tee", "MUG": "mug"})
    )
    for n in range(orders):
        day = YESTERDAY - timedelta(days=n // 2 % 30)  # two orders a day: a mug and a tee yesterday
        at = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
        sku, total = ("TEE", 2_500 + 100 * n) if n % 3 else ("MUG", 900 + 50 * n)
        lines = [{"sku": sku, "quantity": 1, "line_total": total}]
        data = {"currency": "EUR", "total": total, "lines": lines}
        recorder.record(order_event("OrderPaid", f"o{n}", at, data).envelope())
    files = InMemoryReportFiles()
    clock = lambda: datetime(2026, 11, 27, 1, 15, tzinfo=UTC)  # noqa: E731
    DailyReport(
        Reports(store, InMemoryReportingRates(), ("EUR",)), files, InMemoryMerchantNotifier(), clock, "EUR"
    ).run()
    return files.files["reports/daily/2026-11-26/report.html"][0]


def test_the_daily_report_renders_in_headless_chromium_with_its_revenue_and_top_products_charts(
    tmp_path: Path,
) -> None:
    page = tmp_path / "report.html"
    page.write_text(report_html(orders=45), encoding="utf-8")
    png = tmp_path / "report.png"

    screenshot(page, png, tmp_path / "profile")

    revenue = colour_rows(png, report_page.REVENUE_COLOUR)
    products = colour_rows(png, report_page.PRODUCT_COLOUR)
    # The revenue chart: bars up to 210 px tall; the products chart below it: one 18 px bar per product.
    assert len(revenue) > 150
    assert len(products) >= 2 * 14
    assert max(revenue) < min(products)


def test_a_day_without_sales_renders_empty_charts(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(report_html(orders=0), encoding="utf-8")
    png = tmp_path / "report.png"

    screenshot(page, png, tmp_path / "profile")

    assert colour_rows(png, report_page.REVENUE_COLOUR) == []
    assert colour_rows(png, report_page.PRODUCT_COLOUR) == []
