"""Staff's webhook subscriptions: create, list, read, update, pause, resume, delete."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from wiring import webhooks

from commerce.api.access import staff
from commerce.api.resolver import created
from commerce.api.routing import DELETED, CommerceRouter, responds
from commerce.api.webhook_models import (
    WebhookSubscriptionCreatedOut,
    WebhookSubscriptionIn,
    WebhookSubscriptionListOut,
    WebhookSubscriptionOut,
    WebhookSubscriptionPatchIn,
)
from commerce.domain.permissions import Permission
from commerce.observability import logger

router = CommerceRouter()

SubscriptionId = Annotated[str, Path(max_length=64)]


@router.post(
    "/admin/webhooks",
    access=staff(Permission.INTEGRATIONS),
    summary="Subscribe a URL to event types; the secret is shown once",
    responses=responds(201, "Created", WebhookSubscriptionCreatedOut),
)
def create_subscription(body: WebhookSubscriptionIn) -> Response[WebhookSubscriptionCreatedOut]:
    made = webhooks.create(body.url, body.event_types or [], body.description, body.connector, body.settings)
    subscription = made.subscription
    logger.info("webhook subscription created", subscription_id=subscription.id)
    out = WebhookSubscriptionCreatedOut(
        **WebhookSubscriptionOut.of(subscription).model_dump(), secret=made.secret
    )
    return created(out, f"/admin/webhooks/{subscription.id}")


@router.get(
    "/admin/webhooks",
    access=staff(Permission.INTEGRATIONS),
    summary="Every webhook subscription, oldest first",
)
def list_subscriptions() -> WebhookSubscriptionListOut:
    return WebhookSubscriptionListOut(items=[WebhookSubscriptionOut.of(s) for s in webhooks.all()])


@router.get(
    "/admin/webhooks/<subscription_id>",
    access=staff(Permission.INTEGRATIONS),
    summary="One webhook subscription",
)
def get_subscription(subscription_id: SubscriptionId) -> WebhookSubscriptionOut:
    return WebhookSubscriptionOut.of(webhooks.get(subscription_id))


@router.patch(
    "/admin/webhooks/<subscription_id>",
    access=staff(Permission.INTEGRATIONS),
    summary="Change a subscription's URL, event types or description",
)
def update_subscription(
    subscription_id: SubscriptionId, body: WebhookSubscriptionPatchIn
) -> WebhookSubscriptionOut:
    subscription = webhooks.update(
        subscription_id, body.url, body.event_types, body.description, body.settings
    )
    logger.info(
        "webhook subscription updated", subscription_id=subscription_id, fields=sorted(body.model_fields_set)
    )
    return WebhookSubscriptionOut.of(subscription)


@router.post(
    "/admin/webhooks/<subscription_id>/pause",
    access=staff(Permission.INTEGRATIONS),
    summary="Stop delivering to a subscription",
)
def pause_subscription(subscription_id: SubscriptionId) -> WebhookSubscriptionOut:
    subscription = webhooks.pause(subscription_id)
    logger.info("webhook subscription paused", subscription_id=subscription_id)
    return WebhookSubscriptionOut.of(subscription)


@router.post(
    "/admin/webhooks/<subscription_id>/resume",
    access=staff(Permission.INTEGRATIONS),
    summary="Deliver to a paused subscription again (clears its flag)",
)
def resume_subscription(subscription_id: SubscriptionId) -> WebhookSubscriptionOut:
    subscription = webhooks.resume(subscription_id)
    logger.info("webhook subscription resumed", subscription_id=subscription_id)
    return WebhookSubscriptionOut.of(subscription)


@router.delete(
    "/admin/webhooks/<subscription_id>",
    access=staff(Permission.INTEGRATIONS),
    summary="Delete a subscription",
    responses=DELETED,
)
def delete_subscription(subscription_id: SubscriptionId) -> Response[None]:
    webhooks.delete(subscription_id)
    logger.info("webhook subscription deleted", subscription_id=subscription_id)
    return Response(status_code=204)
