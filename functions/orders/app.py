"""Order status for its buyer (by the order's token, or signed in), order lists and fraud review for staff."""

from __future__ import annotations

import order_review
from wiring import settings

import orders
from commerce.api.resolver import create_resolver, http_handler

app = create_resolver(settings.staff_roles)
app.include_router(orders.router)
app.include_router(order_review.router)

lambda_handler = http_handler(app)
