"""What the routes of this function use, built once at cold start by the composition root."""

from __future__ import annotations

from commerce import bootstrap
from commerce.composition.inventory import inventory_lists
from commerce.config import Settings

settings = Settings.from_env()
inventory, restock, channels = bootstrap.inventory_admin(settings)
lists = inventory_lists(settings)
