"""Staff manage outbound webhook subscriptions, read their deliveries and replay one."""

# No `from __future__ import annotations` here: Powertools reads the route signatures at run time
# to validate requests, and string annotations behind the tracer decorator would not resolve.

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from commerce import bootstrap
from commerce.api.access import staff
from commerce.api.resolver import create_resolver, created
from commerce.api.webhook_models import (
    ConnectorListOut,
    ConnectorOut,
    WebhookDeliveryListOut,
    WebhookDeliveryOut,
    WebhookSubscriptionCreatedOut,
    WebhookSubscriptionIn,
    WebhookSubscriptionListOut,
    WebhookSubscriptionOut,
    WebhookSubscriptionPatchIn,
)
from commerce.config import Settings
from commerce.domain.connectors import CONNECTORS
from commerce.domain.permissions import Permission
from commerce.observability import logger, metrics, tracer

settings = Settings.from_env()
app = create_resolver(settings.staff_roles)
webhooks = bootstrap.webhook_admin(settings)

SubscriptionId = Annotated[str, Path(max_length=64)]
DeliveryId = Annotated[str, Path(max_length=64)]
CREATED: dict[int, OpenAPIResponse] = {
    201: {
        "description": "Created",
        "content": {"application/json": {"model": WebhookSubscriptionCreatedOut}},
    },
}
ACCEPTED: dict[int, OpenAPIResponse] = {
    202: {"description": "Queued", "content": {"application/json": {"model": WebhookDeliveryOut}}},
}
DELETED: dict[int, OpenAPIResponse] = {204: {"description": "Deleted"}}


@app.post(
    "/admin/webhooks",
    access=staff(Permission.INTEGRATIONS),
    summary="Subscribe a URL to event types; the secret is shown once",
    responses=CREATED,
)
@tracer.capture_method
def create_subscription(body: WebhookSubscriptionIn) -> Response[WebhookSubscriptionCreatedOut]:
    made = webhooks.create(body.url, body.event_types or [], body.description, body.connector, body.settings)
    subscription = made.subscription
    logger.info("webhook subscription created", subscription_id=subscription.id)
    out = WebhookSubscriptionCreatedOut(
        **WebhookSubscriptionOut.of(subscription).model_dump(), secret=made.secret
    )
    return created(out, f"/admin/webhooks/{subscription.id}")


@app.get(
    "/admin/connectors",
    access=staff(Permission.INTEGRATIONS),
    summary="The connectors a subscription may name, with what they consume",
)
@tracer.capture_method
def list_connectors() -> ConnectorListOut:
    return ConnectorListOut(
        items=[
            ConnectorOut(
                name=c.name, description=c.description, consumes=sorted(c.consumes), settings=dict(c.settings)
            )
            for c in CONNECTORS.values()
        ]
    )


@app.get(
    "/admin/webhooks",
    access=staff(Permission.INTEGRATIONS),
    summary="Every webhook subscription, oldest first",
)
@tracer.capture_method
def list_subscriptions() -> WebhookSubscriptionListOut:
    return WebhookSubscriptionListOut(items=[WebhookSubscriptionOut.of(s) for s in webhooks.all()])


@app.get(
    "/admin/webhooks/<subscription_id>",
    access=staff(Permission.INTEGRATIONS),
    summary="One webhook subscription",
)
@tracer.capture_method
def get_subscription(subscription_id: SubscriptionId) -> WebhookSubscriptionOut:
    return WebhookSubscriptionOut.of(webhooks.get(subscription_id))


@app.patch(
    "/admin/webhooks/<subscription_id>",
    access=staff(Permission.INTEGRATIONS),
    summary="Change a subscription's URL, event types or description",
)
@tracer.capture_method
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


@app.post(
    "/admin/webhooks/<subscription_id>/pause",
    access=staff(Permission.INTEGRATIONS),
    summary="Stop delivering to a subscription",
)
@tracer.capture_method
def pause_subscription(subscription_id: SubscriptionId) -> WebhookSubscriptionOut:
    subscription = webhooks.pause(subscription_id)
    logger.info("webhook subscription paused", subscription_id=subscription_id)
    return WebhookSubscriptionOut.of(subscription)


@app.post(
    "/admin/webhooks/<subscription_id>/resume",
    access=staff(Permission.INTEGRATIONS),
    summary="Deliver to a paused subscription again (clears its flag)",
)
@tracer.capture_method
def resume_subscription(subscription_id: SubscriptionId) -> WebhookSubscriptionOut:
    subscription = webhooks.resume(subscription_id)
    logger.info("webhook subscription resumed", subscription_id=subscription_id)
    return WebhookSubscriptionOut.of(subscription)


@app.delete(
    "/admin/webhooks/<subscription_id>",
    access=staff(Permission.INTEGRATIONS),
    summary="Delete a subscription",
    responses=DELETED,
)
@tracer.capture_method
def delete_subscription(subscription_id: SubscriptionId) -> Response[None]:
    webhooks.delete(subscription_id)
    logger.info("webhook subscription deleted", subscription_id=subscription_id)
    return Response(status_code=204)


@app.get(
    "/admin/webhooks/<subscription_id>/deliveries",
    access=staff(Permission.INTEGRATIONS),
    summary="A subscription's deliveries, newest first, with every attempt",
)
@tracer.capture_method
def list_deliveries(
    subscription_id: SubscriptionId, limit: Annotated[int, Query(ge=1, le=100)] = 25
) -> WebhookDeliveryListOut:
    deliveries = webhooks.deliveries(subscription_id, limit)
    return WebhookDeliveryListOut(items=[WebhookDeliveryOut.of(d) for d in deliveries])


@app.post(
    "/admin/webhooks/deliveries/<delivery_id>/replay",
    access=staff(Permission.INTEGRATIONS),
    summary="Send exactly that event again (same body and event id)",
    responses=ACCEPTED,
)
@tracer.capture_method
def replay_delivery(delivery_id: DeliveryId) -> Response[WebhookDeliveryOut]:
    delivery = webhooks.replay(delivery_id)
    logger.info("webhook delivery replayed", delivery_id=delivery_id)
    return Response(status_code=202, content_type="application/json", body=WebhookDeliveryOut.of(delivery))


@logger.inject_lambda_context(clear_state=True, correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
