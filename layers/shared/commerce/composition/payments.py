"""Payments: Stripe, and the webhook that applies each Stripe event once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from commerce.composition.adapters import adapters, now
from commerce.config import Settings
from commerce.services.payment_events import PaymentEvents

if TYPE_CHECKING:
    from commerce.adapters.stripe_payments import StripePayments
    from commerce.adapters.stripe_webhooks import StripeWebhookVerifier


def payments(settings: Settings, client: Any = None) -> StripePayments:
    """Stripe, with its key read from the StripeSecret (cached five minutes) on first use."""
    return adapters(settings, client).payments


def payment_webhook_verifier(settings: Settings | None = None, client: Any = None) -> StripeWebhookVerifier:
    """Checks a Stripe webhook's signature against the raw body."""
    return adapters(settings, client).payment_webhook_verifier


def payment_events(settings: Settings | None = None, client: Any = None) -> PaymentEvents:
    found = adapters(settings, client)
    return PaymentEvents(
        orders=found.orders,
        log=found.payment_event_log,
        workflow=found.task_tokens,
        relay=found.relay,  # its publisher counts each OrderFlagged
        payments=found.payments,
        clock=now,
        refund_ledger=found.refund_ledger,
    )
