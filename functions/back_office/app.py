"""The back office's front page: what needs staff's attention now, across orders, reports, webhooks and
stock."""

from __future__ import annotations

import attention
from wiring import settings

from commerce.api.resolver import create_resolver, http_handler

app = create_resolver(settings.staff_roles)
app.include_router(attention.router)

lambda_handler = http_handler(app)
