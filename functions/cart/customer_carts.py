"""The signed-in customer's cart, opened by their identity (created on first use)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from wiring import carts, track_line_added

from commerce.api.access import CUSTOMER
from commerce.api.identity import current_principal
from commerce.api.models import (
    CartOut,
    DestinationIn,
    DiscountCodeIn,
    SetLineIn,
)
from commerce.api.params import LocaleParam, Sku
from commerce.api.routing import CommerceRouter

router = CommerceRouter()


@router.get(
    "/me/cart", access=CUSTOMER, summary="The signed-in customer's active cart (created on first use)"
)
def get_my_cart(
    locale: LocaleParam = None,
    currency: Annotated[str | None, Query(pattern=r"^[A-Z]{3}$", description="For a new cart only.")] = None,
) -> CartOut:
    return CartOut.of(carts.customer_cart(current_principal(router).subject, router.locale(locale), currency))


@router.put(
    "/me/cart/lines/<sku>",
    access=CUSTOMER,
    summary="Set a line of the signed-in customer's cart (0 removes it)",
)
def set_my_line(sku: Sku, body: SetLineIn, locale: LocaleParam = None) -> CartOut:
    customer = current_principal(router)
    priced = carts.set_customer_line(customer.subject, sku, body.quantity, router.locale(locale))
    track_line_added(router, priced, sku, body.quantity, router.locale(locale))
    return CartOut.of(priced)


@router.delete(
    "/me/cart/lines/<sku>", access=CUSTOMER, summary="Remove a line of the signed-in customer's cart"
)
def remove_my_line(sku: Sku, locale: LocaleParam = None) -> CartOut:
    return CartOut.of(
        carts.remove_customer_line(current_principal(router).subject, sku, router.locale(locale))
    )


@router.post(
    "/me/cart/discount-code", access=CUSTOMER, summary="Put a discount code on the signed-in customer's cart"
)
def add_my_discount_code(body: DiscountCodeIn, locale: LocaleParam = None) -> CartOut:
    customer = current_principal(router)
    return CartOut.of(carts.apply_customer_code(customer.subject, body.code, router.locale(locale)))


@router.delete(
    "/me/cart/discount-code",
    access=CUSTOMER,
    summary="Take the discount code off the signed-in customer's cart",
)
def remove_my_discount_code(locale: LocaleParam = None) -> CartOut:
    return CartOut.of(carts.remove_customer_code(current_principal(router).subject, router.locale(locale)))


@router.put(
    "/me/cart/destination", access=CUSTOMER, summary="Say where the signed-in customer's cart will ship"
)
def set_my_destination(body: DestinationIn, locale: LocaleParam = None) -> CartOut:
    customer = current_principal(router)
    return CartOut.of(
        carts.ship_customer_cart_to(customer.subject, body.country, body.region, router.locale(locale))
    )
