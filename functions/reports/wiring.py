"""What the routes of this function use, built once at cold start by the composition root."""

from __future__ import annotations

from commerce.composition import analytics, inventory
from commerce.config import Settings

settings = Settings.from_env()
reports = analytics.reports(settings)
inventory_reports = inventory.inventory_reports(settings)
