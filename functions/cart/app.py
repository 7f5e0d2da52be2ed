"""Carts: a guest's (opened by its token) and a signed-in customer's (opened by their identity), priced by
the server; a guest cart is claimed into the customer's on sign-in."""

# No `from __future__ import annotations` here: Powertools reads the route signatures at run time
# to validate requests, and string annotations behind the tracer decorator would not resolve.

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Header, Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from commerce import bootstrap
from commerce.api.access import CUSTOMER, PUBLIC
from commerce.api.analytics_context import audience
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
from commerce.api.resolver import create_resolver, created, header
from commerce.api.shipping_models import ShippingRatesOut
from commerce.bootstrap import now
from commerce.config import Settings
from commerce.domain import analytics
from commerce.domain import locale as locales
from commerce.domain.cart import PricedCart
from commerce.observability import logger, metrics, tracer

settings = Settings.from_env()
app = create_resolver(settings.staff_roles)
carts = bootstrap.carts(settings)
behaviour = bootstrap.behaviour_tracker(settings)
shipping_rates = bootstrap.shipping_rates(settings, cart_service=carts)

CartId = Annotated[str, Path(max_length=64)]
Sku = Annotated[str, Path(max_length=64)]
CartToken = Annotated[
    str | None, Header(alias="x-cart-token", description="The token returned when the cart was created.")
]
LocaleParam = Annotated[str | None, Query(max_length=35, description="BCP 47 tag for line names.")]


def _locale(requested: str | None) -> str:
    return locales.negotiate(requested, header(app, "accept-language"), settings.default_locale)


def _line_added(priced: PricedCart, sku: str, quantity: int, locale: str) -> None:
    """A line set to a positive quantity is a cart add; never fails the request."""
    line = next((line for line in priced.lines if line.sku == sku), None)
    if quantity > 0 and line is not None:
        who = audience(app, priced.cart.currency, locale)
        behaviour.track(analytics.cart_line_added(who, priced.cart.id, sku, line.product_id, quantity, now()))


@app.post(
    "/carts",
    access=PUBLIC,
    summary="Create a guest cart",
    responses={201: {"description": "Created", "content": {"application/json": {"model": CreatedCartOut}}}},
)
@tracer.capture_method
def create_cart(body: CreateCartIn, locale: LocaleParam = None) -> Response[CreatedCartOut]:
    attribution = body.attribution()
    priced, token = carts.create(body.currency, _locale(locale), body.country, body.region, attribution)
    who = audience(app, priced.cart.currency, _locale(locale))
    behaviour.track(analytics.cart_created(who, priced.cart.id, attribution, now()))
    metrics.add_metric(name="CartsCreated", unit=MetricUnit.Count, value=1)
    logger.info("cart created", cart_id=priced.cart.id, currency=priced.cart.currency)
    out = CreatedCartOut(**CartOut.of(priced).model_dump(), token=token)
    return created(out, f"/carts/{priced.cart.id}")


@app.get("/carts/<cart_id>", access=PUBLIC, summary="Get a cart")
@tracer.capture_method
def get_cart(cart_id: CartId, x_cart_token: CartToken = None, locale: LocaleParam = None) -> CartOut:
    return CartOut.of(carts.get(cart_id, x_cart_token, _locale(locale)))


@app.put("/carts/<cart_id>/lines/<sku>", access=PUBLIC, summary="Set the quantity of a line (0 removes it)")
@tracer.capture_method
def set_line(
    cart_id: CartId, sku: Sku, body: SetLineIn, x_cart_token: CartToken = None, locale: LocaleParam = None
) -> CartOut:
    priced = carts.set_line(cart_id, x_cart_token, sku, body.quantity, _locale(locale))
    logger.info("cart line set", cart_id=cart_id, sku=sku, quantity=body.quantity)
    _line_added(priced, sku, body.quantity, _locale(locale))
    return CartOut.of(priced)


@app.delete("/carts/<cart_id>/lines/<sku>", access=PUBLIC, summary="Remove a line")
@tracer.capture_method
def remove_line(
    cart_id: CartId, sku: Sku, x_cart_token: CartToken = None, locale: LocaleParam = None
) -> CartOut:
    return CartOut.of(carts.remove_line(cart_id, x_cart_token, sku, _locale(locale)))


# marketing: a guest's email and consent, for the abandoned-cart reminder
@app.put(
    "/carts/<cart_id>/contact",
    access=PUBLIC,
    summary="Give a guest cart an email (and marketing consent) to be reminded of it",
    description="The locale of the request is kept as the language to write in.",
)
@tracer.capture_method(capture_response=False)
def set_contact(
    cart_id: CartId, body: CartContactIn, x_cart_token: CartToken = None, locale: LocaleParam = None
) -> CartOut:
    priced = carts.set_contact(cart_id, x_cart_token, body.email, body.marketing_consent, _locale(locale))
    logger.info("cart contact set", cart_id=cart_id, marketing_consent=body.marketing_consent)
    return CartOut.of(priced)


# pricing: discount codes
@app.post(
    "/carts/<cart_id>/discount-code",
    access=PUBLIC,
    summary="Put a discount code on a guest cart",
    description="4xx problem types: discount-code-invalid, -expired, -exhausted, -not-applicable.",
)
@tracer.capture_method
def add_discount_code(
    cart_id: CartId, body: DiscountCodeIn, x_cart_token: CartToken = None, locale: LocaleParam = None
) -> CartOut:
    priced = carts.apply_code(cart_id, x_cart_token, body.code, _locale(locale))
    logger.info("discount code added", cart_id=cart_id, code=priced.cart.discount_code)
    return CartOut.of(priced)


@app.delete(
    "/carts/<cart_id>/discount-code", access=PUBLIC, summary="Take the discount code off a guest cart"
)
@tracer.capture_method
def remove_discount_code(
    cart_id: CartId, x_cart_token: CartToken = None, locale: LocaleParam = None
) -> CartOut:
    return CartOut.of(carts.remove_code(cart_id, x_cart_token, _locale(locale)))


@app.put(
    "/carts/<cart_id>/destination",
    access=PUBLIC,
    summary="Say where a guest cart will ship, for its tax and shipping estimate (its currency stays)",
)
@tracer.capture_method
def set_destination(
    cart_id: CartId, body: DestinationIn, x_cart_token: CartToken = None, locale: LocaleParam = None
) -> CartOut:
    return CartOut.of(carts.ship_to(cart_id, x_cart_token, body.country, body.region, _locale(locale)))


@app.post(
    "/me/cart/discount-code", access=CUSTOMER, summary="Put a discount code on the signed-in customer's cart"
)
@tracer.capture_method
def add_my_discount_code(body: DiscountCodeIn, locale: LocaleParam = None) -> CartOut:
    customer = current_principal(app)
    return CartOut.of(carts.apply_customer_code(customer.subject, body.code, _locale(locale)))


@app.delete(
    "/me/cart/discount-code",
    access=CUSTOMER,
    summary="Take the discount code off the signed-in customer's cart",
)
@tracer.capture_method
def remove_my_discount_code(locale: LocaleParam = None) -> CartOut:
    return CartOut.of(carts.remove_customer_code(current_principal(app).subject, _locale(locale)))


@app.put("/me/cart/destination", access=CUSTOMER, summary="Say where the signed-in customer's cart will ship")
@tracer.capture_method
def set_my_destination(body: DestinationIn, locale: LocaleParam = None) -> CartOut:
    customer = current_principal(app)
    return CartOut.of(
        carts.ship_customer_cart_to(customer.subject, body.country, body.region, _locale(locale))
    )


# shipping connector: the zone rate and the carrier's live quotes (docs/fulfillment.md)
CountryParam = Annotated[
    str | None,
    Query(min_length=2, max_length=2, description="ISO 3166-1 alpha-2; the cart's country when left out."),
]
PostalCodeParam = Annotated[str | None, Query(max_length=12, description="The destination's postal code.")]


@app.get(
    "/carts/<cart_id>/shipping-rates",
    access=PUBLIC,
    summary="Shipping options for a guest cart: zone rate and live quotes",
)
@tracer.capture_method
def get_shipping_rates(
    cart_id: CartId,
    x_cart_token: CartToken = None,
    country: CountryParam = None,
    postal_code: PostalCodeParam = None,
    locale: LocaleParam = None,
) -> ShippingRatesOut:
    rates = shipping_rates.for_guest_cart(cart_id, x_cart_token, country, postal_code, _locale(locale))
    return ShippingRatesOut.of(rates)


@app.get(
    "/me/cart/shipping-rates", access=CUSTOMER, summary="Shipping options for the signed-in customer's cart"
)
@tracer.capture_method
def get_my_shipping_rates(
    country: CountryParam = None, postal_code: PostalCodeParam = None, locale: LocaleParam = None
) -> ShippingRatesOut:
    customer = current_principal(app)
    return ShippingRatesOut.of(
        shipping_rates.for_customer_cart(customer.subject, country, postal_code, _locale(locale))
    )


@app.post(
    "/carts/<cart_id>/claim", access=CUSTOMER, summary="Merge a guest cart into the signed-in customer's cart"
)
@tracer.capture_method
def claim_cart(cart_id: CartId, x_cart_token: CartToken = None, locale: LocaleParam = None) -> CartOut:
    customer = current_principal(app)
    priced = carts.claim(cart_id, x_cart_token, customer.subject, _locale(locale))
    logger.info("cart claimed", guest_cart_id=cart_id, cart_id=priced.cart.id)
    return CartOut.of(priced)


@app.get("/me/cart", access=CUSTOMER, summary="The signed-in customer's active cart (created on first use)")
@tracer.capture_method
def get_my_cart(
    locale: LocaleParam = None,
    currency: Annotated[str | None, Query(pattern=r"^[A-Z]{3}$", description="For a new cart only.")] = None,
) -> CartOut:
    return CartOut.of(carts.customer_cart(current_principal(app).subject, _locale(locale), currency))


@app.put(
    "/me/cart/lines/<sku>",
    access=CUSTOMER,
    summary="Set a line of the signed-in customer's cart (0 removes it)",
)
@tracer.capture_method
def set_my_line(sku: Sku, body: SetLineIn, locale: LocaleParam = None) -> CartOut:
    customer = current_principal(app)
    priced = carts.set_customer_line(customer.subject, sku, body.quantity, _locale(locale))
    _line_added(priced, sku, body.quantity, _locale(locale))
    return CartOut.of(priced)


@app.delete("/me/cart/lines/<sku>", access=CUSTOMER, summary="Remove a line of the signed-in customer's cart")
@tracer.capture_method
def remove_my_line(sku: Sku, locale: LocaleParam = None) -> CartOut:
    return CartOut.of(carts.remove_customer_line(current_principal(app).subject, sku, _locale(locale)))


@logger.inject_lambda_context(clear_state=True, correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
