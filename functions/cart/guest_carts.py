"""A guest's cart, opened by the token returned when it was created; claimed into the customer's cart on
sign-in."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.metrics import MetricUnit
from wiring import activity, carts, track_line_added

from commerce.api.access import CUSTOMER, PUBLIC
from commerce.api.analytics_context import shopper_context
from commerce.api.identity import current_principal
from commerce.api.marketing_models import CartContactIn
from commerce.api.models import (
    CartOut,
    CreateCartIn,
    CreatedCartOut,
    DestinationIn,
    DiscountCodeIn,
    SetLineIn,
)
from commerce.api.params import CartId, CartToken, LocaleParam, Sku
from commerce.api.resolver import created
from commerce.api.routing import CommerceRouter, responds
from commerce.composition.adapters import now
from commerce.domain import analytics
from commerce.observability import logger, metrics

router = CommerceRouter()


@router.post(
    "/carts",
    access=PUBLIC,
    summary="Create a guest cart",
    responses=responds(201, "Created", CreatedCartOut),
)
def create_cart(body: CreateCartIn, locale: LocaleParam = None) -> Response[CreatedCartOut]:
    attribution = body.attribution()
    priced, token = carts.create(body.currency, router.locale(locale), body.country, body.region, attribution)
    who = shopper_context(router, priced.cart.currency, router.locale(locale))
    activity.track(analytics.cart_created(who, priced.cart.id, attribution, now()))
    metrics.add_metric(name="CartsCreated", unit=MetricUnit.Count, value=1)
    logger.info("cart created", cart_id=priced.cart.id, currency=priced.cart.currency)
    out = CreatedCartOut(**CartOut.of(priced).model_dump(), token=token)
    return created(out, f"/carts/{priced.cart.id}")


@router.get("/carts/<cart_id>", access=PUBLIC, summary="Get a cart")
def get_cart(cart_id: CartId, x_cart_token: CartToken = None, locale: LocaleParam = None) -> CartOut:
    return CartOut.of(carts.get(cart_id, x_cart_token, router.locale(locale)))


@router.put(
    "/carts/<cart_id>/lines/<sku>", access=PUBLIC, summary="Set the quantity of a line (0 removes it)"
)
def set_line(
    cart_id: CartId, sku: Sku, body: SetLineIn, x_cart_token: CartToken = None, locale: LocaleParam = None
) -> CartOut:
    priced = carts.set_line(cart_id, x_cart_token, sku, body.quantity, router.locale(locale))
    logger.info("cart line set", cart_id=cart_id, sku=sku, quantity=body.quantity)
    track_line_added(router, priced, sku, body.quantity, router.locale(locale))
    return CartOut.of(priced)


@router.delete("/carts/<cart_id>/lines/<sku>", access=PUBLIC, summary="Remove a line")
def remove_line(
    cart_id: CartId, sku: Sku, x_cart_token: CartToken = None, locale: LocaleParam = None
) -> CartOut:
    return CartOut.of(carts.remove_line(cart_id, x_cart_token, sku, router.locale(locale)))


@router.put(
    "/carts/<cart_id>/contact",
    access=PUBLIC,
    summary="Give a guest cart an email (and marketing consent) to be reminded of it",
    description="The locale of the request is kept as the language to write in.",
    traced_response=False,
)
def set_contact(
    cart_id: CartId, body: CartContactIn, x_cart_token: CartToken = None, locale: LocaleParam = None
) -> CartOut:
    priced = carts.set_contact(
        cart_id, x_cart_token, body.email, body.marketing_consent, router.locale(locale)
    )
    logger.info("cart contact set", cart_id=cart_id, marketing_consent=body.marketing_consent)
    return CartOut.of(priced)


@router.post(
    "/carts/<cart_id>/discount-code",
    access=PUBLIC,
    summary="Put a discount code on a guest cart",
    description="4xx problem types: discount-code-invalid, -expired, -exhausted, -not-applicable.",
)
def add_discount_code(
    cart_id: CartId, body: DiscountCodeIn, x_cart_token: CartToken = None, locale: LocaleParam = None
) -> CartOut:
    priced = carts.apply_code(cart_id, x_cart_token, body.code, router.locale(locale))
    logger.info("discount code added", cart_id=cart_id, code=priced.cart.discount_code)
    return CartOut.of(priced)


@router.delete(
    "/carts/<cart_id>/discount-code", access=PUBLIC, summary="Take the discount code off a guest cart"
)
def remove_discount_code(
    cart_id: CartId, x_cart_token: CartToken = None, locale: LocaleParam = None
) -> CartOut:
    return CartOut.of(carts.remove_code(cart_id, x_cart_token, router.locale(locale)))


@router.put(
    "/carts/<cart_id>/destination",
    access=PUBLIC,
    summary="Say where a guest cart will ship, for its tax and shipping estimate (its currency stays)",
)
def set_destination(
    cart_id: CartId, body: DestinationIn, x_cart_token: CartToken = None, locale: LocaleParam = None
) -> CartOut:
    return CartOut.of(carts.ship_to(cart_id, x_cart_token, body.country, body.region, router.locale(locale)))


@router.post(
    "/carts/<cart_id>/claim", access=CUSTOMER, summary="Merge a guest cart into the signed-in customer's cart"
)
def claim_cart(cart_id: CartId, x_cart_token: CartToken = None, locale: LocaleParam = None) -> CartOut:
    customer = current_principal(router)
    priced = carts.claim(cart_id, x_cart_token, customer.subject, router.locale(locale))
    logger.info("cart claimed", guest_cart_id=cart_id, cart_id=priced.cart.id)
    return CartOut.of(priced)
