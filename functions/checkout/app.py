"""Checkout: a guest's cart (by its token) or a signed-in customer's active cart becomes an order awaiting
payment, with its stock reserved and a Stripe PaymentIntent to confirm. Idempotent per Idempotency-Key."""

from __future__ import annotations

import checkouts
from wiring import settings

from commerce.api.resolver import create_resolver, http_handler

app = create_resolver(settings.staff_roles, settings.default_locale)
app.include_router(checkouts.router)
lambda_handler = http_handler(app)
