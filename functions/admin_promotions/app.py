"""Staff promotions: create discount codes and automatic promotions, pause and resume them, report their
uses and the discount given; and the FX rate snapshots reports convert with."""

from __future__ import annotations

import fx_rates
import promotions
from wiring import settings

from commerce.api.resolver import create_resolver, http_handler

app = create_resolver(settings.staff_roles)
app.include_router(promotions.router)
app.include_router(fx_rates.router)

lambda_handler = http_handler(app)
