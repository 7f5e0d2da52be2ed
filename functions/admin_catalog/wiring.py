"""What the routes of this function use, built once at cold start by the composition root."""

from __future__ import annotations

from commerce import bootstrap
from commerce.composition.catalog import product_finder
from commerce.config import Settings

settings = Settings.from_env()
admin = bootstrap.staff_catalog(settings)
finder = product_finder(settings)
