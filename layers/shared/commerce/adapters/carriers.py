"""Carriers behind the `Carrier` port: a generic HTTP carrier (signed requests) and a simulated one."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any, Protocol

from commerce.domain.carrier_rates import CarrierLabel, CarrierRate, LabelFormat, RateRequest, simulated_label
from commerce.domain.currency import currency as lookup_currency
from commerce.domain.errors import CommerceError, DependencyFailed
from commerce.domain.fulfillment import Shipment, distance
from commerce.domain.money import Money
from commerce.domain.payment_events import InvalidSignature
from commerce.domain.ports import CarrierBooking
from commerce.domain.refunds import AlreadyShipped

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


class CarrierRefused(Exception):
    """The carrier answered 409: what was asked contradicts what it knows (a void of a scanned parcel)."""


class HttpCarrier:
    """Any logistics partner speaking this JSON over HTTPS: `POST <endpoint>/shipments` with the booking,
    an API key, an `Idempotency-Key` (the shipment id) and an HMAC signature of the body; answers
    `{"tracking_number", "tracking_url"}`."""

    def __init__(
        self,
        name: str,
        endpoint: str,
        credentials: Callable[[], Mapping[str, str]],
        timeout: float = 5.0,
        rates_timeout: float = 2.0,
    ) -> None:
        self.name, self._endpoint, self._credentials, self._timeout = (
            name,
            endpoint.rstrip("/"),
            credentials,
            timeout,
        )
        self._rates_timeout = rates_timeout

    def book(self, shipment: Shipment, destination: Mapping[str, str]) -> CarrierBooking:
        try:
            answer = self._post("/shipments", booking_request(shipment, destination), shipment.id)
        except DependencyFailed as error:
            raise DependencyFailed(f"carrier {self.name} did not book shipment {shipment.id}") from error
        return CarrierBooking(str(answer["tracking_number"]), str(answer.get("tracking_url", "")))

    # shipping connector: rates and labels, signed as bookings are
    def rates(self, request: RateRequest) -> list[CarrierRate]:
        """`POST <endpoint>/rates`, answered `{"rates": [{service_code, service_name, amount, currency,
        min_days, max_days}]}`; with the shorter `rates_timeout`: a shopper is waiting."""
        answer = self._post("/rates", rate_request(request), None, self._rates_timeout)
        try:
            return [parse_rate(self.name, item) for item in answer["rates"]]
        except (KeyError, TypeError, ValueError) as error:
            raise DependencyFailed(f"carrier {self.name} answered rates we cannot read") from error

    def label(self, shipment: Shipment, destination: Mapping[str, str]) -> CarrierLabel:
        """`POST <endpoint>/shipments/<id>/label` (Idempotency-Key `<id>-label`), answered `{"format": "PDF"|
        "ZPL", "content_base64"}`."""
        payload = {**booking_request(shipment, destination), "tracking_number": shipment.tracking_number}
        answer = self._post(f"/shipments/{shipment.id}/label", payload, f"{shipment.id}-label")
        try:
            content = base64.b64decode(str(answer["content_base64"]), validate=True)
            label_format = LabelFormat(str(answer.get("format", "PDF")).upper())
        except (KeyError, ValueError, binascii.Error) as error:
            raise DependencyFailed(f"carrier {self.name} answered a label we cannot read") from error
        return CarrierLabel(shipment.id, self.name, shipment.tracking_number, label_format, content)

    def void(self, booking: CarrierBooking) -> None:
        """`POST <endpoint>/shipments/void` with the tracking number (Idempotency-Key `void-<number>`);
        the carrier answers 409 when it has the parcel already."""
        try:
            number = booking.tracking_number
            self._post("/shipments/void", {"tracking_number": number}, f"void-{number}")
        except CarrierRefused as refused:
            raise AlreadyShipped(
                f"carrier {self.name} has parcel {booking.tracking_number} already",
                reason="carrier_has_parcel",
            ) from refused

    def _post(
        self, path: str, payload: Mapping[str, Any], idempotency_key: str | None, timeout: float | None = None
    ) -> dict[str, Any]:
        """One signed JSON request (API key, HMAC of the body, idempotency key); DependencyFailed on any
        failure to reach the carrier or read its answer."""
        try:
            secret = self._credentials()
        except Exception as error:  # the secret store down: for the storefront, a carrier that cannot answer
            raise DependencyFailed(f"carrier {self.name} credentials could not be read") from error
        body = json.dumps(payload, separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {secret.get('api_key', '')}",
            "X-Signature": sign(
                secret.get("signing_secret", secret.get("webhook_secret", "")), int(time.time()), body
            ),
        }
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        request = urllib.request.Request(  # noqa: S310 - the endpoint is the merchant's configured https URL
            f"{self._endpoint}{path}", data=body, method="POST", headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout or self._timeout) as response:  # noqa: S310
                answer = json.loads(response.read())
        except urllib.error.HTTPError as error:
            if error.code == HTTPStatus.CONFLICT:
                raise CarrierRefused(f"carrier {self.name} refused {path}") from error
            raise DependencyFailed(f"carrier {self.name} did not answer {path}") from error
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            raise DependencyFailed(f"carrier {self.name} did not answer {path}") from error
        if not isinstance(answer, dict):
            raise DependencyFailed(f"carrier {self.name} answered {path} with something else than an object")
        return answer


def rate_request(request: RateRequest) -> dict[str, Any]:
    return {
        "reference": request.reference,
        "weight_grams": request.weight_grams,
        "ship_from": {"location": request.origin_location, "country": request.origin_country},
        "ship_to": {"country": request.country, "postal_code": request.postal_code},
        "currency": request.currency,
    }


def parse_rate(carrier: str, item: Mapping[str, Any]) -> CarrierRate:
    """One quote as the carrier sent it; ValueError when it is not one (a float amount, a bad currency)."""
    amount = item["amount"]
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
        raise ValueError("a rate amount is a non-negative integer of minor units")
    min_days, max_days = int(item["min_days"]), int(item["max_days"])
    if not 0 <= min_days <= max_days:
        raise ValueError("delivery days out of order")
    try:
        price = Money(amount, str(item["currency"]).upper())
    except (CommerceError, TypeError) as error:  # UnknownCurrency
        raise ValueError("unknown currency") from error
    code = str(item["service_code"])[:64]
    return CarrierRate(carrier, code, str(item.get("service_name") or code)[:100], price, min_days, max_days)


class SimulatedParcels(Protocol):
    """The simulated carrier's own record of its parcels: the one place that decides whether a parcel was
    scanned or its booking voided first (a real carrier's database does the same)."""

    def scan(self, tracking_number: str) -> bool:
        """Marks the parcel scanned; False (and nothing changes) if its booking was voided."""
        ...

    def void(self, tracking_number: str) -> bool:
        """Marks the booking voided; False (and nothing changes) if the parcel was scanned."""
        ...


class SimulatedCarrier:
    """The local stack's carrier: books at once with a tracking number derived from the shipment id (so a
    repeat gets the same one); `python -m local.tools.carrier` scans parcels and sends its tracking webhooks
    later. A void is refused once the parcel was scanned, as a real carrier refuses it."""

    name = "simulated"

    def __init__(
        self, parcels: SimulatedParcels, tracking_base: str = "https://tracking.example/simulated/"
    ) -> None:
        self._tracking_base = tracking_base
        self.parcels = parcels

    def void(self, booking: CarrierBooking) -> None:
        if not self.parcels.void(booking.tracking_number):
            raise AlreadyShipped(
                f"carrier {self.name} has parcel {booking.tracking_number} already",
                reason="carrier_has_parcel",
            )

    def book(self, shipment: Shipment, destination: Mapping[str, str]) -> CarrierBooking:
        number = simulated_tracking_number(shipment.id)
        return CarrierBooking(number, self._tracking_base + number)

    # shipping connector
    def rates(self, request: RateRequest) -> list[CarrierRate]:
        """Two services priced from the parcel's weight and how far it goes; the postal code
        `SIMULATED_DOWN_POSTAL_CODE` answers as a carrier that timed out (for trying the fallback)."""
        if request.postal_code == SIMULATED_DOWN_POSTAL_CODE:
            raise DependencyFailed(f"carrier {self.name} timed out (simulated)")
        far = distance(request.origin_country, request.country)
        kilos = -(-request.weight_grams // 1000)
        unit = 10 ** lookup_currency(request.currency).exponent
        standard = (3 + 2 * far + kilos) * unit
        return [
            CarrierRate(
                self.name,
                "sim-standard",
                "Simulated Standard",
                Money(standard, request.currency),
                2 + far,
                4 + 2 * far,
            ),
            CarrierRate(
                self.name,
                "sim-express",
                "Simulated Express",
                Money(2 * standard + 5 * unit, request.currency),
                1,
                1 + far,
            ),
        ]

    def label(self, shipment: Shipment, destination: Mapping[str, str]) -> CarrierLabel:
        number = shipment.tracking_number or simulated_tracking_number(shipment.id)
        content = simulated_label(shipment.id, number, shipment.location, destination.get("country", "?"))
        return CarrierLabel(shipment.id, self.name, number, LabelFormat.PDF, content)


SIMULATED_DOWN_POSTAL_CODE = "00000"


def simulated_tracking_number(shipment_id: str) -> str:
    return "SIM" + hashlib.sha256(shipment_id.encode()).hexdigest()[:12].upper()
