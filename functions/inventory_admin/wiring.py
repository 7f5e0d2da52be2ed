"""What the routes of this function use, built once at cold start by the composition root."""

from __future__ import annotations

from commerce.composition import inventory as composition
from commerce.config import Settings

settings = Settings.from_env()
room = composition.stockroom(settings)
inventory, channels = room.inventory, room.channels
restock = composition.restock(settings)
lists = composition.inventory_lists(settings)
