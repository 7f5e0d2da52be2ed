"""What the routes of this function use, built once at cold start by the composition root."""

from __future__ import annotations

from commerce.composition import payments
from commerce.config import Settings

settings = Settings.from_env()
verifier = payments.payment_webhook_verifier(settings)
payment_events = payments.payment_events(settings)
