"""What the routes of this function use, built once at cold start by the composition root."""

from __future__ import annotations

from commerce.composition import analytics, customers
from commerce.config import Settings

settings = Settings.from_env()
recommendations = analytics.recommendations(settings)
segments = analytics.segments(settings)
customer_view = customers.customer_view(settings)
directory = customers.customer_finder(settings)
