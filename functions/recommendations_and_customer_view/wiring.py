"""What the routes of this function use, built once at cold start by the composition root."""

from __future__ import annotations

from commerce import bootstrap
from commerce.composition.customers import customer_finder
from commerce.config import Settings

settings = Settings.from_env()
recommendations = bootstrap.recommendations(settings)
segments = bootstrap.segments(settings)
customer_view = bootstrap.customer_view(settings)
directory = customer_finder(settings)
