"""Shipping options for a cart: the zone rate and the carrier's live quotes (docs/fulfillment.md)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from wiring import shipping_rates

from commerce.api.access import CUSTOMER, PUBLIC
from commerce.api.identity import current_principal
from commerce.api.params import CartId, CartToken, LocaleParam
from commerce.api.routing import CommerceRouter
from commerce.api.shipping_models import ShippingRatesOut

router = CommerceRouter()

CountryParam = Annotated[
    str | None,
    Query(min_length=2, max_length=2, description="ISO 3166-1 alpha-2; the cart's country when left out."),
]
PostalCodeParam = Annotated[str | None, Query(max_length=12, description="The destination's postal code.")]


@router.get(
    "/carts/<cart_id>/shipping-rates",
    access=PUBLIC,
    summary="Shipping options for a guest cart: zone rate and live quotes",
)
def get_shipping_rates(
    cart_id: CartId,
    x_cart_token: CartToken = None,
    country: CountryParam = None,
    postal_code: PostalCodeParam = None,
    locale: LocaleParam = None,
) -> ShippingRatesOut:
    rates = shipping_rates.for_guest_cart(cart_id, x_cart_token, country, postal_code, router.locale(locale))
    return ShippingRatesOut.of(rates)


@router.get(
    "/me/cart/shipping-rates", access=CUSTOMER, summary="Shipping options for the signed-in customer's cart"
)
def get_my_shipping_rates(
    country: CountryParam = None, postal_code: PostalCodeParam = None, locale: LocaleParam = None
) -> ShippingRatesOut:
    customer = current_principal(router)
    return ShippingRatesOut.of(
        shipping_rates.for_customer_cart(customer.subject, country, postal_code, router.locale(locale))
    )
