"""The channel API: a marketplace or a store till reserves, commits and releases stock for the orders it
takes, authenticated by its channel's API key (X-Api-Key); and back-in-stock alerts for shoppers."""

from __future__ import annotations

import channel_stock
import reservations
import stock_alerts
from wiring import settings

from commerce.api.resolver import create_resolver, http_handler

app = create_resolver(settings.staff_roles)
app.include_router(reservations.router)
app.include_router(channel_stock.router)
app.include_router(stock_alerts.router)

lambda_handler = http_handler(app)
