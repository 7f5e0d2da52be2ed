"""Staff manage outbound webhook subscriptions, read their deliveries and replay one."""

from __future__ import annotations

import deliveries
import subscriptions
from wiring import settings

import connectors
from commerce.api.resolver import create_resolver, http_handler

app = create_resolver(settings.staff_roles)
app.include_router(subscriptions.router)
app.include_router(deliveries.router)
app.include_router(connectors.router)

lambda_handler = http_handler(app)
