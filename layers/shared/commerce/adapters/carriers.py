"""Carriers behind the `Carrier` port: a generic HTTP carrier (signed requests) and a simulated one."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any

from commerce.domain.errors import DependencyFailed
from commerce.domain.fulfillment import Shipment
from commerce.domain.payment_events import InvalidSignature
from commerce.domain.ports import CarrierBooking

SIGNATURE_TOLERANCE_SECONDS = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the header both directions use."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str | None, body: bytes, now: float | None = None) -> None:
    """InvalidSignature (400, as for Stripe's) unless the header signs this body with the secret, in time."""
    if not header:
        raise InvalidSignature("missing carrier signature")
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        raise InvalidSignature("malformed carrier signature") from None
    if abs((now if now is not None else time.time()) - timestamp) > SIGNATURE_TOLERANCE_SECONDS:
        raise InvalidSignature("carrier signature too old")
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    if not hmac.compare_digest(expected, parts.get("v1", "")):
        raise InvalidSignature("carrier signature does not match")


def booking_request(shipment: Shipment, destination: Mapping[str, str]) -> dict[str, Any]:
    return {
        "reference": shipment.id,
        "order_id": shipment.order_id,
        "ship_from": shipment.location,
        "ship_to": dict(destination),
        "items": [{"sku": p.sku, "quantity": p.quantity} for p in shipment.lines],
    }


class HttpCarrier:
    """Any logistics partner speaking this JSON over HTTPS: `POST <endpoint>/shipments` with the booking,
    an API key, an `Idempotency-Key` (the shipment id) and an HMAC signature of the body; answers
    `{"tracking_number", "tracking_url"}`."""

    def __init__(
        self, name: str, endpoint: str, credentials: Callable[[], Mapping[str, str]], timeout: float = 5.0
    ) -> None:
        self.name, self._endpoint, self._credentials, self._timeout = (
            name,
            endpoint.rstrip("/"),
            credentials,
            timeout,
        )

    def book(self, shipment: Shipment, destination: Mapping[str, str]) -> CarrierBooking:
        secret = self._credentials()
        body = json.dumps(booking_request(shipment, destination), separators=(",", ":")).encode()
        request = urllib.request.Request(  # noqa: S310 - the endpoint is the merchant's configured https URL
            f"{self._endpoint}/shipments",
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {secret.get('api_key', '')}",
                "Idempotency-Key": shipment.id,
                "X-Signature": sign(
                    secret.get("signing_secret", secret.get("webhook_secret", "")), int(time.time()), body
                ),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:  # noqa: S310
                answer = json.loads(response.read())
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            raise DependencyFailed(f"carrier {self.name} did not book shipment {shipment.id}") from error
        return CarrierBooking(str(answer["tracking_number"]), str(answer.get("tracking_url", "")))


class SimulatedCarrier:
    """The local stack's carrier: books at once with a tracking number derived from the shipment id (so a
    repeat gets the same one); `python -m local.carrier` sends its tracking webhooks later."""

    name = "simulated"

    def __init__(self, tracking_base: str = "https://tracking.example/simulated/") -> None:
        self._tracking_base = tracking_base

    def book(self, shipment: Shipment, destination: Mapping[str, str]) -> CarrierBooking:
        number = "SIM" + hashlib.sha256(shipment.id.encode()).hexdigest()[:12].upper()
        return CarrierBooking(number, self._tracking_base + number)
