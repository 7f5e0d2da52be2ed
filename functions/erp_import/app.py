"""ERP stock levels in: `POST /integrations/erp/stock` (authenticated by the integration's key), CSV files
dropped under erp/stock/ in the ERP bucket (S3 -> SQS -> here, partial batch responses), and the staff
routes managing the integrations' keys. docs/erp-stock.md."""

# No `from __future__ import annotations` here: Powertools reads the route signatures at run time.

from collections.abc import Mapping
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from commerce import bootstrap
from commerce.api.access import ApiKey, staff
from commerce.api.erp_models import (
    ErpKeyCreatedOut,
    ErpKeyIn,
    ErpKeyOut,
    ErpKeysOut,
    StockBatchIn,
    StockImportOut,
)
from commerce.api.resolver import create_resolver, created
from commerce.config import Settings
from commerce.domain.erp_stock import INTEGRATION_ID_PATTERN, ErpCredential, dropped_objects, parse_lines
from commerce.domain.errors import NotFound
from commerce.domain.permissions import Permission
from commerce.observability import logger, metrics, tracer

settings = Settings.from_env()
app = create_resolver(settings.staff_roles)
credentials, importer = bootstrap.erp_import(settings)

KEY_HEADER = "X-Api-Key"
KeyId = Annotated[str, Path(pattern=INTEGRATION_ID_PATTERN)]
NO_KEY: dict[int, OpenAPIResponse] = {
    401: {
        "description": "No valid ERP integration key in the X-Api-Key header.",
        "content": {"application/problem+json": {"schema": {"type": "object"}}},
    }
}


def _authenticated(event: Mapping[str, Any]) -> ErpCredential:
    """The integration whose valid key the request carries (else Unauthorized)."""
    headers = {str(k).lower(): v for k, v in (event.get("headers") or {}).items()}
    return credentials.authenticate(headers.get(KEY_HEADER.lower()))


erp_key = ApiKey("erp", _authenticated)


@app.post(
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
@tracer.capture_method
def import_stock(body: StockBatchIn) -> StockImportOut:
    integration = erp_key.caller()  # authenticated by the gate, before the request was validated
    batch = parse_lines([line.model_dump() for line in body.lines])
    result = importer.apply(integration.id, body.batch_id, batch)
    metrics.add_metric(name="ErpStockLinesApplied", unit=MetricUnit.Count, value=len(result.applied))
    return StockImportOut.of(result)


@app.post(
    "/admin/integrations/erp/keys",
    access=staff(Permission.INTEGRATIONS),
    summary="Create an ERP integration key; shown once",
    responses={201: {"description": "Created", "content": {"application/json": {"model": ErpKeyCreatedOut}}}},
)
@tracer.capture_method
def create_key(body: ErpKeyIn) -> Response[ErpKeyCreatedOut]:
    credential, key = credentials.create(body.name)
    logger.info("erp integration key created", integration=credential.id)
    out = ErpKeyCreatedOut(**ErpKeyOut.of(credential).model_dump(), api_key=key)
    return created(out, f"/admin/integrations/erp/keys/{credential.id}")


@app.get(
    "/admin/integrations/erp/keys",
    access=staff(Permission.INTEGRATIONS),
    summary="ERP integration keys (never their secrets)",
)
@tracer.capture_method
def list_keys() -> ErpKeysOut:
    return ErpKeysOut(items=[ErpKeyOut.of(c) for c in credentials.all()])


@app.delete(
    "/admin/integrations/erp/keys/<key_id>",
    access=staff(Permission.INTEGRATIONS),
    summary="Revoke an ERP integration key: it stops working at once",
)
@tracer.capture_method
def revoke_key(key_id: KeyId) -> ErpKeyOut:
    credential = credentials.revoke(key_id)
    logger.info("erp integration key revoked", integration=key_id)
    return ErpKeyOut.of(credential)


@tracer.capture_method
def record_handler(record: SQSRecord) -> None:
    for dropped in dropped_objects(record.body):
        try:
            result = importer.import_object(dropped.bucket, dropped.key, dropped.version, dropped.etag)
        except NotFound:
            logger.warning("erp stock file gone before its import", key=dropped.key)
            continue
        metrics.add_metric(name="ErpStockLinesApplied", unit=MetricUnit.Count, value=len(result.applied))
        logger.info("erp stock file imported", key=dropped.key, rejected=len(result.rejected))


@logger.inject_lambda_context(clear_state=True, correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if "Records" in event:  # dropped files, through the ERP import queue
        # A processor per batch: it keeps the batch's results, and the local stack runs invocations at once.
        processor = BatchProcessor(event_type=EventType.SQS)
        return process_partial_response(
            event=event, record_handler=record_handler, processor=processor, context=context
        )
    return app.resolve(event, context)
