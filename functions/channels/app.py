"""The channel API: a marketplace or a store till reserves, commits and releases stock for the orders it
takes, authenticated by its channel's API key (X-Api-Key); and back-in-stock alerts for shoppers."""

# No `from __future__ import annotations` here: Powertools reads the route signatures at run time.

from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import unquote

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from commerce import bootstrap
from commerce.api.access import PUBLIC, ApiKey
from commerce.api.channel_models import ChannelOrderOut, ChannelReservationIn, ChannelStockOut, StockAlertIn
from commerce.api.resolver import create_resolver, created
from commerce.config import Settings
from commerce.domain.channels import CHANNEL_PATTERN, EXTERNAL_ID_PATTERN, Channel
from commerce.observability import logger, metrics, tracer

settings = Settings.from_env()
app = create_resolver(settings.staff_roles)
inventory, channels = bootstrap.channels(settings)

ChannelId = Annotated[
    str, Path(max_length=60, pattern=CHANNEL_PATTERN, description="marketplace:<name>, ...")
]
ExternalId = Annotated[str, Path(max_length=100, pattern=EXTERNAL_ID_PATTERN)]
Sku = Annotated[str, Path(max_length=64, pattern=r"^[A-Z0-9][A-Z0-9-]{1,63}$")]
KEY_HEADER = "X-Api-Key"
NO_KEY: dict[int, OpenAPIResponse] = {
    401: {
        "description": "No valid API key for this channel in the X-Api-Key header.",
        "content": {"application/problem+json": {"schema": {"type": "object"}}},
    }
}

ORDER_OR_NO_KEY: dict[int, OpenAPIResponse] = {
    200: {"description": "The channel order", "content": {"application/json": {"model": ChannelOrderOut}}},
    **NO_KEY,
}
COMMITTED_OR_EXPIRED: dict[int, OpenAPIResponse] = {
    **ORDER_OR_NO_KEY,
    409: {
        "description": "The reservation expired (`reservation-expired`, with `expired_at`): its units were "
        "given back; or it was released.",
        "content": {"application/problem+json": {"schema": {"type": "object"}}},
    },
}
STOCK_OR_NO_KEY: dict[int, OpenAPIResponse] = {
    200: {"description": "Available units", "content": {"application/json": {"model": ChannelStockOut}}},
    **NO_KEY,
}


def _authenticated(event: Mapping[str, Any]) -> Channel:
    """The channel the path names, when the request carries its valid key (else Unauthorized)."""
    path = str(event.get("rawPath") or "")
    channel_id = unquote(path.split("/")[2]) if path.count("/") >= 2 else ""
    headers = {str(k).lower(): v for k, v in (event.get("headers") or {}).items()}
    return channels.authenticate(channel_id, headers.get(KEY_HEADER.lower()))


channel_key = ApiKey("channel", _authenticated)


def _channel() -> Channel:
    """The channel the handler authenticated by its key, before the request was validated."""
    channel = channel_key.caller()
    logger.append_keys(channel=channel.id)
    return channel


@app.post(
    "/channels/<channel_id>/reservations",
    access=channel_key.access,
    summary="Reserve stock for an order taken on the channel (idempotent on its external id)",
    description="Authenticated by the channel's API key in the X-Api-Key header.",
    responses={
        201: {"description": "Reserved", "content": {"application/json": {"model": ChannelOrderOut}}},
        **NO_KEY,
    },
)
@tracer.capture_method
def reserve(channel_id: ChannelId, body: ChannelReservationIn) -> Response[ChannelOrderOut]:
    channel = _channel()
    order = channels.reserve(channel, body.external_order_id, body.lines)
    logger.info("channel stock reserved", external_order_id=order.external_id, lines=len(order.lines))
    return created(ChannelOrderOut.of(order), f"/channels/{channel_id}/reservations/{order.external_id}")


@app.get(
    "/channels/<channel_id>/reservations/<external_order_id>",
    access=channel_key.access,
    summary="A channel order's reservation",
    responses=ORDER_OR_NO_KEY,
)
@tracer.capture_method
def get_reservation(channel_id: ChannelId, external_order_id: ExternalId) -> ChannelOrderOut:
    return ChannelOrderOut.of(channels.order(_channel(), external_order_id))


@app.post(
    "/channels/<channel_id>/reservations/<external_order_id>/commit",
    access=channel_key.access,
    summary="The order is sold: its reserved units leave the stock (idempotent; 409 after expiry)",
    responses=COMMITTED_OR_EXPIRED,
)
@tracer.capture_method
def commit(channel_id: ChannelId, external_order_id: ExternalId) -> ChannelOrderOut:
    order = channels.commit(_channel(), external_order_id)
    logger.info("channel order committed", external_order_id=external_order_id)
    return ChannelOrderOut.of(order)


@app.post(
    "/channels/<channel_id>/reservations/<external_order_id>/release",
    access=channel_key.access,
    summary="The order is off: its reserved units go back on sale (idempotent)",
    responses=ORDER_OR_NO_KEY,
)
@tracer.capture_method
def release(channel_id: ChannelId, external_order_id: ExternalId) -> ChannelOrderOut:
    order = channels.release(_channel(), external_order_id)
    logger.info("channel order released", external_order_id=external_order_id)
    return ChannelOrderOut.of(order)


@app.get(
    "/channels/<channel_id>/stock/<sku>",
    access=channel_key.access,
    summary="Units of a SKU the channel may sell now",
    responses=STOCK_OR_NO_KEY,
)
@tracer.capture_method
def channel_stock(channel_id: ChannelId, sku: Sku) -> ChannelStockOut:
    channel = _channel()
    return ChannelStockOut(sku=sku, channel=channel.id, available=channel.available(inventory.levels(sku)))


@app.post(
    "/stock-alerts",
    access=PUBLIC,
    summary="Ask to be told once, by email, when a SKU is back in stock",
    responses={204: {"description": "Noted: one email when it is back"}},
)
@tracer.capture_method
def subscribe(body: StockAlertIn) -> Response[None]:
    inventory.subscribe(body.sku, body.email, None, body.locale)
    logger.info("back-in-stock alert noted", sku=body.sku)
    return Response(status_code=204)


@logger.inject_lambda_context(clear_state=True, correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
