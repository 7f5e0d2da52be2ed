"""Carts: a guest's (opened by its token) and a signed-in customer's (opened by their identity), priced by
the server; a guest cart is claimed into the customer's on sign-in."""

from __future__ import annotations

import customer_carts
import guest_carts
import shipping_options
from wiring import settings

from commerce.api.resolver import create_resolver, http_handler

app = create_resolver(settings.staff_roles, settings.default_locale)
app.include_router(guest_carts.router)
app.include_router(customer_carts.router)
app.include_router(shipping_options.router)

lambda_handler = http_handler(app)
