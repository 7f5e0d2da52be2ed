"""Request and response models of the shipping connector: rates for a cart, shipment labels."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Literal

from pydantic import Field

from commerce.api.models import Mirror, MoneyOut
from commerce.domain.carrier_rates import CarrierLabel, ShippingOption, ShippingRates


class ShippingOptionOut(Mirror):
    source: Literal["zone", "carrier"] = Field(
        description="`zone`: the merchant's rate, what checkout charges; `carrier`: a live carrier quote."
    )
    carrier: str | None = None
    service_code: str
    name: str
    price: MoneyOut
    min_days: int
    max_days: int

    @classmethod
    def of(cls, option: ShippingOption) -> ShippingOptionOut:
        return cls.copying(
            option,
            source="zone" if option.source == "zone" else "carrier",
            price=MoneyOut.of(option.price),
        )


class ShippingRatesOut(Mirror):
    cart_id: str
    country: str
    postal_code: str | None = None
    currency: str
    weight_grams: int
    origin_location: str = Field(description="The stock location the parcel would most likely leave from.")
    options: list[ShippingOptionOut] = Field(description="Cheapest first; the zone rate is always there.")
    live_rates: Literal["included", "unavailable", "not_configured"]
    live_rates_problem: str | None = Field(default=None, description="Why live rates are missing.")

    @classmethod
    def of(cls, rates: ShippingRates) -> ShippingRatesOut:
        return cls.copying(
            rates,
            options=[ShippingOptionOut.of(option) for option in rates.options],
            live_rates=rates.live_rates.value,
        )


class ShipmentLabelOut(Mirror):
    shipment_id: str
    carrier: str
    tracking_number: str
    format: Literal["PDF", "ZPL"]
    content_type: str
    size_bytes: int
    sha256: str
    stored_at: datetime
    content_base64: str = Field(description="The label document itself, base64.")

    @classmethod
    def of(cls, label: CarrierLabel, stored_at: datetime) -> ShipmentLabelOut:
        return cls.copying(
            label,
            format=label.format.value,
            content_type=label.format.content_type,
            size_bytes=len(label.content),
            stored_at=stored_at,
            content_base64=base64.b64encode(label.content).decode(),
        )
