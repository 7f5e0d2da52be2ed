"""Every public webhook (Stripe's, a carrier's) checks size, encoding and signature before it reads the body,
and refuses what fails with a 4xx problem: these routes are open to anyone, and a 500 feeds the alarms."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from commerce.adapters.carriers import sign
from commerce.api.webhook_requests import WEBHOOK_MAX_BYTES

from .conftest import Stack, sample_event
from .test_payment_webhook_handler import webhook_secret as stripe_secret
from .test_tracking_handler import _secret as carrier_secret

NOT_UTF8 = b'{"id": "evt_\xff\xfe", "type": "payment_intent.succeeded"}'


def _stripe(stack: Stack, body: bytes, sign_it: bool = True) -> dict[str, Any]:
    event = sample_event("payment-webhook-succeeded.json", ORDER_ID="o", EVENT_ID="e", PAYMENT_INTENT_ID="p")
    timestamp = int(time.time())
    # Stripe's scheme over the bytes as they are (the SDK's helper takes text only)
    mac = hmac.new(stripe_secret(stack).encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    event["headers"]["stripe-signature"] = f"t={timestamp},v1={mac if sign_it else '0' * 64}"
    event["body"], event["isBase64Encoded"] = base64.b64encode(body).decode(), True
    return event


def _carrier(stack: Stack, body: bytes, sign_it: bool = True) -> dict[str, Any]:
    event = sample_event("carrier-webhook.json", EVENT_ID="e", TRACKING_NUMBER="t", STATUS="in_transit")
    secret = carrier_secret() if sign_it else "not-the-secret"
    event["headers"]["x-carrier-signature"] = sign(secret, int(time.time()), body)
    event["body"], event["isBase64Encoded"] = base64.b64encode(body).decode(), True
    return event


WEBHOOKS: dict[str, tuple[str, Callable[..., dict[str, Any]]]] = {
    "stripe": ("PaymentWebhookFunction", _stripe),
    "carrier": ("TrackingFunction", _carrier),
}


def _call(stack: Stack, webhook: str, event: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    function, _ = WEBHOOKS[webhook]
    status, headers, body = stack.call(function, event)
    assert headers.get("Content-Type", headers.get("content-type")) == "application/problem+json", body
    return status, body


@pytest.mark.parametrize("webhook", list(WEBHOOKS))
@pytest.mark.parametrize("signed", [True, False])
def test_a_body_that_is_not_utf8_is_a_400_whether_or_not_it_is_signed(
    stack: Stack, webhook: str, signed: bool
) -> None:
    status, body = _call(stack, webhook, WEBHOOKS[webhook][1](stack, NOT_UTF8, signed))
    assert status == 400, body
    assert body["type"].rsplit("/", 1)[1] in {"invalid-signature", "unreadable-body"}


@pytest.mark.parametrize("webhook", list(WEBHOOKS))
def test_a_body_over_the_limit_is_a_413_before_its_signature_is_computed(stack: Stack, webhook: str) -> None:
    huge = b'{"padding": "' + b"x" * WEBHOOK_MAX_BYTES + b'"}'
    encoded = WEBHOOKS[webhook][1](stack, huge)
    plain = dict(encoded, body=huge.decode(), isBase64Encoded=False)

    for event in (encoded, plain):
        status, body = _call(stack, webhook, event)
        assert status == 413 and body["type"].endswith("/payload-too-large"), body


@pytest.mark.parametrize("webhook", list(WEBHOOKS))
def test_a_wrong_signature_is_a_400_even_on_a_body_that_is_not_json(stack: Stack, webhook: str) -> None:
    status, body = _call(stack, webhook, WEBHOOKS[webhook][1](stack, b"\x00\x01 not json", False))
    assert status == 400 and body["type"].endswith("/invalid-signature"), body


@pytest.mark.parametrize("webhook", list(WEBHOOKS))
def test_a_body_that_is_not_valid_base64_is_a_400(stack: Stack, webhook: str) -> None:
    event = WEBHOOKS[webhook][1](stack, b"{}")
    event["body"] = "not*base64!"
    status, body = _call(stack, webhook, event)
    assert status == 400 and body["type"].endswith("/unreadable-body"), body


@pytest.mark.parametrize("webhook", list(WEBHOOKS))
def test_a_compressed_body_is_a_400_and_never_inflated(stack: Stack, webhook: str) -> None:
    event = WEBHOOKS[webhook][1](stack, b"\x1f\x8b\x08\x00 a gzip stream")
    event["headers"]["content-encoding"] = "gzip"
    status, body = _call(stack, webhook, event)
    assert status == 400 and body["type"].endswith("/unreadable-body"), body


def test_a_signed_carrier_body_that_is_not_json_is_a_400(stack: Stack) -> None:
    status, body = _call(stack, "carrier", _carrier(stack, b"tracking: yes"))
    assert status == 400 and body["type"].endswith("/unreadable-body"), body


def test_a_signed_carrier_json_that_is_not_a_tracking_update_is_a_400(stack: Stack) -> None:
    status, body = _call(stack, "carrier", _carrier(stack, json.dumps([1, 2]).encode()))
    assert status == 400 and body["type"].endswith("/invalid-request"), body
