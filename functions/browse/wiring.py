"""What the routes of this function use, built once at cold start by the composition root."""

from __future__ import annotations

from commerce import bootstrap
from commerce.config import Settings

settings = Settings.from_env()
browse = bootstrap.browse(settings)
activity = bootstrap.activity_tracker(settings)
