"""Sales channels and their API keys, managed by staff."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from wiring import channels

from commerce.api.access import staff
from commerce.api.channel_models import ChannelIn, ChannelKeyOut, ChannelOut, ChannelsOut
from commerce.api.routing import CommerceRouter, responds
from commerce.domain.channels import CHANNEL_PATTERN, Channel
from commerce.domain.permissions import Permission
from commerce.observability import logger

router = CommerceRouter()

ChannelId = Annotated[
    str,
    Path(max_length=60, pattern=CHANNEL_PATTERN, description="web, app, marketplace:<name>, pos:<store>"),
]


@router.get("/admin/channels", access=staff(Permission.INTEGRATIONS), summary="List sales channels")
def list_channels() -> ChannelsOut:
    return ChannelsOut(items=[ChannelOut.of(c) for c in channels.all()])


@router.put(
    "/admin/channels/<channel_id>",
    access=staff(Permission.INTEGRATIONS),
    summary="Create or replace a channel's products, price list and locations",
)
def put_channel(channel_id: ChannelId, body: ChannelIn) -> ChannelOut:
    products = tuple(body.products) if body.products is not None else None
    channel = channels.configure(
        Channel(
            channel_id,
            body.currency,
            tuple(body.locations),
            products,
            reservation_minutes=body.reservation_minutes,
        )
    )
    logger.info("channel saved", channel=channel_id)
    return ChannelOut.of(channel)


@router.post(
    "/admin/channels/<channel_id>/api-keys",
    access=staff(Permission.INTEGRATIONS),
    summary="Issue the channel a new API key (the old one stops working); shown once",
    responses=responds(201, "Issued", ChannelKeyOut),
)
def issue_channel_key(channel_id: ChannelId) -> Response[ChannelKeyOut]:
    key = channels.issue_key(channel_id)
    logger.info("channel key issued", channel=channel_id)
    return Response(
        status_code=201, content_type="application/json", body=ChannelKeyOut(channel=channel_id, api_key=key)
    )
