"""What the routes of this function use, built once at cold start by the composition root."""

from __future__ import annotations

from commerce import bootstrap
from commerce.config import Settings

settings = Settings.from_env()
carrier_events = bootstrap.carrier_events(settings)
check_signature = bootstrap.carrier_signature_check(settings)
labels = bootstrap.shipment_labels(settings)
