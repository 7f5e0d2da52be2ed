"""What the routes of this function use, built once at cold start by the composition root."""

from __future__ import annotations

from commerce.composition import fulfillment
from commerce.config import Settings

settings = Settings.from_env()
after_sales = fulfillment.after_sales(settings)
returns = fulfillment.returns(settings, after_sales)
