"""The adapters container: every adapter a function uses, built on first use and kept for the process.

Each property imports its adapter's module when it first builds it, so a function loads only the adapters
(and the SDKs behind them: Stripe, the carriers' HTTP client) that its own use cases are wired with.
"""

# ruff: noqa: PLC0415 - the imports inside the properties are the point of this module

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities import parameters

from commerce.composition.clients import Clients
from commerce.config import (
    CarrierSettings,
    CheckoutSettings,
    ConfigurationError,
    FulfillmentSettings,
    Mail,
    MailCopies,
    MerchantNotices,
    Pages,
    Pricing,
    Settings,
    Stripe,
)

if TYPE_CHECKING:
    from commerce.adapters.aws_workflow import EventBridgePublisher, StepFunctionsWorkflow
    from commerce.adapters.dynamodb.abandoned_carts import DynamoAbandonedCarts
    from commerce.adapters.dynamodb.analytics import DynamoAnalytics, DynamoViewHistory
    from commerce.adapters.dynamodb.carts import DynamoCarts
    from commerce.adapters.dynamodb.catalog import DynamoCatalog
    from commerce.adapters.dynamodb.customer_directory import DynamoCustomerDirectory
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
    from commerce.adapters.dynamodb.stock import DynamoStock
    from commerce.adapters.dynamodb.webhooks import DynamoWebhookDeliveries, DynamoWebhookSubscriptions
    from commerce.adapters.merchant_mail import MailToMerchant
    from commerce.adapters.stripe_payments import StripePayments
    from commerce.adapters.stripe_webhooks import StripeWebhookVerifier
    from commerce.domain.ports import Carrier, Mailer
    from commerce.services.outbox import OutboxRelay
    from commerce.services.pagination import CursorCodec

SECRET_CACHE_SECONDS = 300


def now() -> datetime:
    return datetime.now(UTC)


def secret_key(secret_arn: str) -> Callable[[], bytes]:
    """Reads the secret on first use and caches it (Powertools Parameters), so rotation takes effect."""

    def read() -> bytes:
        return str(parameters.get_secret(secret_arn, max_age=SECRET_CACHE_SECONDS)).encode()

    return read


def json_secret(secret_arn: str) -> Callable[[], Mapping[str, str]]:
    def read() -> Mapping[str, str]:
        value = parameters.get_secret(secret_arn, transform="json", max_age=SECRET_CACHE_SECONDS)
        return {str(k): str(v) for k, v in dict(value).items()}

    return read


def adapters(settings: Settings | None = None, dynamodb: Any = None) -> Adapters:
    """The process's container for these settings (one per DynamoDB client a test hands in); without
    settings, a container over the environment as it is now."""
    settings = settings or Settings.from_env()
    return settings.kept(("adapters", id(dynamodb)), lambda: Adapters(settings, Clients(dynamodb)))


class Adapters:
    """Each property builds its adapter once, reading the settings its context needs at that moment."""

    def __init__(self, settings: Settings, clients: Clients) -> None:
        self.settings, self.clients = settings, clients
        self._client, self._table = clients.dynamodb, settings.shop.table_name

    # the catalog and the stock
    @cached_property
    def catalog(self) -> DynamoCatalog:
        from commerce.adapters.dynamodb.catalog import DynamoCatalog

        return DynamoCatalog(self._client, self._table, self.settings.shop.default_locale)

    @cached_property
    def stock(self) -> DynamoStock:
        from commerce.adapters.dynamodb.stock import DynamoStock

        return DynamoStock(self._client, self._table)

    @cached_property
    def inventory(self) -> DynamoInventory:
        from commerce.adapters.dynamodb.inventory import DynamoInventory

        return DynamoInventory(self._client, self._table, clock=now)

    # carts, pricing and customers
    @cached_property
    def carts(self) -> DynamoCarts:
        from commerce.adapters.dynamodb.carts import DynamoCarts

        return DynamoCarts(self._client, self._table)

    @cached_property
    def abandoned_carts(self) -> DynamoAbandonedCarts:
        from commerce.adapters.dynamodb.abandoned_carts import DynamoAbandonedCarts

        return DynamoAbandonedCarts(self._client, self._table)

    @cached_property
    def cached_promotions(self) -> DynamoPromotions:
        """The automatic promotions as pricing reads them: once per PROMOTION_CACHE_SECONDS per instance."""
        from commerce.adapters.dynamodb.promotions import DynamoPromotions

        seconds = self.settings.section(Pricing).promotion_cache_seconds
        return DynamoPromotions(self._client, self._table, seconds)

    @cached_property
    def promotions(self) -> DynamoPromotions:
        from commerce.adapters.dynamodb.promotions import DynamoPromotions

        return DynamoPromotions(self._client, self._table)

    @cached_property
    def fx_rates(self) -> DynamoFxRates:
        from commerce.adapters.dynamodb.promotions import DynamoFxRates

        return DynamoFxRates(self._client, self._table)

    @cached_property
    def customers(self) -> DynamoCustomers:
        from commerce.adapters.dynamodb.customers import DynamoCustomers

        return DynamoCustomers(self._client, self._table)

    @cached_property
    def customer_directory(self) -> DynamoCustomerDirectory:
        from commerce.adapters.dynamodb.customer_directory import DynamoCustomerDirectory

        return DynamoCustomerDirectory(self._client, self._table)

    @cached_property
    def order_history(self) -> DynamoOrderHistory:
        from commerce.adapters.dynamodb.customers import DynamoOrderHistory

        return DynamoOrderHistory(self._client, self._table)

    @cached_property
    def cursors(self) -> CursorCodec:
        from commerce.services.pagination import CursorCodec

        return CursorCodec(secret_key(self.settings.section(Pages).cursor_secret_arn))

    # orders, payments, refunds and returns
    @cached_property
    def orders(self) -> DynamoOrders:
        from commerce.adapters.dynamodb.orders import DynamoOrders

        return DynamoOrders(self._client, self._table, self.stock, clock=now)

    @cached_property
    def payment_event_log(self) -> DynamoPaymentEventLog:
        from commerce.adapters.dynamodb.payment_events import DynamoPaymentEventLog

        return DynamoPaymentEventLog(self._client, self._table, self.orders)

    @cached_property
    def refund_ledger(self) -> DynamoRefundLedger:
        from commerce.adapters.dynamodb.refunds import DynamoRefundLedger

        return DynamoRefundLedger(self._client, self._table)

    @cached_property
    def pending_refunds(self) -> DynamoPendingRefunds:
        from commerce.adapters.dynamodb.refunds import DynamoPendingRefunds

        return DynamoPendingRefunds(self._client, self._table, self.orders)

    @cached_property
    def returns(self) -> DynamoReturns:
        from commerce.adapters.dynamodb.returns import DynamoReturns

        return DynamoReturns(self._client, self._table)

    @cached_property
    def stripe_secret(self) -> Callable[[], Mapping[str, str]]:
        from commerce.adapters.stripe_payments import read_stripe_secret

        arn = self.settings.section(Stripe).stripe_secret_arn
        return lambda: read_stripe_secret(arn)

    @cached_property
    def payments(self) -> StripePayments:
        """Stripe, with its key read from the StripeSecret (cached five minutes) on first use."""
        from commerce.adapters.stripe_payments import StripePayments

        return StripePayments(self.stripe_secret, self.settings.section(Stripe).stripe_api_base)

    @cached_property
    def payment_webhook_verifier(self) -> StripeWebhookVerifier:
        from commerce.adapters.stripe_webhooks import StripeWebhookVerifier

        return StripeWebhookVerifier(self.stripe_secret)

    # events and workflows
    @cached_property
    def events(self) -> EventBridgePublisher:
        from commerce.adapters.aws_workflow import EventBridgePublisher

        return EventBridgePublisher(self.clients("events"), self.settings.shop.event_bus_name)

    @cached_property
    def outbox(self) -> DynamoOutbox:
        from commerce.adapters.dynamodb.outbox import DynamoOutbox

        return DynamoOutbox(self._client, self._table)

    @cached_property
    def relay(self) -> OutboxRelay:
        """Publishes events committed in the outbox right after their commit, each OrderFlagged counted."""
        from commerce.adapters.flag_metrics import CountingFlags
        from commerce.services.outbox import OutboxRelay

        return OutboxRelay(self.outbox, CountingFlags(self.events), now)

    @cached_property
    def task_tokens(self) -> StepFunctionsWorkflow:
        """Step Functions for answering a waiting task: no state machine to start."""
        from commerce.adapters.aws_workflow import StepFunctionsWorkflow

        return StepFunctionsWorkflow(self.clients("stepfunctions"), None)

    @cached_property
    def order_workflow(self) -> StepFunctionsWorkflow:
        from commerce.adapters.aws_workflow import StepFunctionsWorkflow

        arn = self.settings.section(CheckoutSettings).order_state_machine_arn
        return StepFunctionsWorkflow(self.clients("stepfunctions"), arn)

    @cached_property
    def fulfillment_workflow(self) -> StepFunctionsWorkflow:
        from commerce.adapters.aws_workflow import StepFunctionsWorkflow

        arn = self.settings.section(FulfillmentSettings).fulfillment_state_machine_arn
        return StepFunctionsWorkflow(self.clients("stepfunctions"), arn)

    # shipping
    @cached_property
    def shipments(self) -> DynamoShipments:
        from commerce.adapters.dynamodb.fulfillment import DynamoShipments

        return DynamoShipments(self._client, self._table, self.orders)

    @cached_property
    def carrier_secret(self) -> Callable[[], Mapping[str, str]]:
        return json_secret(self.settings.section(CarrierSettings).carrier_secret_arn)

    @cached_property
    def carrier(self) -> Carrier:
        """The HTTP carrier at CARRIER_ENDPOINT, or the simulated one when none is configured."""
        from commerce.adapters.carriers import HttpCarrier, SimulatedCarrier
        from commerce.adapters.dynamodb.simulated_parcels import DynamoParcels

        found = self.settings.section(CarrierSettings)
        if found.carrier_endpoint:
            return HttpCarrier(
                found.carrier_name,
                found.carrier_endpoint,
                self.carrier_secret,
                rates_timeout=found.carrier_rates_timeout_seconds,
            )
        return SimulatedCarrier(parcels=DynamoParcels(self._client, self._table))

    # mail
    @cached_property
    def sent_emails(self) -> DynamoSentEmails:
        from commerce.adapters.dynamodb.notifications import DynamoSentEmails

        return DynamoSentEmails(self._client, self._table)

    @cached_property
    def mailer(self) -> Mailer:
        """SES with the template's configuration set; on the local stack every email is also a file."""
        from commerce.adapters.ses_mailer import AllMailers, MailDirectory, SesMailer

        mail = self.settings.section(Mail)
        if not mail.mail_from:
            raise ConfigurationError("MAIL_FROM is empty: this function sends email")
        ses = SesMailer(self.clients("sesv2"), mail.mail_from, mail.mail_configuration_set)
        copies = self.settings.section(MailCopies).mail_directory
        return AllMailers([ses, MailDirectory(Path(copies), mail.mail_from)]) if copies else ses

    @cached_property
    def merchant_notifier(self) -> MailToMerchant:
        """Notices to the merchant: mailed when MERCHANT_EMAIL (and MAIL_FROM) are set, logged always."""
        from commerce.adapters.merchant_mail import MailToMerchant

        merchant = self.settings.section(MerchantNotices).merchant_email
        mailing = merchant and self.settings.section(Mail).mail_from
        return MailToMerchant(self.mailer if mailing else None, merchant)

    # analytics, segments and webhooks
    @cached_property
    def analytics(self) -> DynamoAnalytics:
        from commerce.adapters.dynamodb.analytics import DynamoAnalytics

        return DynamoAnalytics(self._client, self._table)

    @cached_property
    def view_history(self) -> DynamoViewHistory:
        from commerce.adapters.dynamodb.analytics import DynamoViewHistory

        return DynamoViewHistory(self._client, self._table)

    @cached_property
    def segments(self) -> DynamoSegments:
        from commerce.adapters.dynamodb.segments import DynamoSegments

        return DynamoSegments(self._client, self._table)

    @cached_property
    def staff_notes(self) -> DynamoStaffNotes:
        from commerce.adapters.dynamodb.segments import DynamoStaffNotes

        return DynamoStaffNotes(self._client, self._table)

    @cached_property
    def webhook_subscriptions(self) -> DynamoWebhookSubscriptions:
        from commerce.adapters.dynamodb.webhooks import DynamoWebhookSubscriptions

        return DynamoWebhookSubscriptions(self._client, self._table)

    @cached_property
    def webhook_deliveries(self) -> DynamoWebhookDeliveries:
        from commerce.adapters.dynamodb.webhooks import DynamoWebhookDeliveries

        return DynamoWebhookDeliveries(self._client, self._table)
