"""Stripe webhook signatures, checked with the SDK on the raw body before anything is read from it."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import stripe

from commerce.domain.errors import DependencyFailed
from commerce.domain.payment_events import InvalidSignature, StripeEvent


class StripeWebhookVerifier:
    """`verify(raw_body, Stripe-Signature header)` -> the event; InvalidSignature if it was not signed with
    our secret within Stripe's default tolerance (five minutes, against replays)."""

    def __init__(self, secret: Callable[[], Mapping[str, str]]) -> None:
        self._secret = secret

    def verify(self, body: str | bytes, signature: str | None) -> StripeEvent:
        if not signature:
            raise InvalidSignature("the Stripe-Signature header is missing")
        try:
            payload = body.decode("utf-8") if isinstance(body, bytes) else body
        except UnicodeDecodeError as error:  # Stripe signs UTF-8 JSON: these bytes are not what it sent
            raise InvalidSignature("the body is not the UTF-8 text Stripe signs") from error
        webhook_secret = self._secret().get("webhook_secret")
        if not webhook_secret:
            raise DependencyFailed("the Stripe secret holds no webhook_secret")
        try:
            stripe.WebhookSignature.verify_header(
                payload, signature, webhook_secret, tolerance=stripe.Webhook.DEFAULT_TOLERANCE
            )
        except stripe.SignatureVerificationError as error:
            raise InvalidSignature("the Stripe-Signature does not match the body") from error
        try:
            document: Any = json.loads(payload)
        except json.JSONDecodeError as error:
            raise InvalidSignature("the signed body is not JSON") from error
        if not isinstance(document, Mapping):
            raise InvalidSignature("the signed body is not a Stripe event")
        return StripeEvent.parse(document)
