"""A sales channel's stock reservations for its external orders: reserve, read, commit, release."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from channel_keys import NO_KEY, ChannelId, calling_channel, channel_key
from wiring import channels

from commerce.api.channel_models import ChannelOrderOut, ChannelReservationIn
from commerce.api.resolver import created
from commerce.api.routing import CommerceRouter
from commerce.domain.channels import EXTERNAL_ID_PATTERN
from commerce.observability import logger

router = CommerceRouter()

ExternalId = Annotated[str, Path(max_length=100, pattern=EXTERNAL_ID_PATTERN)]

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


@router.post(
    "/channels/<channel_id>/reservations",
    access=channel_key.access,
    summary="Reserve stock for an order taken on the channel (idempotent on its external id)",
    description="Authenticated by the channel's API key in the X-Api-Key header.",
    responses={
        201: {"description": "Reserved", "content": {"application/json": {"model": ChannelOrderOut}}},
        **NO_KEY,
    },
)
def reserve(channel_id: ChannelId, body: ChannelReservationIn) -> Response[ChannelOrderOut]:
    channel = calling_channel()
    order = channels.reserve(channel, body.external_order_id, body.lines)
    logger.info("channel stock reserved", external_order_id=order.external_id, lines=len(order.lines))
    return created(ChannelOrderOut.of(order), f"/channels/{channel_id}/reservations/{order.external_id}")


@router.get(
    "/channels/<channel_id>/reservations/<external_order_id>",
    access=channel_key.access,
    summary="A channel order's reservation",
    responses=ORDER_OR_NO_KEY,
)
def get_reservation(channel_id: ChannelId, external_order_id: ExternalId) -> ChannelOrderOut:
    return ChannelOrderOut.of(channels.order(calling_channel(), external_order_id))


@router.post(
    "/channels/<channel_id>/reservations/<external_order_id>/commit",
    access=channel_key.access,
    summary="The order is sold: its reserved units leave the stock (idempotent; 409 after expiry)",
    responses=COMMITTED_OR_EXPIRED,
)
def commit(channel_id: ChannelId, external_order_id: ExternalId) -> ChannelOrderOut:
    order = channels.commit(calling_channel(), external_order_id)
    logger.info("channel order committed", external_order_id=external_order_id)
    return ChannelOrderOut.of(order)


@router.post(
    "/channels/<channel_id>/reservations/<external_order_id>/release",
    access=channel_key.access,
    summary="The order is off: its reserved units go back on sale (idempotent)",
    responses=ORDER_OR_NO_KEY,
)
def release(channel_id: ChannelId, external_order_id: ExternalId) -> ChannelOrderOut:
    order = channels.release(calling_channel(), external_order_id)
    logger.info("channel order released", external_order_id=external_order_id)
    return ChannelOrderOut.of(order)
