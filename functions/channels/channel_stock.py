"""The stock a sales channel may sell of a SKU."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from channel_keys import NO_KEY, ChannelId, calling_channel, channel_key
from wiring import inventory

from commerce.api.channel_models import ChannelStockOut
from commerce.api.params import SkuCode
from commerce.api.routing import CommerceRouter

router = CommerceRouter()

STOCK_OR_NO_KEY: dict[int, OpenAPIResponse] = {
    200: {"description": "Available units", "content": {"application/json": {"model": ChannelStockOut}}},
    **NO_KEY,
}


@router.get(
    "/channels/<channel_id>/stock/<sku>",
    access=channel_key.access,
    summary="Units of a SKU the channel may sell now",
    responses=STOCK_OR_NO_KEY,
)
def channel_stock(channel_id: ChannelId, sku: SkuCode) -> ChannelStockOut:
    channel = calling_channel()
    return ChannelStockOut(sku=sku, channel=channel.id, available=channel.available(inventory.levels(sku)))
