"""Carrier tracking: signed webhooks applied to their shipment once and in any order
(`POST /webhooks/carriers/{carrier}`), shipment labels for staff, and the fulfillment state machine's waits
(milestone_waits.py)."""

from __future__ import annotations

from typing import Any

import carrier_webhooks
import milestone_waits
import shipment_labels
from aws_lambda_powertools.utilities.typing import LambdaContext
from wiring import settings

from commerce.api.resolver import create_resolver, http_handler

app = create_resolver(settings.staff_roles)
app.include_router(carrier_webhooks.router)
app.include_router(shipment_labels.router)
requests = http_handler(app)


def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """The function's one entry: the state machine's waits to milestone_waits.py, requests to routes."""
    entry = milestone_waits.lambda_handler if event.get("step") == "await" else requests
    return entry(event, context)
