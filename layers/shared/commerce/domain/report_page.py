"""The daily report as files: CSV for spreadsheets and one self-contained HTML page with inline SVG charts
(revenue per day, top products). Pure: strings in, strings out; every text is escaped."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from html import escape

from commerce.domain.money import Money
from commerce.domain.reports import SalesReport

REVENUE_COLOUR = "#1f6fb4"  # the bars of the revenue chart (the screenshot test looks for this colour)
PRODUCT_COLOUR = "#e8710a"  # the bars of the top products chart
CHART_WIDTH, CHART_HEIGHT = 720, 240
SVG = "http://www.w3.org/2000/svg"


def _amount(minor: int, currency: str) -> str:
    return str(Money(minor, currency).to_decimal())


def sales_csv(report: SalesReport) -> str:
    """One row per day: the figures in the report's currency, in major units as decimal text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "day",
            "currency",
            "revenue",
            "orders",
            "average_order_value",
            "units",
            "refunds",
            "refunded_orders",
            "discounts",
        ]
    )
    c = report.currency
    for day in report.per_day:
        f = day.figures
        writer.writerow(
            [
                day.day.isoformat(),
                c,
                _amount(f.revenue, c),
                f.orders,
                _amount(f.average_order_value(c), c),
                f.units,
                _amount(f.refunds, c),
                f.refunded_orders,
                _amount(f.discounts, c),
            ]
        )
    return out.getvalue()


def top_products_csv(report: SalesReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["rank", "product_id", "units_sold", "currency", "revenue", "views", "cart_adds"])
    for rank, p in enumerate(report.top_products, start=1):
        writer.writerow(
            [
                rank,
                p.product_id,
                p.units_sold,
                report.currency,
                _amount(p.revenue, report.currency),
                p.views,
                p.cart_adds,
            ]
        )
    return out.getvalue()


def revenue_chart(report: SalesReport) -> str:
    """Vertical bars, one per day, scaled to the best day."""
    days = report.per_day
    top = max((d.figures.revenue for d in days), default=0) or 1
    slot = CHART_WIDTH / max(len(days), 1)
    bars = []
    for i, d in enumerate(days):
        height = round((CHART_HEIGHT - 30) * d.figures.revenue / top)
        x = round(i * slot + slot * 0.1, 1)
        label = f"{d.day.isoformat()}: {_amount(d.figures.revenue, report.currency)} {report.currency}"
        y, width = CHART_HEIGHT - 20 - height, round(slot * 0.8, 1)
        bars.append(
            f'<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="{REVENUE_COLOUR}">'
            f"<title>{escape(label)}</title></rect>"
        )
    first = days[0].day.isoformat() if days else ""
    last = days[-1].day.isoformat() if days else ""
    w, h = CHART_WIDTH, CHART_HEIGHT
    return (
        f'<svg id="revenue-chart" xmlns="{SVG}" width="{w}" height="{h}" role="img" '
        'aria-label="Revenue per day">'
        f'<line x1="0" y1="{h - 20}" x2="{w}" y2="{h - 20}" stroke="#999"/>'
        + "".join(bars)
        + f'<text x="0" y="{h - 4}" font-size="11">{escape(first)}</text>'
        f'<text x="{w}" y="{h - 4}" font-size="11" text-anchor="end">{escape(last)}</text>'
        "</svg>"
    )


def products_chart(report: SalesReport, names: dict[str, str] | None = None) -> str:
    """Horizontal bars, one per top product, scaled to the best seller's revenue."""
    names = names or {}
    products = report.top_products
    top = max((p.revenue for p in products), default=0) or 1
    row = 26
    height = max(len(products), 1) * row
    label_width = 220
    bars = []
    for i, p in enumerate(products):
        width = round((CHART_WIDTH - label_width - 120) * p.revenue / top)
        y = i * row
        name = names.get(p.product_id, p.product_id)
        amount = f"{_amount(p.revenue, report.currency)} {report.currency}"
        bars.append(
            f'<text x="0" y="{y + 17}" font-size="12">{escape(name[:32])}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{width}" height="{row - 8}" '
            f'fill="{PRODUCT_COLOUR}"/>'
            f'<text x="{label_width + width + 6}" y="{y + 17}" font-size="12">{escape(amount)}</text>'
        )
    return (
        f'<svg id="products-chart" xmlns="{SVG}" width="{CHART_WIDTH}" height="{height}" '
        f'role="img" aria-label="Top products by revenue">' + "".join(bars) + "</svg>"
    )


def html_page(day: date, trend: SalesReport, yesterday: SalesReport, note: str = "") -> str:
    """The page for `day`: its figures, the revenue trend over `trend`'s days and the day's top products."""
    c = yesterday.currency
    f = yesterday.total
    rows: Sequence[tuple[str, str]] = [
        ("Revenue", f"{_amount(f.revenue, c)} {c}"),
        ("Orders", str(f.orders)),
        ("Average order value", f"{_amount(f.average_order_value(c), c)} {c}"),
        ("Units", str(f.units)),
        ("Refunds", f"{_amount(f.refunds, c)} {c} ({f.refunded_orders} orders)"),
        ("Discounts", f"{_amount(f.discounts, c)} {c}"),
    ]
    table = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    rates = ""
    if yesterday.rates or trend.rates:
        used = {
            (r.day, r.base, code, rate)
            for rep in (trend, yesterday)
            for r in rep.rates
            for code, rate in r.rates.items()
        }
        items = "".join(
            f"<li>{escape(d.isoformat())}: 1 {escape(base)} = {escape(rate)} {escape(code)}</li>"
            for d, base, code, rate in sorted(used)
        )
        rates = f"<h2>Exchange rates used</h2><ul>{items}</ul>"
    since = trend.per_day[0].day.isoformat() if trend.per_day else day.isoformat()
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Daily report {escape(day.isoformat())}</title>
<style>body{{font-family:sans-serif;margin:24px;color:#222}}th{{text-align:left;padding-right:24px}}
section{{margin-bottom:28px}}</style></head>
<body>
<h1>Daily report, {escape(day.isoformat())}</h1>
{f"<p>{escape(note)}</p>" if note else ""}
<section><table>{table}</table></section>
<section><h2>Revenue per day ({escape(c)}), {escape(since)} to {escape(day.isoformat())}</h2>
{revenue_chart(trend)}</section>
<section><h2>Top products</h2>{products_chart(yesterday)}</section>
{rates}
</body></html>
"""
