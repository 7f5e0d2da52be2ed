"""Staff reports from the analytics aggregates: sales (with FX conversion) and the shopping funnel."""

from __future__ import annotations

from wiring import settings

import reports
from commerce.api.resolver import create_resolver, http_handler

app = create_resolver(settings.staff_roles)
app.include_router(reports.router)

lambda_handler = http_handler(app)
