"""What the routes of this function use, built once at cold start by the composition root."""

from __future__ import annotations

from commerce.composition import analytics, catalog
from commerce.config import Settings

settings = Settings.from_env()
browse = catalog.browse(settings)
activity = analytics.activity_tracker(settings)
