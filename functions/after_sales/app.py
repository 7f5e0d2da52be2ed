"""After the sale: the buyer cancels an order not yet shipped; staff refund without a return (goodwill)."""

from __future__ import annotations

import cancellations
import refunds
import returns
from wiring import settings

from commerce.api.resolver import create_resolver, http_handler

app = create_resolver(settings.staff_roles)
app.include_router(cancellations.router)
app.include_router(refunds.router)
app.include_router(returns.router)

lambda_handler = http_handler(app)
