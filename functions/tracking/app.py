"""Carrier tracking: signed webhooks applied to their shipment once and in any order
(`POST /webhooks/carriers/{carrier}`) and shipment labels for staff. The fulfillment state machine's waits
are another Lambda from this folder (milestone_waits.py)."""

from __future__ import annotations

import carrier_webhooks
import shipment_labels
from wiring import settings

from commerce.api.resolver import create_resolver, http_handler

app = create_resolver(settings.staff_roles)
app.include_router(carrier_webhooks.router)
app.include_router(shipment_labels.router)
lambda_handler = http_handler(app)
