"""Staff reports: sales, funnel, campaigns and inventory."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from wiring import inventory_reports, reports

from commerce.api.access import staff
from commerce.api.inventory_report_models import AfterSku, InventoryReportOut, ReportPageSize
from commerce.api.params import iso_8601
from commerce.api.report_models import CampaignReportOut, FunnelReportOut, SalesReportOut
from commerce.api.routing import CommerceRouter
from commerce.composition.adapters import now
from commerce.domain.permissions import Permission

router = CommerceRouter()

DEFAULT_DAYS = 30

ReportCurrency = Annotated[
    str | None,
    Query(pattern=r"^[A-Z]{3}$", description="The report's currency; the shop's default by default."),
]


Day = Annotated[date, iso_8601(date.fromisoformat, "date such as 2026-01-31")]

From = Annotated[
    Day | None, Query(alias="from", description="First day (UTC), included; 30 days back by default.")
]

To = Annotated[Day | None, Query(description="Last day (UTC), included; today by default. At most 92 days.")]

Channel = Annotated[
    str | None,
    Query(
        max_length=60,
        description="A sales channel (web, app, marketplace:<name>, pos:<store>) or an X-Channel kind "
        "(mobile, pos, marketplace); all by default.",
    ),
]


def _span(first: date | None, last: date | None) -> tuple[date, date]:
    last = last or now().date()
    return first or last - timedelta(days=DEFAULT_DAYS - 1), last


@router.get(
    "/admin/reports/sales",
    access=staff(Permission.REPORTS),
    summary="Revenue, orders, AOV, units, refunds, discounts per day; top products",
)
def sales_report(
    from_: From = None,
    to: To = None,
    channel: Channel = None,
    currency: ReportCurrency = None,
) -> SalesReportOut:
    first, last = _span(from_, to)
    return SalesReportOut.of(reports.sales(first, last, channel, currency))


@router.get(
    "/admin/reports/funnel",
    access=staff(Permission.REPORTS),
    summary="Views, cart adds, checkouts and paid orders, with conversion rates",
)
def funnel_report(from_: From = None, to: To = None, channel: Channel = None) -> FunnelReportOut:
    first, last = _span(from_, to)
    return FunnelReportOut.of(reports.funnel(first, last, channel))


@router.get(
    "/admin/reports/campaigns",
    access=staff(Permission.REPORTS),
    summary="Carts, paid orders, revenue and conversion per campaign",
)
def campaign_report(from_: From = None, to: To = None, currency: ReportCurrency = None) -> CampaignReportOut:
    first, last = _span(from_, to)
    return CampaignReportOut.of(*reports.campaigns(first, last, currency))


@router.get(
    "/admin/reports/inventory",
    access=staff(Permission.REPORTS),
    summary="Stock value at cost per location, low and out-of-stock SKUs, days of cover per SKU",
)
def inventory_report(limit: ReportPageSize = None, after: AfterSku = None) -> InventoryReportOut:
    return InventoryReportOut.of(inventory_reports.report(limit, after))
