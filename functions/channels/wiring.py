"""What the routes of this function use, built once at cold start by the composition root."""

from __future__ import annotations

from commerce.composition.inventory import stockroom
from commerce.config import Settings

settings = Settings.from_env()
room = stockroom(settings)
inventory, channels = room.inventory, room.channels
