"""The names handlers, the local stack and the tests have always imported, each from its context's module.

New code imports `commerce.composition.<context>` directly. The four functions below that return tuples keep
the shape their callers unpack; each part has its own factory in the context module.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from commerce.adapters.stripe_webhooks import StripeWebhookVerifier
from commerce.composition.adapters import now, secret_key
from commerce.composition.analytics import (
    activity_tracker,
    analytics_recorder,
    daily_report,
    recommendations,
    reports,
    segments,
)
from commerce.composition.carts import (
    abandoned_carts,
    cart_policy,
    carts,
    live_rate_carrier,
    pricer,
    promotions_admin,
    shipping_rates,
)
from commerce.composition.catalog import browse, catalog_admin, staff_catalog
from commerce.composition.checkout import checkout, order_repository, order_workflow, orders, outbox_relay
from commerce.composition.clients import dynamodb_client
from commerce.composition.customers import customer_view, customers, notifications
from commerce.composition.fulfillment import (
    after_sales,
    carrier,
    carrier_events,
    carrier_secret,
    carrier_signature_check,
    delivery_waits,
    fulfillment,
    returns,
    shipment_labels,
)
from commerce.composition.integrations import (
    connector_feed,
    erp_credentials,
    erp_stock_import,
    webhook_admin,
    webhook_dispatcher,
)
from commerce.composition.inventory import (
    channel_scope,
    inventory_reports,
    restock,
    stockroom,
    watched_ledger,
)
from commerce.composition.payments import payment_events, payment_webhook_verifier, payments
from commerce.config import Settings
from commerce.services.channels import Channels
from commerce.services.erp_stock import ErpCredentials, ErpStockImport
from commerce.services.fulfillment import CarrierEvents, Fulfillment
from commerce.services.inventory import Inventory
from commerce.services.payment_events import PaymentEvents
from commerce.services.restock import Restock

__all__ = [
    "abandoned_carts",
    "activity_tracker",
    "after_sales",
    "analytics_recorder",
    "browse",
    "carrier",
    "carrier_events",
    "carrier_signature_check",
    "cart_policy",
    "carts",
    "catalog_admin",
    "channel_scope",
    "channels",
    "checkout",
    "connector_feed",
    "customer_view",
    "customers",
    "daily_report",
    "delivery_waits",
    "dynamodb_client",
    "erp_import",
    "fulfillment",
    "inventory_admin",
    "inventory_reports",
    "live_rate_carrier",
    "notifications",
    "now",
    "order_repository",
    "order_workflow",
    "orders",
    "outbox_relay",
    "payment_webhook",
    "payments",
    "pricer",
    "promotions_admin",
    "recommendations",
    "reports",
    "returns",
    "secret_key",
    "segments",
    "shipment_labels",
    "shipping_rates",
    "staff_catalog",
    "tracking",
    "watched_ledger",
    "webhook_admin",
    "webhook_dispatcher",
]


def payment_webhook(
    settings: Settings | None = None, client: Any = None
) -> tuple[StripeWebhookVerifier, PaymentEvents]:
    settings = settings or Settings.from_env()
    return payment_webhook_verifier(settings, client), payment_events(settings, client)


def tracking(
    settings: Settings | None = None, client: Any = None
) -> tuple[Callable[[], Mapping[str, str]], CarrierEvents, Fulfillment]:
    settings = settings or Settings.from_env()
    return (
        carrier_secret(settings, client),
        carrier_events(settings, client),
        delivery_waits(settings, client),
    )


def inventory_admin(
    settings: Settings | None = None, client: Any = None
) -> tuple[Inventory, Restock, Channels]:
    settings = settings or Settings.from_env()
    room = stockroom(settings, client)
    return room.inventory, restock(settings, client), room.channels


def channels(settings: Settings | None = None, client: Any = None) -> tuple[Inventory, Channels]:
    room = stockroom(settings, client)
    return room.inventory, room.channels


def erp_import(settings: Settings | None = None, client: Any = None) -> tuple[ErpCredentials, ErpStockImport]:
    settings = settings or Settings.from_env()
    return erp_credentials(settings, client), erp_stock_import(settings, client)
