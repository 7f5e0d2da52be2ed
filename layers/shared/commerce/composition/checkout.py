"""Checkout and orders: placing an order, the order workflow's steps, the orders staff and shoppers see."""

# ruff: noqa: PLC0415 - a factory imports what only it builds, so a function loads what it is wired with

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from commerce.composition.adapters import adapters, now
from commerce.config import CheckoutSettings, Fraud, Labels, Settings

if TYPE_CHECKING:
    from commerce.adapters.dynamodb.orders import DynamoOrders
    from commerce.domain.ports import PaymentGateway
    from commerce.services.checkout import Checkout
    from commerce.services.order_view import OrderView
    from commerce.services.order_workflow import OrderWorkflow
    from commerce.services.orders import Orders
    from commerce.services.outbox import OutboxRelay


def order_repository(settings: Settings, client: Any = None) -> DynamoOrders:
    return adapters(settings, client).orders


def outbox_relay(settings: Settings | None = None, client: Any = None) -> OutboxRelay:
    """Publishes events committed in the outbox: right after their commit, and the leftovers on a schedule."""
    return adapters(settings, client).relay


def checkout(
    settings: Settings | None = None, client: Any = None, payment_gateway: PaymentGateway | None = None
) -> Checkout:
    from commerce.composition.carts import cart_policy, pricer
    from commerce.composition.inventory import channel_scope
    from commerce.services.checkout import Checkout

    found = adapters(settings, client)
    settings = found.settings
    return Checkout(
        carts=found.carts,
        catalog=found.catalog,
        orders=found.orders,
        ledger=found.orders,
        payments=payment_gateway or found.payments,
        workflow=found.order_workflow,
        clock=now,
        policy=cart_policy(settings),
        payment_timeout=timedelta(seconds=settings.section(CheckoutSettings).payment_timeout_seconds),
        default_locale=settings.shop.default_locale,
        pricer=pricer(settings, client),
        channels=channel_scope(settings, client),  # checkout per sales channel
    )


def order_workflow(
    settings: Settings | None = None, client: Any = None, payment_gateway: PaymentGateway | None = None
) -> OrderWorkflow:
    from commerce.composition.inventory import watched_ledger
    from commerce.domain.fraud import FraudPolicy
    from commerce.services.order_workflow import OrderWorkflow

    found = adapters(settings, client)
    settings = found.settings
    return OrderWorkflow(
        orders=found.orders,
        ledger=watched_ledger(settings, found.orders, client),  # reorder flags, stock events
        payments=payment_gateway or found.payments,
        workflow=found.task_tokens,
        relay=found.relay,
        clock=now,
        fraud=FraudPolicy(review_amount=settings.section(Fraud).fraud_review_amount),
    )


def orders(settings: Settings | None = None, client: Any = None) -> Orders:
    from commerce.services.orders import Orders

    found = adapters(settings, client)
    return Orders(orders=found.orders, workflow=found.task_tokens, cursors=found.cursors, clock=now)


def order_view(settings: Settings | None = None, client: Any = None) -> OrderView:
    """Staff's view of one order: its refunds, shipments and returns."""
    from commerce.adapters.label_store import S3LabelStore
    from commerce.services.order_view import OrderView

    found = adapters(settings, client)
    labels = S3LabelStore(found.clients("s3"), found.settings.section(Labels).labels_bucket)
    return OrderView(found.orders, found.refund_ledger, found.shipments, found.returns, labels)
