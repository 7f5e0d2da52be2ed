"""Request and response bodies of the ERP stock import (`POST /integrations/erp/stock`) and of the staff
routes managing ERP integration keys (`/admin/integrations/erp/keys`). docs/erp-stock.md."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field

from commerce.api.models import Strict
from commerce.domain.erp_stock import BATCH_ID_PATTERN, MAX_HTTP_LINES, ErpCredential, ImportResult


class StockCountIn(Strict):
    # Each field is checked by the import itself, so that a bad line is rejected with its reason while
    # the others apply; only the batch's shape is validated here.
    sku: Annotated[str, Field(max_length=100)] | None = None
    location_id: Annotated[str, Field(max_length=100)] | None = None
    on_hand: int | Annotated[str, Field(max_length=20)] | None = Field(
        default=None, description="The counted units on hand: a whole number from 0 (JSON number or digits)."
    )


class StockBatchIn(Strict):
    batch_id: str = Field(
        pattern=BATCH_ID_PATTERN,
        description="Your id for this batch: the idempotency key (per integration). Sent again with the same "
        "lines it changes nothing and gets the same answer; with other lines it is refused (409).",
    )
    lines: list[StockCountIn] = Field(min_length=1, max_length=MAX_HTTP_LINES)


class LineAppliedOut(BaseModel):
    line: int = Field(description="1-based position in the batch (the file's line, header = 1)")
    sku: str
    location_id: str
    on_hand: int = Field(description="On hand at the location now: the count")
    previous_on_hand: int
    adjustment: int = Field(
        description="The adjustment movement booked: on_hand - previous_on_hand (0: none)"
    )


class LineRejectedOut(BaseModel):
    line: int
    sku: str
    location_id: str
    on_hand: str = Field(description="As received")
    reason: str = Field(
        description="missing-field, bad-sku, bad-location, bad-figure, duplicate-line, unknown-sku, "
        "unknown-location, below-reserved or stock-moving"
    )
    detail: str


class StockImportOut(BaseModel):
    integration_id: str
    batch_id: str
    applied: list[LineAppliedOut]
    rejected: list[LineRejectedOut]

    @classmethod
    def of(cls, result: ImportResult) -> StockImportOut:
        data: dict[str, Any] = result.as_dict()
        return cls(
            integration_id=data["integration_id"],
            batch_id=data["batch_id"],
            applied=[LineAppliedOut(**a) for a in data["applied"]],
            rejected=[LineRejectedOut(**r) for r in data["rejected"]],
        )


class ErpKeyIn(Strict):
    name: str = Field(min_length=1, max_length=100, description="Which ERP or system uses it")


class ErpKeyOut(BaseModel):
    id: str
    name: str
    created_at: str
    revoked_at: str | None = None

    @classmethod
    def of(cls, credential: ErpCredential) -> ErpKeyOut:
        return cls(
            id=credential.id,
            name=credential.name,
            created_at=credential.created_at.isoformat(),
            revoked_at=credential.revoked_at.isoformat() if credential.revoked_at else None,
        )


class ErpKeyCreatedOut(ErpKeyOut):
    api_key: str = Field(description="Shown once; only its hash is stored. Send it as the X-Api-Key header.")


class ErpKeysOut(BaseModel):
    items: list[ErpKeyOut]
