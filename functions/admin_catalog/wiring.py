"""What the routes of this function use, built once at cold start by the composition root."""

from __future__ import annotations

from commerce.composition import catalog
from commerce.config import Settings

settings = Settings.from_env()
admin = catalog.staff_catalog(settings)
finder = catalog.product_finder(settings)
