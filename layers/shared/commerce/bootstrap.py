"""The composition root: wires real adapters into the use cases once per cold start."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta

# fulfillment, notifications, cancellations, returns and refunds
from pathlib import Path
from typing import Any

import boto3
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities import parameters
from botocore.config import Config

from commerce.adapters.aws_workflow import EventBridgePublisher, StepFunctionsWorkflow
from commerce.adapters.carriers import HttpCarrier, SimulatedCarrier, verify
from commerce.adapters.dynamodb.abandoned_carts import DynamoAbandonedCarts
from commerce.adapters.dynamodb.analytics import DynamoAnalytics, DynamoViewHistory
from commerce.adapters.dynamodb.carts import DynamoCarts
from commerce.adapters.dynamodb.catalog import DynamoCatalog
from commerce.adapters.dynamodb.customers import DynamoCustomers, DynamoOrderHistory
from commerce.adapters.dynamodb.fulfillment import DynamoShipments
from commerce.adapters.dynamodb.inventory import DynamoInventory
from commerce.adapters.dynamodb.notifications import DynamoSentEmails
from commerce.adapters.dynamodb.orders import DynamoOrders
from commerce.adapters.dynamodb.outbox import DynamoOutbox
from commerce.adapters.dynamodb.payment_events import DynamoPaymentEventLog
from commerce.adapters.dynamodb.promotions import DynamoFxRates, DynamoPromotions
from commerce.adapters.dynamodb.refunds import DynamoPendingRefunds, DynamoRefundLedger
from commerce.adapters.dynamodb.returns import DynamoReturns
from commerce.adapters.dynamodb.segments import DynamoSegments, DynamoStaffNotes
from commerce.adapters.dynamodb.simulated_parcels import DynamoParcels
from commerce.adapters.dynamodb.stock import DynamoStock
from commerce.adapters.dynamodb.webhooks import DynamoWebhookDeliveries, DynamoWebhookSubscriptions
from commerce.adapters.firehose import FirehoseArchive
from commerce.adapters.flag_metrics import CountingFlags
from commerce.adapters.label_store import S3LabelStore
from commerce.adapters.merchant_mail import MailToMerchant
from commerce.adapters.report_files import S3ReportFiles
from commerce.adapters.reporting_rates import StoredReportingRates
from commerce.adapters.s3_dropped_files import S3DroppedFiles
from commerce.adapters.ses_mailer import AllMailers, MailDirectory, SesMailer
from commerce.adapters.stripe_payments import StripePayments, read_stripe_secret
from commerce.adapters.stripe_webhooks import StripeWebhookVerifier
from commerce.adapters.webhook_delivery import (
    HttpWebhookSender,
    KmsSecretBox,
    SqsDeliveryQueue,
)
from commerce.config import ConfigurationError, Settings
from commerce.domain.analytics_ports import ReportingRates
from commerce.domain.cart import CartPolicy
from commerce.domain.fraud import FraudPolicy
from commerce.domain.fulfillment import parse_location_countries
from commerce.domain.ports import Carrier, Mailer, StockLedger
from commerce.domain.segments import SegmentPolicy
from commerce.domain.webhooks import RetryPolicy, TargetPolicy
from commerce.observability import metrics
from commerce.services.abandoned_carts import AbandonedCarts
from commerce.services.after_sales import AfterSales
from commerce.services.analytics import AnalyticsRecorder, BehaviourTracker
from commerce.services.browse import Browse
from commerce.services.carts import Carts
from commerce.services.catalog_admin import CatalogAdmin
from commerce.services.channels import Channels, ChannelScope
from commerce.services.checkout import Checkout
from commerce.services.connectors import ConnectorFeed, StoredFacts
from commerce.services.customer_view import CustomerView
from commerce.services.customers import Customers
from commerce.services.daily_report import DailyReport
from commerce.services.erp_stock import ErpCredentials, ErpStockImport
from commerce.services.fulfillment import CarrierEvents, Fulfillment
from commerce.services.insight import Recommendations
from commerce.services.inventory import Inventory
from commerce.services.inventory_report import InventoryReports  # the inventory report
from commerce.services.notifications import Notifications
from commerce.services.order_workflow import OrderWorkflow
from commerce.services.orders import Orders
from commerce.services.outbox import OutboxRelay
from commerce.services.pagination import CursorCodec
from commerce.services.payment_events import PaymentEvents
from commerce.services.pricing import Pricer
from commerce.services.promotions_admin import PromotionsAdmin
from commerce.services.reports import Reports
from commerce.services.restock import Restock
from commerce.services.returns import Returns
from commerce.services.segments import Segments
from commerce.services.shipment_labels import ShipmentLabels
from commerce.services.shipping_rates import CartShippingRates
from commerce.services.stock_watch import WatchedLedger
from commerce.services.webhooks import WebhookAdmin, WebhookDispatcher

CURSOR_KEY_CACHE_SECONDS = 300

_AWS_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 4},
    connect_timeout=2,
    read_timeout=5,
    tcp_keepalive=True,
)


def now() -> datetime:
    return datetime.now(UTC)


def dynamodb_client() -> Any:
    return boto3.client("dynamodb", config=_AWS_CONFIG)


def secret_key(secret_arn: str) -> Callable[[], bytes]:
    """Reads the secret on first use and caches it (Powertools Parameters), so rotation takes effect."""

    def read() -> bytes:
        value = parameters.get_secret(secret_arn, max_age=CURSOR_KEY_CACHE_SECONDS)
        return str(value).encode()

    return read


def browse(settings: Settings | None = None, client: Any = None) -> Browse:
    settings = settings or Settings.from_env()
    client = client or dynamodb_client()
    return Browse(
        catalog=DynamoCatalog(client, settings.table_name),
        stock=DynamoStock(client, settings.table_name),
        cursors=CursorCodec(secret_key(settings.cursor_secret_arn)),
        currencies=settings.supported_currencies,
        default_locale=settings.default_locale,
        channels=channel_scope(settings, client),  # inventory: browse per sales channel
    )


def cart_policy(settings: Settings) -> CartPolicy:
    return CartPolicy(
        max_quantity_per_line=settings.max_line_quantity,
        max_lines=settings.max_cart_lines,
        ttl=settings.cart_ttl,
    )


def carts(settings: Settings | None = None, client: Any = None) -> Carts:
    settings = settings or Settings.from_env()
    client = client or dynamodb_client()
    return Carts(
        carts=DynamoCarts(client, settings.table_name),
        catalog=DynamoCatalog(client, settings.table_name),
        currencies=settings.supported_currencies,
        policy=cart_policy(settings),
        clock=now,
        default_locale=settings.default_locale,
        pricer=pricer(settings, client),
        default_country=settings.default_country,
    )


def payments(settings: Settings) -> StripePayments:
    """Stripe, with its key read from the StripeSecret (cached five minutes) on first use."""
    secret_arn = settings.stripe_secret_arn
    if not secret_arn:
        raise ConfigurationError("STRIPE_SECRET_ARN is required by this function")
    return StripePayments(lambda: read_stripe_secret(secret_arn), settings.stripe_api_base)


def workflow(settings: Settings, client: Any = None) -> StepFunctionsWorkflow:
    return StepFunctionsWorkflow(
        client or boto3.client("stepfunctions", config=_AWS_CONFIG), settings.order_state_machine_arn
    )


def events(settings: Settings, client: Any = None) -> EventBridgePublisher:
    return EventBridgePublisher(client or boto3.client("events", config=_AWS_CONFIG), settings.event_bus_name)


def flagging_events(settings: Settings) -> CountingFlags:
    """The bus for a use case that may flag an order: each OrderFlagged published is counted too."""
    return CountingFlags(events(settings))


def outbox_relay(settings: Settings | None = None, client: Any = None) -> OutboxRelay:
    """Publishes events committed in the outbox: right after their commit, and the leftovers on a schedule."""
    settings = settings or Settings.from_env()
    outbox = DynamoOutbox(client or dynamodb_client(), settings.table_name)
    return OutboxRelay(outbox, flagging_events(settings), now)


def order_repository(settings: Settings, client: Any = None) -> DynamoOrders:
    return DynamoOrders(client or dynamodb_client(), settings.table_name, clock=now)


def checkout(settings: Settings | None = None, client: Any = None, payment_gateway: Any = None) -> Checkout:
    settings = settings or Settings.from_env()
    client = client or dynamodb_client()
    repository = order_repository(settings, client)
    return Checkout(
        carts=DynamoCarts(client, settings.table_name),
        catalog=DynamoCatalog(client, settings.table_name),
        orders=repository,
        ledger=repository,
        payments=payment_gateway or payments(settings),
        workflow=workflow(settings),
        clock=now,
        policy=cart_policy(settings),
        payment_timeout=timedelta(seconds=settings.payment_timeout_seconds),
        default_locale=settings.default_locale,
        pricer=pricer(settings, client),
        channels=channel_scope(settings, client),  # inventory: checkout per sales channel
    )


def order_workflow(
    settings: Settings | None = None, client: Any = None, payment_gateway: Any = None
) -> OrderWorkflow:
    settings = settings or Settings.from_env()
    repository = order_repository(settings, client)
    return OrderWorkflow(
        orders=repository,
        ledger=watched_ledger(settings, repository, client),  # inventory: reorder flags, stock events
        payments=payment_gateway or payments(settings),
        workflow=workflow(settings),
        relay=outbox_relay(settings, client),
        clock=now,
        fraud=FraudPolicy(review_amount=settings.fraud_review_amount),
    )


def catalog_admin(settings: Settings | None = None, client: Any = None) -> CatalogAdmin:
    settings = settings or Settings.from_env()
    client = client or dynamodb_client()
    return CatalogAdmin(DynamoCatalog(client, settings.table_name), DynamoStock(client, settings.table_name))


def staff_catalog(settings: Settings | None = None, client: Any = None) -> CatalogAdmin:
    """CatalogAdmin for the staff API: prices only in the shop's currencies."""
    settings = settings or Settings.from_env()
    client = client or dynamodb_client()
    return CatalogAdmin(
        DynamoCatalog(client, settings.table_name),
        DynamoStock(client, settings.table_name),
        currencies=settings.supported_currencies,
    )


def customers(settings: Settings | None = None, client: Any = None) -> Customers:
    settings = settings or Settings.from_env()
    client = client or dynamodb_client()
    return Customers(
        customers=DynamoCustomers(client, settings.table_name),
        orders=DynamoOrderHistory(client, settings.table_name),
        carts=DynamoCarts(client, settings.table_name),
        cursors=CursorCodec(secret_key(settings.cursor_secret_arn)),
        currencies=settings.supported_currencies,
        clock=now,
        relay=outbox_relay(settings, client),  # publishes CustomerConsentChanged
        default_locale=settings.default_locale,
    )


def _stripe_secret(settings: Settings) -> Callable[[], Mapping[str, str]]:
    arn = settings.stripe_secret_arn
    if not arn:
        raise ConfigurationError("STRIPE_SECRET_ARN is not set")
    return lambda: read_stripe_secret(arn)


def payment_webhook(
    settings: Settings | None = None, client: Any = None
) -> tuple[StripeWebhookVerifier, PaymentEvents]:
    """The webhook's signature check and the use case that applies each Stripe event once."""
    settings = settings or Settings.from_env()
    client = client or dynamodb_client()
    secret = _stripe_secret(settings)
    orders = DynamoOrders(client, settings.table_name)
    events = PaymentEvents(
        orders=orders,
        log=DynamoPaymentEventLog(client, settings.table_name, orders),
        workflow=StepFunctionsWorkflow(boto3.client("stepfunctions", config=_AWS_CONFIG), None),
        relay=outbox_relay(settings, client),  # its publisher counts each OrderFlagged
        payments=StripePayments(secret, settings.stripe_api_base),
        clock=now,
        refund_ledger=DynamoRefundLedger(client, settings.table_name),
    )
    return StripeWebhookVerifier(secret), events


def orders(settings: Settings | None = None, client: Any = None) -> Orders:
    settings = settings or Settings.from_env()
    client = client or dynamodb_client()
    return Orders(
        orders=DynamoOrders(client, settings.table_name),
        workflow=StepFunctionsWorkflow(boto3.client("stepfunctions", config=_AWS_CONFIG), None),
        cursors=CursorCodec(secret_key(settings.cursor_secret_arn)),
    )


# outbound webhooks
def _webhook_parts(settings: Settings, client: Any) -> dict[str, Any]:
    if not (settings.data_key_arn and settings.webhook_delivery_queue_url):
        raise ConfigurationError("DATA_KEY_ARN and WEBHOOK_DELIVERY_QUEUE_URL are required by this function")
    return {
        "subscriptions": DynamoWebhookSubscriptions(client, settings.table_name),
        "deliveries": DynamoWebhookDeliveries(client, settings.table_name),
        "queue": SqsDeliveryQueue(
            boto3.client("sqs", config=_AWS_CONFIG),
            settings.webhook_delivery_queue_url,
            settings.webhook_dead_letter_queue_url or "",
        ),
        "box": KmsSecretBox(boto3.client("kms", config=_AWS_CONFIG), settings.data_key_arn),
    }


def webhook_admin(settings: Settings | None = None, client: Any = None) -> WebhookAdmin:
    settings = settings or Settings.from_env()
    return WebhookAdmin(
        **_webhook_parts(settings, client or dynamodb_client()),
        targets=TargetPolicy(allow_loopback=settings.webhook_allow_loopback),
        clock=now,
    )


def webhook_dispatcher(settings: Settings | None = None, client: Any = None) -> WebhookDispatcher:
    settings = settings or Settings.from_env()
    targets = TargetPolicy(allow_loopback=settings.webhook_allow_loopback)
    return WebhookDispatcher(
        **_webhook_parts(settings, client or dynamodb_client()),
        sender=HttpWebhookSender(targets),
        relay=outbox_relay(settings, client),
        notifier=merchant_notifier(settings),
        policy=RetryPolicy.parse(settings.webhook_retry_schedule, settings.webhook_pause_after_hours),
        clock=now,
    )


# connectors: documents for accounting, ERP, email marketing and support, delivered as webhooks
def connector_feed(settings: Settings | None = None, client: Any = None) -> ConnectorFeed:
    """Reads subscriptions, orders and customers; writes deliveries and queues them. It never opens a
    subscription's secret: the dispatcher signs what it sends."""
    settings = settings or Settings.from_env()
    if not settings.webhook_delivery_queue_url:
        raise ConfigurationError("WEBHOOK_DELIVERY_QUEUE_URL is required by this function")
    client = client or dynamodb_client()
    return ConnectorFeed(
        subscriptions=DynamoWebhookSubscriptions(client, settings.table_name),
        deliveries=DynamoWebhookDeliveries(client, settings.table_name),
        queue=SqsDeliveryQueue(
            boto3.client("sqs", config=_AWS_CONFIG), settings.webhook_delivery_queue_url, ""
        ),
        facts=StoredFacts(order_repository(settings, client), DynamoCustomers(client, settings.table_name)),
        clock=now,
    )


# fulfillment, notifications, cancellations, returns and refunds
def mailer(settings: Settings) -> Mailer:
    """SES with the template's configuration set; on the local stack every email is also a file."""
    if not settings.mail_from:
        raise ConfigurationError("MAIL_FROM is required by this function")
    ses = SesMailer(
        boto3.client("sesv2", config=_AWS_CONFIG), settings.mail_from, settings.mail_configuration_set
    )
    if settings.mail_directory:
        return AllMailers([ses, MailDirectory(Path(settings.mail_directory), settings.mail_from)])
    return ses


def merchant_notifier(settings: Settings) -> MailToMerchant:
    """Notices to the merchant: mailed when MERCHANT_EMAIL (and MAIL_FROM) are set, logged always."""
    mailing = settings.merchant_email and settings.mail_from
    return MailToMerchant(mailer(settings) if mailing else None, settings.merchant_email)


def notifications(settings: Settings | None = None, client: Any = None) -> Notifications:
    settings = settings or Settings.from_env()
    client = client or dynamodb_client()
    return Notifications(
        orders=DynamoOrders(client, settings.table_name),
        customers=DynamoCustomers(client, settings.table_name),
        mailer=mailer(settings),
        sent=DynamoSentEmails(client, settings.table_name),
        default_locale=settings.default_locale,
        catalog=DynamoCatalog(client, settings.table_name),
    )


def after_sales(
    settings: Settings | None = None, client: Any = None, payment_gateway: Any = None
) -> AfterSales:
    settings = settings or Settings.from_env()
    client = client or dynamodb_client()
    repository = order_repository(settings, client)
    return AfterSales(
        orders=repository,
        ledger=DynamoRefundLedger(client, settings.table_name),
        refunds=DynamoPendingRefunds(client, settings.table_name, repository),
        payments=payment_gateway or payments(settings),
        relay=outbox_relay(settings, client),
        clock=now,
        shipments=DynamoShipments(client, settings.table_name, repository),
        fulfillment_workflow=StepFunctionsWorkflow(boto3.client("stepfunctions", config=_AWS_CONFIG), None),
        carrier=carrier(settings),
    )


def _carrier_secret(settings: Settings) -> Callable[[], Mapping[str, str]]:
    arn = settings.carrier_secret_arn
    if not arn:
        raise ConfigurationError("CARRIER_SECRET_ARN is required by this function")

    def read() -> Mapping[str, str]:
        value = parameters.get_secret(arn, transform="json", max_age=CURSOR_KEY_CACHE_SECONDS)
        return {str(k): str(v) for k, v in dict(value).items()}

    return read


def carrier(settings: Settings) -> Carrier:
    """The HTTP carrier at CARRIER_ENDPOINT, or the simulated one when none is configured."""
    if settings.carrier_endpoint:
        return HttpCarrier(
            settings.carrier_name,
            settings.carrier_endpoint,
            _carrier_secret(settings),
            rates_timeout=settings.carrier_rates_timeout_seconds,
        )
    return SimulatedCarrier(parcels=DynamoParcels(dynamodb_client(), settings.table_name))


def fulfillment(settings: Settings | None = None, client: Any = None) -> Fulfillment:
    settings = settings or Settings.from_env()
    client = client or dynamodb_client()
    repository = order_repository(settings, client)
    return Fulfillment(
        orders=repository,
        shipments=DynamoShipments(client, settings.table_name, repository),
        carrier=carrier(settings),
        events=events(settings),
        workflow=StepFunctionsWorkflow(
            boto3.client("stepfunctions", config=_AWS_CONFIG), settings.fulfillment_state_machine_arn
        ),
        clock=now,
        location_countries=parse_location_countries(settings.location_countries),
    )


def tracking(
    settings: Settings | None = None, client: Any = None
) -> tuple[Callable[[], Mapping[str, str]], CarrierEvents, Fulfillment]:
    """The carrier webhook's secret, the use case applying tracking updates, and the workflow's waits."""
    settings = settings or Settings.from_env()
    client = client or dynamodb_client()
    repository = order_repository(settings, client)
    shipments = DynamoShipments(client, settings.table_name, repository)
    steps = StepFunctionsWorkflow(boto3.client("stepfunctions", config=_AWS_CONFIG), None)
    # The relay's publisher counts each OrderFlagged (a carrier update on a cancelled order).
    carrier_events = CarrierEvents(repository, shipments, outbox_relay(settings, client), steps, now)
    waits = Fulfillment(repository, shipments, carrier(settings), events(settings), steps, now, {})
    return _carrier_secret(settings), carrier_events, waits


def returns(settings: Settings, after_sales_service: AfterSales, client: Any = None) -> Returns:
    client = client or dynamodb_client()
    return Returns(
        DynamoReturns(client, settings.table_name), after_sales_service, outbox_relay(settings, client), now
    )


# inventory: stock ledger, locations, restocking, channels (docs/inventory.md)
def _inventory(settings: Settings, client: Any) -> tuple[DynamoInventory, Inventory, Channels]:
    """The store, the inventory and the channels; StockChanged carries what each channel may sell."""
    client = client or dynamodb_client()
    store = DynamoInventory(client, settings.table_name, clock=now)
    relay = outbox_relay(settings, client)
    stock = Inventory(store, events(settings), now, relay=relay)
    catalog = DynamoCatalog(client, settings.table_name)
    found = Channels(
        store,
        stock,
        now,
        sku_products=lambda skus: {sku: r.product_id for sku, r in catalog.get_skus(skus).items()},
        relay=relay,
        known_products=lambda ids: catalog.get_products(ids).keys(),
    )
    stock.channel_availability = found.availability
    return store, stock, found


def inventory_admin(
    settings: Settings | None = None, client: Any = None
) -> tuple[Inventory, Restock, Channels]:
    settings = settings or Settings.from_env()
    store, stock, found = _inventory(settings, client)
    return stock, Restock(store, stock, outbox_relay(settings, client), now), found


def channels(settings: Settings | None = None, client: Any = None) -> tuple[Inventory, Channels]:
    settings = settings or Settings.from_env()
    _, stock, found = _inventory(settings, client)
    return stock, found


def watched_ledger(settings: Settings, ledger: StockLedger, client: Any = None) -> WatchedLedger:
    store, stock, _ = _inventory(settings, client)
    return WatchedLedger(ledger, store, stock)


def channel_scope(settings: Settings, client: Any) -> ChannelScope:
    stock = DynamoStock(client, settings.table_name)
    return ChannelScope(DynamoInventory(client, settings.table_name, clock=now), stock.available_at)


# pricing: promotions, tax, shipping; staff promotions and FX rates
def pricer(settings: Settings, client: Any) -> Pricer:
    history = DynamoOrderHistory(client, settings.table_name)
    return Pricer(
        promotions=DynamoPromotions(client, settings.table_name, settings.promotion_cache_seconds),
        first_order=lambda customer_id: not history.list_orders(customer_id, 1, None).items,
        clock=now,
        seller=settings.seller,
    )


def promotions_admin(settings: Settings | None = None, client: Any = None) -> PromotionsAdmin:
    settings = settings or Settings.from_env()
    client = client or dynamodb_client()
    return PromotionsAdmin(
        promotions=DynamoPromotions(client, settings.table_name),
        fx=DynamoFxRates(client, settings.table_name),
        currencies=settings.supported_currencies,
        clock=now,
    )


# analytics and reports
# Behaviour events go out with a short timeout and no retry of the call: a browse request waits at most about
# a second for analytics, and a refusal is logged and counted, never the shopper's error.
_BEHAVIOUR_AWS_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 1}, connect_timeout=1, read_timeout=1
)


def _count_dropped(count: int) -> None:
    metrics.add_metric(name="AnalyticsEventsDropped", unit=MetricUnit.Count, value=count)


def behaviour_tracker(settings: Settings, client: Any = None) -> BehaviourTracker:
    publisher = EventBridgePublisher(
        client or boto3.client("events", config=_BEHAVIOUR_AWS_CONFIG),
        settings.event_bus_name,
        sleep=lambda _: None,
    )
    return BehaviourTracker(publisher, _count_dropped)


class _CatalogProducts:
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
    settings = settings or Settings.from_env()
    client = client or dynamodb_client()
    if not settings.raw_events_stream:
        raise ConfigurationError("RAW_EVENTS_STREAM is required by the analytics consumer")
    return AnalyticsRecorder(
        store=DynamoAnalytics(client, settings.table_name),
        archive=FirehoseArchive(boto3.client("firehose", config=_AWS_CONFIG), settings.raw_events_stream),
        products=_CatalogProducts(DynamoCatalog(client, settings.table_name)),
        views=DynamoViewHistory(client, settings.table_name),
    )


def reports(
    settings: Settings | None = None, client: Any = None, rates: ReportingRates | None = None
) -> Reports:
    settings = settings or Settings.from_env()
    client = client or dynamodb_client()
    stored = StoredReportingRates(DynamoFxRates(client, settings.table_name), settings.reporting_currency)
    return Reports(
        DynamoAnalytics(client, settings.table_name),
        rates or stored,
        settings.supported_currencies,
    )


def daily_report(settings: Settings | None = None, client: Any = None) -> DailyReport:
    settings = settings or Settings.from_env()
    if not settings.reports_bucket:
        raise ConfigurationError("REPORTS_BUCKET is required by the daily report job")
    return DailyReport(
        reports=reports(settings, client),
        files=S3ReportFiles(boto3.client("s3", config=_AWS_CONFIG), settings.reports_bucket),
        notifier=merchant_notifier(settings),
        clock=now,
        currency=settings.default_currency,
    )


def recommendations(settings: Settings | None = None, client: Any = None) -> Recommendations:
    settings = settings or Settings.from_env()
    client = client or dynamodb_client()
    return Recommendations(
        DynamoAnalytics(client, settings.table_name),
        _CatalogProducts(DynamoCatalog(client, settings.table_name)),
        DynamoViewHistory(client, settings.table_name),
    )


def segments(settings: Settings | None = None, client: Any = None) -> Segments:
    settings = settings or Settings.from_env()
    policy = SegmentPolicy(
        lapsed_after=timedelta(days=settings.segment_lapsed_days),
        high_value=settings.segment_high_value,
        currency=settings.default_currency,
    )
    return Segments(
        DynamoSegments(client or dynamodb_client(), settings.table_name),
        outbox_relay(settings, client),
        policy,
        now,
    )


def customer_view(settings: Settings | None = None, client: Any = None) -> CustomerView:
    settings = settings or Settings.from_env()
    client = client or dynamodb_client()
    return CustomerView(
        customers=DynamoCustomers(client, settings.table_name),
        orders=DynamoOrderHistory(client, settings.table_name),
        stats=DynamoSegments(client, settings.table_name),
        notes=DynamoStaffNotes(client, settings.table_name),
        clock=now,
        returns=DynamoReturns(client, settings.table_name),  # the staff view lists them
    )


# the staff inventory report (GET /admin/reports/inventory, the reports function)
def inventory_reports(settings: Settings | None = None, client: Any = None) -> InventoryReports:
    settings = settings or Settings.from_env()
    client = client or dynamodb_client()
    return InventoryReports(
        DynamoInventory(client, settings.table_name, clock=now),
        DynamoCatalog(client, settings.table_name),
        now,
    )


# marketing: the abandoned-cart job (docs/marketing-events.md)
def abandoned_carts(settings: Settings | None = None, client: Any = None) -> AbandonedCarts:
    settings = settings or Settings.from_env()
    client = client or dynamodb_client()
    return AbandonedCarts(
        index=DynamoAbandonedCarts(client, settings.table_name),
        carts=DynamoCarts(client, settings.table_name),
        catalog=DynamoCatalog(client, settings.table_name),
        customers=DynamoCustomers(client, settings.table_name),
        relay=outbox_relay(settings, client),
        clock=now,
        after=timedelta(minutes=settings.abandoned_cart_after_minutes),
        default_locale=settings.default_locale,
        policy=cart_policy(settings),
    )


# ERP stock levels in: the erp_import function
def erp_import(settings: Settings | None = None, client: Any = None) -> tuple[ErpCredentials, ErpStockImport]:
    """The ERP credentials and the stock import (HTTP batches and dropped CSV files)."""
    settings = settings or Settings.from_env()
    client = client or dynamodb_client()
    store, stock, _ = _inventory(settings, client)
    catalog = DynamoCatalog(client, settings.table_name)
    importer = ErpStockImport(
        store,
        stock,
        now,
        known_skus=lambda skus: set(catalog.get_skus(skus)),
        files=S3DroppedFiles(boto3.client("s3", config=_AWS_CONFIG)),
    )
    return ErpCredentials(store, now), importer


# shipping connector: rates for a cart, shipment labels (docs/fulfillment.md#rates-and-labels)
def shipping_rates(
    settings: Settings | None = None, client: Any = None, cart_service: Carts | None = None
) -> CartShippingRates:
    settings = settings or Settings.from_env()
    client = client or dynamodb_client()
    return CartShippingRates(
        carts=cart_service or carts(settings, client),
        catalog=DynamoCatalog(client, settings.table_name),
        pricer=pricer(settings, client),
        carrier=live_rate_carrier(settings),
        location_countries=parse_location_countries(settings.location_countries),
    )


def live_rate_carrier(settings: Settings) -> Carrier | None:
    """The carrier the storefront asks for live rates; None when the merchant switched them off."""
    return carrier(settings) if settings.carrier_live_rates else None


def shipment_labels(settings: Settings | None = None, client: Any = None) -> ShipmentLabels:
    settings = settings or Settings.from_env()
    if not settings.labels_bucket:
        raise ConfigurationError("LABELS_BUCKET is required by this function")
    client = client or dynamodb_client()
    repository = order_repository(settings, client)
    return ShipmentLabels(
        orders=repository,
        shipments=DynamoShipments(client, settings.table_name, repository),
        carrier=carrier(settings),
        store=S3LabelStore(boto3.client("s3", config=_AWS_CONFIG), settings.labels_bucket),
        clock=now,
    )


def carrier_signature_check(settings: Settings) -> Callable[[str | None, bytes], None]:
    """The tracking webhook's check: InvalidSignature unless the header signs the body with the carrier's
    webhook secret, in time."""
    secret = _carrier_secret(settings)

    def check(signature: str | None, body: bytes) -> None:
        verify(secret()["webhook_secret"], signature, body)

    return check
