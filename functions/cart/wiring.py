"""What the cart routes use, built once at cold start by the composition root."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import BaseRouter

from commerce.api.analytics_context import shopper_context
from commerce.composition import carts as composition
from commerce.composition.adapters import now
from commerce.composition.analytics import activity_tracker
from commerce.config import Settings
from commerce.domain import analytics
from commerce.domain.cart import PricedCart

settings = Settings.from_env()
carts = composition.carts(settings)
activity = activity_tracker(settings)
shipping_rates = composition.shipping_rates(settings, cart_service=carts)


def track_line_added(router: BaseRouter, priced: PricedCart, sku: str, quantity: int, locale: str) -> None:
    """A line set to a positive quantity is a cart add; never fails the request."""
    line = next((line for line in priced.lines if line.sku == sku), None)
    if quantity > 0 and line is not None:
        who = shopper_context(router, priced.cart.currency, locale)
        activity.track(analytics.cart_line_added(who, priced.cart.id, sku, line.product_id, quantity, now()))
