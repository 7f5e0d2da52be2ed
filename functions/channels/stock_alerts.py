"""Back-in-stock alerts a shopper subscribes to."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from wiring import inventory

from commerce.api.access import PUBLIC
from commerce.api.channel_models import StockAlertIn
from commerce.api.routing import CommerceRouter, responds
from commerce.observability import logger

router = CommerceRouter()


@router.post(
    "/stock-alerts",
    access=PUBLIC,
    summary="Ask to be told once, by email, when a SKU is back in stock",
    responses=responds(204, "Noted: one email when it is back"),
)
def subscribe(body: StockAlertIn) -> Response[None]:
    inventory.subscribe(body.sku, body.email, None, body.locale)
    logger.info("back-in-stock alert noted", sku=body.sku)
    return Response(status_code=204)
