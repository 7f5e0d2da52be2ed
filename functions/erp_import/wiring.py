"""What the routes of this function use, built once at cold start by the composition root."""

from __future__ import annotations

from commerce.composition import integrations
from commerce.config import Settings

settings = Settings.from_env()
credentials = integrations.erp_credentials(settings)
importer = integrations.erp_stock_import(settings)
