"""Stripe webhooks: the signature checked on the raw body, then each event applied to its order once."""

from __future__ import annotations

import stripe_events
from wiring import settings

from commerce.api.resolver import create_resolver, http_handler

app = create_resolver(settings.staff_roles)
app.include_router(stripe_events.router)

lambda_handler = http_handler(app)
