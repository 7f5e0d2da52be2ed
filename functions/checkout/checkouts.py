"""Checkout of a guest cart or the signed-in customer's cart, once per Idempotency-Key."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Header
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.idempotency import idempotent_function
from wiring import activity, checkout, idempotency, persistence

from commerce.api.access import CUSTOMER, PUBLIC
from commerce.api.analytics_context import shopper_context
from commerce.api.checkout_models import IDEMPOTENCY_KEY_MAX, CheckoutIn, CheckoutOut, GuestCheckoutIn
from commerce.api.identity import current_principal
from commerce.api.params import CartToken, ChannelParam, LocaleParam
from commerce.api.resolver import created
from commerce.api.routing import CommerceRouter
from commerce.composition.adapters import now
from commerce.domain import analytics
from commerce.domain.errors import ValidationFailed
from commerce.observability import follow_order, logger, metrics

router = CommerceRouter()

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="idempotency-key",
        max_length=IDEMPOTENCY_KEY_MAX,
        description="Required. A retry with the same key returns the first answer and creates nothing.",
    ),
]
ChannelKey = Annotated[
    str | None,
    Header(
        alias="x-api-key", max_length=100, description="The channel's API key: any channel but web and app."
    ),
]

CREATED = {
    201: {"description": "Order placed", "content": {"application/json": {"model": CheckoutOut}}},
    403: {
        "description": "A channel other than web or app, without its own X-Api-Key.",
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    },
}


def _key(value: str | None) -> str:
    if not value or not value.strip():
        raise ValidationFailed("the Idempotency-Key header is required", field="Idempotency-Key")
    return value


def _token_hash(token: str | None) -> str:
    # Part of the idempotency key, so a replay needs the cart's token too (the answer holds the order's).
    return hashlib.sha256((token or "").encode()).hexdigest()


@idempotent_function(data_keyword_argument="request", persistence_store=persistence, config=idempotency)
def place_order(request: dict[str, Any]) -> dict[str, Any]:
    body, locale, channel, key = (
        request["body"],
        request["locale"],
        request.get("channel"),
        request["channel_key"],
    )
    if request["route"] == "POST /checkout":
        guest = GuestCheckoutIn.model_validate(body)
        result = checkout.guest(guest.cart_id, request["cart_token"], guest.request(locale, channel, key))
    else:
        result = checkout.customer(
            request["cart"], CheckoutIn.model_validate(body).request(locale, channel, key)
        )
    metrics.add_metric(name="OrdersPlaced", unit=MetricUnit.Count, value=1)
    # The request's earlier lines carry its API request id; this one carries both, and the order's id is the
    # correlation id from here on, through the workflow, every event and every consumer.
    request_id = router.current_event.request_context.request_id
    follow_order(result.order.id)
    logger.info("order placed", request_id=request_id, currency=result.order.currency)
    # once per order (an idempotent replay does not come here); never fails it
    who = shopper_context(router, result.order.currency, locale, result.order.channel)
    activity.track(analytics.checkout_started(who, result.order.id, now()))
    return CheckoutOut.of(result).model_dump(mode="json")


def _created(body: dict[str, Any]) -> Response[CheckoutOut]:
    out = CheckoutOut.model_validate(body)
    return created(out, f"/orders/{out.order_id}")


@router.post("/checkout", access=PUBLIC, summary="Check out a guest cart", responses=CREATED)
def guest_checkout(
    body: GuestCheckoutIn,
    idempotency_key: IdempotencyKey = None,
    x_cart_token: CartToken = None,
    locale: LocaleParam = None,
    channel: ChannelParam = None,
    x_api_key: ChannelKey = None,
) -> Response[CheckoutOut]:
    request = {
        "route": "POST /checkout",
        "idempotency_key": _key(idempotency_key),
        "cart": body.cart_id,
        "token": _token_hash(x_cart_token),
        "cart_token": x_cart_token,
        "locale": router.locale(locale),
        "channel": channel,  # inventory
        "channel_key": x_api_key,  # checked by the checkout, not part of the idempotency key or payload
        "body": body.model_dump(mode="json"),
    }
    return _created(place_order(request=request))


@router.post(
    "/me/checkout", access=CUSTOMER, summary="Check out the signed-in customer's cart", responses=CREATED
)
def customer_checkout(
    body: CheckoutIn,
    idempotency_key: IdempotencyKey = None,
    locale: LocaleParam = None,
    channel: ChannelParam = None,
    x_api_key: ChannelKey = None,
) -> Response[CheckoutOut]:
    customer = current_principal(router)
    request = {
        "route": "POST /me/checkout",
        "idempotency_key": _key(idempotency_key),
        "cart": customer.subject,  # the customer's one active cart
        "token": "",
        "locale": router.locale(locale),
        "channel": channel,  # inventory
        "channel_key": x_api_key,  # checked by the checkout, not part of the idempotency key or payload
        "body": body.model_dump(mode="json"),
    }
    return _created(place_order(request=request))
