"""Carts and pricing: the cart, its prices and promotions, its shipping rates, and abandoned carts."""

# ruff: noqa: PLC0415 - a factory imports what only it builds, so a function loads what it is wired with

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from commerce.composition.adapters import adapters, now
from commerce.config import CartSettings, LiveRateSettings, Marketing, Pricing, Settings, Shipping
from commerce.domain.cart import CartPolicy
from commerce.services.pricing import Pricer

if TYPE_CHECKING:
    from commerce.domain.ports import Carrier
    from commerce.services.abandoned_carts import AbandonedCarts
    from commerce.services.carts import Carts
    from commerce.services.promotions_admin import PromotionsAdmin
    from commerce.services.shipping_rates import CartShippingRates


def cart_policy(settings: Settings) -> CartPolicy:
    """The domain's limits on lines and quantities; how long a cart lives is the merchant's."""
    return CartPolicy(ttl=settings.section(CartSettings).cart_ttl)


def pricer(settings: Settings, client: Any = None) -> Pricer:
    found = adapters(settings, client)
    history = found.order_history
    return Pricer(
        promotions=found.cached_promotions,
        first_order=lambda customer_id: not history.list_orders(customer_id, 1, None).items,
        clock=now,
        seller=settings.section(Pricing).seller,
    )


def carts(settings: Settings | None = None, client: Any = None) -> Carts:
    from commerce.services.carts import Carts

    found = adapters(settings, client)
    settings = found.settings
    return Carts(
        carts=found.carts,
        catalog=found.catalog,
        currencies=settings.shop.supported_currencies,
        policy=cart_policy(settings),
        clock=now,
        default_locale=settings.shop.default_locale,
        pricer=pricer(settings, client),
        default_country=settings.section(Pricing).default_country,
    )


def promotions_admin(settings: Settings | None = None, client: Any = None) -> PromotionsAdmin:
    from commerce.services.promotions_admin import PromotionsAdmin

    found = adapters(settings, client)
    return PromotionsAdmin(
        promotions=found.promotions,
        fx=found.fx_rates,
        currencies=found.settings.shop.supported_currencies,
        clock=now,
    )


def live_rate_carrier(settings: Settings, client: Any = None) -> Carrier | None:
    """The carrier the storefront asks for live rates; None when the merchant switched them off."""
    found = adapters(settings, client)
    return found.carrier if settings.section(LiveRateSettings).carrier_live_rates else None


def shipping_rates(
    settings: Settings | None = None, client: Any = None, cart_service: Carts | None = None
) -> CartShippingRates:
    from commerce.domain.fulfillment import parse_location_countries
    from commerce.services.shipping_rates import CartShippingRates

    found = adapters(settings, client)
    settings = found.settings
    return CartShippingRates(
        carts=cart_service or carts(settings, client),
        catalog=found.catalog,
        pricer=pricer(settings, client),
        carrier=live_rate_carrier(settings, client),
        location_countries=parse_location_countries(settings.section(Shipping).location_countries),
    )


def abandoned_carts(settings: Settings | None = None, client: Any = None) -> AbandonedCarts:
    """The abandoned-cart job (docs/marketing-events.md)."""
    from commerce.services.abandoned_carts import AbandonedCarts

    found = adapters(settings, client)
    settings = found.settings
    return AbandonedCarts(
        index=found.abandoned_carts,
        carts=found.carts,
        catalog=found.catalog,
        customers=found.customers,
        relay=found.relay,
        clock=now,
        after=timedelta(minutes=settings.section(Marketing).abandoned_cart_after_minutes),
        default_locale=settings.shop.default_locale,
        policy=cart_policy(settings),
    )
