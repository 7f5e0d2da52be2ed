"""What the routes of this function use, built once at cold start by the composition root."""

from __future__ import annotations

from commerce.composition import customers as composition
from commerce.config import Settings

settings = Settings.from_env()
customers = composition.customers(settings)
