"""Stock counts an ERP sends over HTTP with its integration key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from wiring import credentials, importer

from commerce.api.access import ApiKey, api_key, no_key
from commerce.api.erp_models import (
    StockBatchIn,
    StockImportOut,
)
from commerce.api.routing import CommerceRouter
from commerce.domain.erp_stock import ErpCredential, parse_lines
from commerce.observability import metrics

router = CommerceRouter()

NO_KEY = no_key("No valid ERP integration key in the X-Api-Key header.")


def _authenticated(event: Mapping[str, Any]) -> ErpCredential:
    """The integration whose valid key the request carries (else Unauthorized)."""
    return credentials.authenticate(api_key(event))


erp_key = ApiKey("erp", _authenticated)


@router.post(
    "/integrations/erp/stock",
    access=erp_key.access,
    summary="Counted stock levels from the ERP: each line sets on hand at its location (idempotent)",
    description="Authenticated by an ERP integration key in the X-Api-Key header. Valid lines apply, the "
    "others are listed with their reason; the same batch id again changes nothing and gets the same answer.",
    responses={
        200: {
            "description": "Applied and rejected lines",
            "content": {"application/json": {"model": StockImportOut}},
        },
        409: {
            "description": "The batch id was used before with other lines.",
            "content": {"application/problem+json": {"schema": {"type": "object"}}},
        },
        **NO_KEY,
    },
)
def import_stock(body: StockBatchIn) -> StockImportOut:
    integration = erp_key.caller()  # authenticated by the gate, before the request was validated
    batch = parse_lines([line.model_dump() for line in body.lines])
    result = importer.apply(integration.id, body.batch_id, batch)
    metrics.add_metric(name="ErpStockLinesApplied", unit=MetricUnit.Count, value=len(result.applied))
    return StockImportOut.of(result)
