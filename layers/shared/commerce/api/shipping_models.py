"""Request and response models of the shipping connector: rates for a cart, shipment labels."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from commerce.api.models import MoneyOut
from commerce.domain.carrier_rates import CarrierLabel, ShippingOption, ShippingRates


class ShippingOptionOut(BaseModel):
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
        return cls(
            source="zone" if option.source == "zone" else "carrier",
            carrier=option.carrier,
            service_code=option.service_code,
            name=option.name,
            price=MoneyOut.of(option.price),
            min_days=option.min_days,
            max_days=option.max_days,
        )


class ShippingRatesOut(BaseModel):
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
        return cls(
            cart_id=rates.cart_id,
            country=rates.country,
            postal_code=rates.postal_code,
            currency=rates.currency,
            weight_grams=rates.weight_grams,
            origin_location=rates.origin_location,
            options=[ShippingOptionOut.of(option) for option in rates.options],
            live_rates=rates.live_rates.value,
            live_rates_problem=rates.live_rates_problem,
        )


class ShipmentLabelOut(BaseModel):
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
        return cls(
            shipment_id=label.shipment_id,
            carrier=label.carrier,
            tracking_number=label.tracking_number,
            format=label.format.value,
            content_type=label.format.content_type,
            size_bytes=len(label.content),
            sha256=label.sha256,
            stored_at=stored_at,
            content_base64=base64.b64encode(label.content).decode(),
        )
