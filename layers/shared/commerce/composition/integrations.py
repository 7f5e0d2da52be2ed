"""Integrations: outbound webhooks and the connectors delivered through them, and ERP stock levels in."""

# ruff: noqa: PLC0415 - a factory imports what only it builds, so a function loads what it is wired with

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from commerce.composition.adapters import Adapters, adapters, now
from commerce.config import Settings, WebhookQueue, WebhookRetries, WebhookSecrets

if TYPE_CHECKING:
    from commerce.adapters.webhook_delivery import KmsSecretBox, SqsDeliveryQueue
    from commerce.domain.webhooks import TargetPolicy
    from commerce.services.connectors import ConnectorFeed
    from commerce.services.erp_stock import ErpCredentials, ErpStockImport
    from commerce.services.webhooks import WebhookAdmin, WebhookDispatcher


def _queue(found: Adapters, dead_letter_url: str = "") -> SqsDeliveryQueue:
    from commerce.adapters.webhook_delivery import SqsDeliveryQueue

    url = found.settings.section(WebhookQueue).webhook_delivery_queue_url
    return SqsDeliveryQueue(found.clients("sqs"), url, dead_letter_url)


def _box(found: Adapters) -> KmsSecretBox:
    from commerce.adapters.webhook_delivery import KmsSecretBox

    return KmsSecretBox(found.clients("kms"), found.settings.section(WebhookSecrets).data_key_arn)


def _targets(found: Adapters) -> TargetPolicy:
    from commerce.domain.webhooks import TargetPolicy

    return TargetPolicy(allow_loopback=found.settings.section(WebhookSecrets).webhook_allow_loopback)


def webhook_admin(settings: Settings | None = None, client: Any = None) -> WebhookAdmin:
    from commerce.services.webhooks import WebhookAdmin

    found = adapters(settings, client)
    return WebhookAdmin(
        subscriptions=found.webhook_subscriptions,
        deliveries=found.webhook_deliveries,
        queue=_queue(found),
        box=_box(found),
        targets=_targets(found),
        clock=now,
    )


def webhook_dispatcher(settings: Settings | None = None, client: Any = None) -> WebhookDispatcher:
    from commerce.adapters.webhook_delivery import HttpWebhookSender
    from commerce.domain.webhooks import RetryPolicy
    from commerce.services.webhooks import WebhookDispatcher

    found = adapters(settings, client)
    retries = found.settings.section(WebhookRetries)
    return WebhookDispatcher(
        subscriptions=found.webhook_subscriptions,
        deliveries=found.webhook_deliveries,
        queue=_queue(found, retries.webhook_dead_letter_queue_url),
        box=_box(found),
        sender=HttpWebhookSender(_targets(found)),
        relay=found.relay,
        notifier=found.merchant_notifier,
        policy=RetryPolicy.parse(retries.webhook_retry_schedule, retries.webhook_pause_after_hours),
        clock=now,
    )


def connector_feed(settings: Settings | None = None, client: Any = None) -> ConnectorFeed:
    """Documents for accounting, ERP, email marketing and support, delivered as webhooks. It reads
    subscriptions, orders and customers, writes deliveries and queues them; it never opens a subscription's
    secret: the dispatcher signs what it sends."""
    from commerce.services.connectors import ConnectorFeed, StoredFacts

    found = adapters(settings, client)
    return ConnectorFeed(
        subscriptions=found.webhook_subscriptions,
        deliveries=found.webhook_deliveries,
        queue=_queue(found),
        facts=StoredFacts(found.orders, found.customers),
        clock=now,
    )


def erp_credentials(settings: Settings | None = None, client: Any = None) -> ErpCredentials:
    from commerce.services.erp_stock import ErpCredentials

    return ErpCredentials(adapters(settings, client).inventory, now)


def erp_stock_import(settings: Settings | None = None, client: Any = None) -> ErpStockImport:
    """ERP stock levels in: HTTP batches and dropped CSV files."""
    from commerce.adapters.s3_dropped_files import S3DroppedFiles
    from commerce.composition.inventory import inventory
    from commerce.services.erp_stock import ErpStockImport

    found = adapters(settings, client)
    catalog = found.catalog
    return ErpStockImport(
        found.inventory,
        inventory(found.settings, client),
        now,
        known_skus=lambda skus: set(catalog.get_skus(skus)),
        files=S3DroppedFiles(found.clients("s3")),
    )
