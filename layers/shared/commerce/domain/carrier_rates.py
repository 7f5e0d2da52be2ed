"""Shipping rates and labels: the parcel a cart makes, the carrier's quotes
for it beside the merchant's zone rate, and the label document a carrier issues for a booked shipment.

Pure: no I/O. A carrier quote is only offered in the cart's currency (no conversion, as for prices), and the
zone rate is always there, so a carrier that is down or slow never leaves the shopper without a price.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from commerce.domain.errors import EmptyCart
from commerce.domain.fulfillment import distance
from commerce.domain.money import Money
from commerce.domain.regions import ShippingQuote

ZONE_SOURCE = "zone"
CARRIER_SOURCE = "carrier"


@dataclass(frozen=True, slots=True)
class RateRequest:
    """What a carrier needs to quote: one parcel, from a stock location to a destination."""

    reference: str  # the cart id: lets a carrier cache or trace its quotes
    weight_grams: int
    origin_location: str
    origin_country: str | None
    country: str
    postal_code: str | None
    currency: str


@dataclass(frozen=True, slots=True)
class CarrierRate:
    carrier: str
    service_code: str
    service_name: str
    price: Money
    min_days: int
    max_days: int


class LiveRates(enum.StrEnum):
    INCLUDED = "included"  # the carrier answered (its quotes in another currency are left out)
    UNAVAILABLE = "unavailable"  # down, slow or nonsense: the zone rate still answers
    NOT_CONFIGURED = "not_configured"


@dataclass(frozen=True, slots=True)
class ShippingOption:
    source: str  # zone | carrier
    carrier: str | None
    service_code: str
    name: str
    price: Money
    min_days: int
    max_days: int


@dataclass(frozen=True, slots=True)
class ShippingRates:
    """What the storefront shows for a cart and a destination."""

    cart_id: str
    country: str
    postal_code: str | None
    currency: str
    weight_grams: int
    origin_location: str
    options: tuple[ShippingOption, ...]
    live_rates: LiveRates
    live_rates_problem: str | None = None


def parcel_weight(quantities: Mapping[str, int], unit_weights: Mapping[str, int]) -> int:
    """The parcel's weight: each line's quantity times its product's weight per unit (0 when unknown).
    An empty cart has nothing to ship: 422 `empty-cart`."""
    if not any(quantity > 0 for quantity in quantities.values()):
        raise EmptyCart("the cart has nothing to ship")
    return sum(unit_weights.get(sku, 0) * quantity for sku, quantity in quantities.items() if quantity > 0)


def origin_for(country: str, location_countries: Mapping[str, str]) -> tuple[str, str | None]:
    """The stock location a parcel to `country` would leave from, as fulfillment prefers (nearest, then by
    id): (location, its country). Stock is not consulted: a quote is an estimate, fulfillment decides."""
    if not location_countries:
        return "default", None
    location = min(location_countries, key=lambda loc: (distance(location_countries[loc], country), loc))
    return location, location_countries[location]


def zone_option(quote: ShippingQuote) -> ShippingOption:
    return ShippingOption(
        source=ZONE_SOURCE,
        carrier=None,
        service_code=f"zone:{quote.zone}",
        name=f"Standard ({quote.zone})",
        price=quote.fee,
        min_days=quote.min_days,
        max_days=quote.max_days,
    )


def merge_options(
    zone: ShippingQuote, quotes: Iterable[CarrierRate], currency: str
) -> tuple[ShippingOption, ...]:
    """The zone rate and the carrier's quotes in the cart's currency (one per service code, the cheapest),
    cheapest first, then fastest, zone rate first on a tie."""
    by_code: dict[str, CarrierRate] = {}
    for rate in quotes:
        if rate.price.currency != currency or rate.price.amount < 0:
            continue
        kept = by_code.get(rate.service_code)
        if kept is None or rate.price.amount < kept.price.amount:
            by_code[rate.service_code] = rate
    carrier_options = [
        ShippingOption(
            CARRIER_SOURCE, r.carrier, r.service_code, r.service_name, r.price, r.min_days, r.max_days
        )
        for r in by_code.values()
    ]
    options = [zone_option(zone), *carrier_options]
    return tuple(
        sorted(
            options,
            key=lambda o: (o.price.amount, o.max_days, o.source != ZONE_SOURCE, o.service_code),
        )
    )


# labels


class LabelFormat(enum.StrEnum):
    PDF = "PDF"
    ZPL = "ZPL"

    @property
    def content_type(self) -> str:
        return "application/pdf" if self is LabelFormat.PDF else "application/x-zpl"

    @property
    def extension(self) -> str:
        return "pdf" if self is LabelFormat.PDF else "zpl"


@dataclass(frozen=True, slots=True)
class CarrierLabel:
    shipment_id: str
    carrier: str
    tracking_number: str
    format: LabelFormat
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def simulated_label(shipment_id: str, tracking_number: str, ship_from: str, destination: str) -> bytes:
    """A small, valid, deterministic one-page PDF naming the parcel (the same bytes for the same shipment)."""
    text = [
        f"SIMULATED CARRIER - {tracking_number}",
        f"Shipment {shipment_id}",
        f"{ship_from} -> {destination}",
    ]
    lines = "".join(f"({_pdf_escape(t)}) Tj 0 -18 Td " for t in text)
    stream = f"BT /F1 12 Tf 20 120 Td {lines}ET".encode("latin-1", "replace")
    objects: Sequence[bytes] = (
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 180] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
