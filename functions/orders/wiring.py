"""What the routes of this function use, built once at cold start by the composition root."""

from __future__ import annotations

from commerce.composition import checkout
from commerce.config import Settings

settings = Settings.from_env()
orders = checkout.orders(settings)
order_view = checkout.order_view(settings)
