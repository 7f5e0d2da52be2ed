"""A subscription's deliveries, and a delivery replayed."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from subscriptions import SubscriptionId
from wiring import webhooks

from commerce.api.access import staff
from commerce.api.routing import CommerceRouter, responds
from commerce.api.webhook_models import (
    WebhookDeliveryListOut,
    WebhookDeliveryOut,
)
from commerce.domain.permissions import Permission
from commerce.observability import logger

router = CommerceRouter()

DeliveryId = Annotated[str, Path(max_length=64)]


@router.get(
    "/admin/webhooks/<subscription_id>/deliveries",
    access=staff(Permission.INTEGRATIONS),
    summary="A subscription's deliveries, newest first, with every attempt",
)
def list_deliveries(
    subscription_id: SubscriptionId, limit: Annotated[int, Query(ge=1, le=100)] = 25
) -> WebhookDeliveryListOut:
    deliveries = webhooks.deliveries(subscription_id, limit)
    return WebhookDeliveryListOut(items=[WebhookDeliveryOut.of(d) for d in deliveries])


@router.post(
    "/admin/webhooks/deliveries/<delivery_id>/replay",
    access=staff(Permission.INTEGRATIONS),
    summary="Send exactly that event again (same body and event id)",
    responses=responds(202, "Queued", WebhookDeliveryOut),
)
def replay_delivery(delivery_id: DeliveryId) -> Response[WebhookDeliveryOut]:
    delivery = webhooks.replay(delivery_id)
    logger.info("webhook delivery replayed", delivery_id=delivery_id)
    return Response(status_code=202, content_type="application/json", body=WebhookDeliveryOut.of(delivery))
