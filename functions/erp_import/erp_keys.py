"""Staff routes for ERP integration keys: create, list, revoke."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from wiring import credentials

from commerce.api.access import staff
from commerce.api.erp_models import (
    ErpKeyCreatedOut,
    ErpKeyIn,
    ErpKeyOut,
    ErpKeysOut,
)
from commerce.api.resolver import created
from commerce.api.routing import CommerceRouter, responds
from commerce.domain.erp_stock import INTEGRATION_ID_PATTERN
from commerce.domain.permissions import Permission
from commerce.observability import logger

router = CommerceRouter()

KeyId = Annotated[str, Path(pattern=INTEGRATION_ID_PATTERN)]


@router.post(
    "/admin/integrations/erp/keys",
    access=staff(Permission.INTEGRATIONS),
    summary="Create an ERP integration key; shown once",
    responses=responds(201, "Created", ErpKeyCreatedOut),
)
def create_key(body: ErpKeyIn) -> Response[ErpKeyCreatedOut]:
    credential, key = credentials.create(body.name)
    logger.info("erp integration key created", integration=credential.id)
    out = ErpKeyCreatedOut(**ErpKeyOut.of(credential).model_dump(), api_key=key)
    return created(out, f"/admin/integrations/erp/keys/{credential.id}")


@router.get(
    "/admin/integrations/erp/keys",
    access=staff(Permission.INTEGRATIONS),
    summary="ERP integration keys (never their secrets)",
)
def list_keys() -> ErpKeysOut:
    return ErpKeysOut(items=[ErpKeyOut.of(c) for c in credentials.all()])


@router.delete(
    "/admin/integrations/erp/keys/<key_id>",
    access=staff(Permission.INTEGRATIONS),
    summary="Revoke an ERP integration key: it stops working at once",
)
def revoke_key(key_id: KeyId) -> ErpKeyOut:
    credential = credentials.revoke(key_id)
    logger.info("erp integration key revoked", integration=key_id)
    return ErpKeyOut.of(credential)
