"""The generic HTTP carrier against a carrier stand-in on 127.0.0.1, and the webhook signature check."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from commerce.adapters.carriers import HttpCarrier, sign, verify
from commerce.domain.errors import DependencyFailed
from commerce.domain.fulfillment import Pick, Shipment
from commerce.domain.payment_events import InvalidSignature
from commerce.domain.ports import CarrierBooking
from commerce.domain.refunds import AlreadyShipped
from tests.http_partner import serving

SECRET = {"api_key": "key-123", "signing_secret": "sign-456", "webhook_secret": "hook-789"}


class Partner(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
        verify(SECRET["signing_secret"], self.headers["X-Signature"], body)  # raises: the test sees a 500
        if self.path.endswith("/shipments/void"):  # the partner has the parcel SCANNED1 already
            scanned = json.loads(body)["tracking_number"] == "SCANNED1"
            self._answer(409 if scanned else 200, {"voided": not scanned})
            return
        self._answer(201, {"tracking_number": "PTN1", "tracking_url": "https://partner.example/PTN1"})

    def _answer(self, status: int, payload: dict[str, Any]) -> None:
        answer = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def partner() -> Iterator[str]:
    Partner.received = []
    with serving(Partner) as port:
        yield f"http://127.0.0.1:{port}/v1/"


SHIPMENT = Shipment("o-1-1", "o-1", "wh-paris", (Pick("A", "wh-paris", 2),), "partner", "", "")


def test_a_booking_is_signed_authenticated_and_idempotent_per_shipment(partner: str) -> None:
    carrier = HttpCarrier("partner", partner, lambda: SECRET)

    booking = carrier.book(SHIPMENT, {"country": "FR", "city": "Paris"})

    assert (booking.tracking_number, booking.tracking_url) == ("PTN1", "https://partner.example/PTN1")
    (request,) = Partner.received
    assert request["path"] == "/v1/shipments"
    assert request["headers"]["Authorization"] == "Bearer key-123"
    assert request["headers"]["Idempotency-Key"] == "o-1-1"
    assert json.loads(request["body"])["items"] == [{"sku": "A", "quantity": 2}]


def test_a_void_is_signed_and_idempotent_and_a_scanned_parcel_is_refused_as_already_shipped(
    partner: str,
) -> None:
    carrier = HttpCarrier("partner", partner, lambda: SECRET)

    carrier.void(CarrierBooking("PTN1", "https://partner.example/PTN1"))
    with pytest.raises(AlreadyShipped) as refused:
        carrier.void(CarrierBooking("SCANNED1", ""))

    assert refused.value.status == 409 and refused.value.extensions["reason"] == "carrier_has_parcel"
    first, second = Partner.received
    assert first["path"] == "/v1/shipments/void" and first["headers"]["Idempotency-Key"] == "void-PTN1"
    assert json.loads(second["body"]) == {"tracking_number": "SCANNED1"}


def test_a_void_the_carrier_cannot_answer_is_a_dependency_failure_not_a_refusal() -> None:
    carrier = HttpCarrier("partner", "http://127.0.0.1:9", lambda: SECRET, timeout=1)
    with pytest.raises(DependencyFailed):
        carrier.void(CarrierBooking("PTN1", ""))


def test_a_carrier_that_cannot_be_reached_is_a_dependency_failure() -> None:
    carrier = HttpCarrier("partner", "http://127.0.0.1:9", lambda: SECRET, timeout=1)
    with pytest.raises(DependencyFailed):
        carrier.book(SHIPMENT, {"country": "FR"})


def test_a_webhook_signature_must_match_the_body_and_be_recent() -> None:
    body = b'{"event_id": "e1"}'
    now = int(time.time())

    verify("hook-789", sign("hook-789", now, body), body)
    for header in (
        None,
        sign("other", now, body),
        sign("hook-789", now, body + b" "),
        sign("hook-789", now - 301, body),
        "t=x,v1=y",
    ):
        with pytest.raises(InvalidSignature):
            verify("hook-789", header, body)
