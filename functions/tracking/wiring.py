"""What the routes of this function use, built once at cold start by the composition root."""

from __future__ import annotations

from commerce.composition import fulfillment
from commerce.config import Settings

settings = Settings.from_env()
carrier_events = fulfillment.carrier_events(settings)
check_signature = fulfillment.carrier_signature_check(settings)
labels = fulfillment.shipment_labels(settings)
