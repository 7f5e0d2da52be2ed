"""Analytics and reports: shopper activity, the analytics consumer, reports, recommendations, segments, and
the staff's page of what needs attention.

The storefront's functions import this module for `activity_tracker` alone: each other factory imports
what it builds when it is called.
"""

# ruff: noqa: PLC0415 - imports inside the factories keep the storefront's cold start small

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.metrics import MetricUnit

from commerce.adapters.aws_workflow import EventBridgePublisher
from commerce.composition.adapters import adapters, now
from commerce.config import RawEvents, ReportFiles, Reporting, SegmentSettings, Settings, WebhookDeadLetters
from commerce.observability import metrics
from commerce.services.analytics import ActivityTracker

if TYPE_CHECKING:
    from commerce.adapters.dynamodb.catalog import DynamoCatalog
    from commerce.domain.analytics_ports import ReportingRates
    from commerce.services.analytics import AnalyticsRecorder
    from commerce.services.attention import Attention
    from commerce.services.daily_report import DailyReport
    from commerce.services.insight import Recommendations
    from commerce.services.reports import Reports
    from commerce.services.segments import Segments


def _count_dropped(count: int) -> None:
    metrics.add_metric(name="AnalyticsEventsDropped", unit=MetricUnit.Count, value=count)


def activity_tracker(settings: Settings, client: Any = None) -> ActivityTracker:
    """Behaviour events on the bus with a short timeout and no retry: a refusal is counted, never the
    shopper's error. `client` is an EventBridge client."""
    found = adapters(settings)
    bus = client or found.clients.activity_events
    publisher = EventBridgePublisher(bus, settings.shop.event_bus_name, sleep=lambda _: None)
    return ActivityTracker(publisher, _count_dropped)


class CatalogProducts:
    """The ProductDirectory over the catalog's SKU records."""

    def __init__(self, catalog: DynamoCatalog) -> None:
        self._catalog = catalog

    def products_of(self, skus: Sequence[str]) -> dict[str, str]:
        return {sku: record.product_id for sku, record in self._catalog.get_skus(list(skus)).items()}

    def categories_of(self, product_ids: Sequence[str]) -> dict[str, str]:
        return {
            pid: product.category for pid, product in self._catalog.get_products(list(product_ids)).items()
        }


def analytics_recorder(settings: Settings | None = None, client: Any = None) -> AnalyticsRecorder:
    from commerce.adapters.firehose import FirehoseArchive
    from commerce.services.analytics import AnalyticsRecorder

    found = adapters(settings, client)
    stream = found.settings.section(RawEvents).raw_events_stream
    return AnalyticsRecorder(
        store=found.analytics,
        archive=FirehoseArchive(found.clients.made("firehose"), stream),  # every batch is archived
        products=CatalogProducts(found.catalog),
        views=found.view_history,
    )


def reports(
    settings: Settings | None = None, client: Any = None, rates: ReportingRates | None = None
) -> Reports:
    from commerce.adapters.reporting_rates import StoredReportingRates
    from commerce.services.reports import Reports

    found = adapters(settings, client)
    settings = found.settings
    currency = settings.section(Reporting).reporting_currency
    return Reports(
        found.analytics,
        rates or StoredReportingRates(found.fx_rates, currency),
        settings.shop.supported_currencies,
    )


def daily_report(settings: Settings | None = None, client: Any = None) -> DailyReport:
    from commerce.adapters.report_files import S3ReportFiles
    from commerce.services.daily_report import DailyReport

    found = adapters(settings, client)
    settings = found.settings
    bucket = settings.section(ReportFiles).reports_bucket
    return DailyReport(
        reports=reports(settings, client),
        files=S3ReportFiles(found.clients("s3"), bucket),
        notifier=found.merchant_notifier,
        clock=now,
        currency=settings.shop.default_currency,
    )


def recommendations(settings: Settings | None = None, client: Any = None) -> Recommendations:
    from commerce.services.insight import Recommendations

    found = adapters(settings, client)
    return Recommendations(found.analytics, CatalogProducts(found.catalog), found.view_history)


def segments(settings: Settings | None = None, client: Any = None) -> Segments:
    from commerce.domain.segments import SegmentPolicy
    from commerce.services.segments import Segments

    found = adapters(settings, client)
    chosen = found.settings.section(SegmentSettings)
    policy = SegmentPolicy(
        lapsed_after=timedelta(days=chosen.segment_lapsed_days),
        high_value=chosen.segment_high_value,
        currency=found.settings.shop.default_currency,
    )
    return Segments(found.segments, found.relay, policy, now)


def attention(settings: Settings | None = None, client: Any = None) -> Attention:
    """What needs staff's attention (GET /admin/attention): sales, held and disputed and flagged orders,
    failing webhooks, stock running out."""
    from commerce.adapters.webhook_delivery import SqsDeadLetters
    from commerce.composition.inventory import inventory_reports
    from commerce.services.attention import Attention

    found = adapters(settings, client)
    dead_letters = found.settings.section(WebhookDeadLetters).webhook_dead_letter_queue_url
    return Attention(
        orders=found.orders,
        sales=found.analytics,
        subscriptions=found.webhook_subscriptions,
        dead_letters=SqsDeadLetters(found.clients("sqs"), dead_letters),
        stock=inventory_reports(settings, client),
        clock=now,
    )
