"""Every factory of the composition root under one name, for the tests that wire several contexts.

Functions, the local stack and the benchmarks import `commerce.composition.<context>`, the module of the
bounded context they use, so that a cold start loads that context alone.
"""

from __future__ import annotations

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

__all__ = [
    "abandoned_carts",
    "activity_tracker",
    "after_sales",
    "analytics_recorder",
    "browse",
    "carrier",
    "carrier_events",
    "carrier_secret",
    "carrier_signature_check",
    "cart_policy",
    "carts",
    "catalog_admin",
    "channel_scope",
    "checkout",
    "connector_feed",
    "customer_view",
    "customers",
    "daily_report",
    "delivery_waits",
    "dynamodb_client",
    "erp_credentials",
    "erp_stock_import",
    "fulfillment",
    "inventory_reports",
    "live_rate_carrier",
    "notifications",
    "now",
    "order_repository",
    "order_workflow",
    "orders",
    "outbox_relay",
    "payment_events",
    "payment_webhook_verifier",
    "payments",
    "pricer",
    "promotions_admin",
    "recommendations",
    "reports",
    "restock",
    "returns",
    "secret_key",
    "segments",
    "shipment_labels",
    "shipping_rates",
    "staff_catalog",
    "stockroom",
    "watched_ledger",
    "webhook_admin",
    "webhook_dispatcher",
]
