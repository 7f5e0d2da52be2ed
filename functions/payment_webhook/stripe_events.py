"""Stripe's signed webhook events."""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit
from pydantic import BaseModel
from wiring import payment_events, verifier

from commerce.api.access import PUBLIC
from commerce.api.routing import CommerceRouter, header
from commerce.api.webhook_requests import webhook_body
from commerce.observability import follow_order, logger, metrics
from commerce.services.payment_events import Applied

router = CommerceRouter()


class WebhookReceived(BaseModel):
    received: bool = True
    event_id: str
    result: str


@router.post("/webhooks/stripe", access=PUBLIC, summary="Stripe webhook (signed with the endpoint's secret)")
def stripe_webhook() -> WebhookReceived:
    # The bytes Stripe sent (size and encoding checked, API Gateway's base64 undone, not yet decoded as
    # text): the signature covers them, and the verifier reads the JSON only once it holds.
    event = verifier.verify(webhook_body(router), header(router, "stripe-signature"))
    if event.order_id:
        follow_order(event.order_id)
    result = payment_events.handle(event)
    logger.info("stripe event handled", stripe_event_id=event.id, stripe_event_type=event.type, result=result)
    metrics.add_metric(name="StripeEvents", unit=MetricUnit.Count, value=1)
    if result is Applied.PAYMENT_MISMATCH:  # PaymentMismatchAlarm: a person looks at the order
        metrics.add_metric(name="PaymentMismatches", unit=MetricUnit.Count, value=1)
        logger.warning("payment does not match its order", stripe_event_id=event.id, order_id=event.order_id)
    return WebhookReceived(event_id=event.id, result=result.value)
