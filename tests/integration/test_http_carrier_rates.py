"""The generic HTTP carrier's rates and labels against a carrier stand-in on 127.0.0.1: signed like
bookings, a slow carrier times out as a dependency failure, nonsense answers are refused."""

from __future__ import annotations

import base64
import contextlib
import json
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from commerce.adapters.carriers import HttpCarrier, verify
from commerce.domain.carrier_rates import LabelFormat, RateRequest
from commerce.domain.errors import DependencyFailed
from commerce.domain.fulfillment import Pick, Shipment
from commerce.domain.money import Money
from tests.http_partner import serving

SECRET = {"api_key": "key-123", "signing_secret": "sign-456", "webhook_secret": "hook-789"}
REQUEST = RateRequest("cart-1", 2400, "wh-paris", "FR", "DE", "10115", "EUR")
SHIPMENT = Shipment("o-1-1", "o-1", "wh-paris", (Pick("A", "wh-paris", 2),), "partner", "PTN1", "")
RATES = {
    "rates": [
        {
            "service_code": "eco",
            "service_name": "Economy",
            "amount": 650,
            "currency": "EUR",
            "min_days": 3,
            "max_days": 5,
        },
        {"service_code": "exp", "amount": 1890, "currency": "eur", "min_days": 1, "max_days": 1},
    ]
}


class Partner(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []
    answers: dict[str, Any] = {}
    delay = 0.0

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
        verify(SECRET["signing_secret"], self.headers["X-Signature"], body)  # raises: the test sees a 500
        time.sleep(self.delay)  # the stand-in being slow, not the test waiting
        answer = json.dumps(self.answers[self.path]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        # The carrier's client may have given up waiting: what the timeout tests want.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(answer)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def partner() -> Iterator[str]:
    Partner.received, Partner.delay = [], 0.0
    Partner.answers = {
        "/v1/rates": RATES,
        "/v1/shipments/o-1-1/label": {
            "format": "zpl",
            "content_base64": base64.b64encode(b"^XA^XZ").decode(),
        },
    }
    with serving(Partner) as port:
        yield f"http://127.0.0.1:{port}/v1/"


def test_rates_are_asked_signed_for_the_parcel_and_read_in_minor_units(partner: str) -> None:
    carrier = HttpCarrier("partner", partner, lambda: SECRET)

    eco, exp = carrier.rates(REQUEST)

    assert (eco.service_code, eco.service_name, eco.price, eco.min_days, eco.max_days) == (
        "eco",
        "Economy",
        Money(650, "EUR"),
        3,
        5,
    )
    assert (exp.service_name, exp.price) == ("exp", Money(1890, "EUR"))
    (request,) = Partner.received
    assert request["headers"]["Authorization"] == "Bearer key-123"
    assert json.loads(request["body"]) == {
        "reference": "cart-1",
        "weight_grams": 2400,
        "ship_from": {"location": "wh-paris", "country": "FR"},
        "ship_to": {"country": "DE", "postal_code": "10115"},
        "currency": "EUR",
    }


def test_a_carrier_slower_than_the_rates_timeout_is_a_dependency_failure(partner: str) -> None:
    Partner.delay = 1.0
    carrier = HttpCarrier("partner", partner, lambda: SECRET, rates_timeout=0.2)
    started = time.monotonic()
    with pytest.raises(DependencyFailed):
        carrier.rates(REQUEST)
    assert time.monotonic() - started < 0.9


@pytest.mark.parametrize(
    "answer",
    [
        {"rates": [{**RATES["rates"][0], "amount": 6.5}]},  # a float is never money
        {"rates": [{**RATES["rates"][0], "currency": "XYZ"}]},
        {"rates": [{**RATES["rates"][0], "min_days": 5, "max_days": 2}]},
        {"quotes": []},
        ["not", "an", "object"],
    ],
)
def test_rates_the_carrier_answers_in_a_shape_we_cannot_trust_are_refused(partner: str, answer: Any) -> None:
    Partner.answers["/v1/rates"] = answer
    with pytest.raises(DependencyFailed):
        HttpCarrier("partner", partner, lambda: SECRET).rates(REQUEST)


def test_a_label_is_requested_signed_and_idempotent_per_shipment(partner: str) -> None:
    carrier = HttpCarrier("partner", partner, lambda: SECRET)

    label = carrier.label(SHIPMENT, {"country": "FR", "city": "Paris"})

    assert (label.shipment_id, label.tracking_number, label.format, label.content) == (
        "o-1-1",
        "PTN1",
        LabelFormat.ZPL,
        b"^XA^XZ",
    )
    (request,) = Partner.received
    assert request["path"] == "/v1/shipments/o-1-1/label"
    assert request["headers"]["Idempotency-Key"] == "o-1-1-label"
    assert json.loads(request["body"])["tracking_number"] == "PTN1"


def test_a_label_that_is_not_base64_is_refused(partner: str) -> None:
    Partner.answers["/v1/shipments/o-1-1/label"] = {"format": "PDF", "content_base64": "%%% not base64"}
    with pytest.raises(DependencyFailed):
        HttpCarrier("partner", partner, lambda: SECRET).label(SHIPMENT, {"country": "FR"})


def test_a_slow_http_carrier_leaves_the_cart_its_zone_rate_in_good_time(partner: str) -> None:
    from tests.unit.test_shipping_rates import Shop  # noqa: PLC0415 - the in-memory shop of the unit tests

    Partner.delay = 1.0
    shop = Shop(HttpCarrier("partner", partner, lambda: SECRET, rates_timeout=0.2))
    cart_id, token = shop.cart()
    started = time.monotonic()

    rates = shop.rates.for_guest_cart(cart_id, token, "DE", "10115", "en")

    assert time.monotonic() - started < 0.9
    assert rates.live_rates.value == "unavailable" and "partner" in (rates.live_rates_problem or "")
    assert [option.service_code for option in rates.options] == ["zone:eu"]


def test_credentials_that_cannot_be_read_are_a_dependency_failure_not_a_crash() -> None:
    def unreadable() -> dict[str, str]:
        raise RuntimeError("Secrets Manager is unreachable")

    with pytest.raises(DependencyFailed):
        HttpCarrier("partner", "http://127.0.0.1:9", unreadable).rates(REQUEST)
