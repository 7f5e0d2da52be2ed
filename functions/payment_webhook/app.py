"""Stripe webhooks: the signature checked on the raw body, then each event applied to its order once."""

# No `from __future__ import annotations` here: Powertools reads the route signatures at run time
# to validate requests, and string annotations behind the tracer decorator would not resolve.

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from commerce import bootstrap
from commerce.api.access import PUBLIC
from commerce.api.resolver import create_resolver, header
from commerce.api.webhook_requests import webhook_body
from commerce.config import Settings
from commerce.observability import follow_order, logger, metrics, tracer
from commerce.services.payment_events import Applied

settings = Settings.from_env()
app = create_resolver(settings.staff_roles)
verifier, payment_events = bootstrap.payment_webhook(settings)


class WebhookReceived(BaseModel):
    received: bool = True
    event_id: str
    result: str


@app.post("/webhooks/stripe", access=PUBLIC, summary="Stripe webhook (signed with the endpoint's secret)")
@tracer.capture_method
def stripe_webhook() -> WebhookReceived:
    # The bytes Stripe sent (size and encoding checked, API Gateway's base64 undone, not yet decoded as
    # text): the signature covers them, and the verifier reads the JSON only once it holds.
    event = verifier.verify(webhook_body(app), header(app, "stripe-signature"))
    if event.order_id:
        follow_order(event.order_id)
    result = payment_events.handle(event)
    logger.info("stripe event handled", stripe_event_id=event.id, stripe_event_type=event.type, result=result)
    metrics.add_metric(name="StripeEvents", unit=MetricUnit.Count, value=1)
    if result is Applied.PAYMENT_MISMATCH:  # PaymentMismatchAlarm: a person looks at the order
        metrics.add_metric(name="PaymentMismatches", unit=MetricUnit.Count, value=1)
        logger.warning("payment does not match its order", stripe_event_id=event.id, order_id=event.order_id)
    return WebhookReceived(event_id=event.id, result=result.value)


@logger.inject_lambda_context(clear_state=True, correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
