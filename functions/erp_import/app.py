"""ERP stock levels in: `POST /integrations/erp/stock` (authenticated by the integration's key), CSV files
dropped under erp/stock/ in the ERP bucket (dropped_files.py), and the staff routes managing the
integrations' keys. docs/erp-stock.md."""

from __future__ import annotations

from typing import Any

import dropped_files
import erp_keys
import stock_counts
from aws_lambda_powertools.utilities.typing import LambdaContext
from wiring import settings

from commerce.api.resolver import create_resolver, http_handler

app = create_resolver(settings.staff_roles)
app.include_router(stock_counts.router)
app.include_router(erp_keys.router)
requests = http_handler(app)


def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """The function's one entry: the ERP import queue's messages to dropped_files.py, requests to routes."""
    entry = dropped_files.lambda_handler if "Records" in event else requests
    return entry(event, context)
