"""Exchange rates for the reporting currency, loaded by staff per day."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from wiring import admin

from commerce.api.access import staff
from commerce.api.promotion_models import (
    FxSnapshotIn,
    FxSnapshotOut,
)
from commerce.api.routing import CommerceRouter, responds
from commerce.domain.errors import ValidationFailed
from commerce.domain.permissions import Permission
from commerce.observability import logger

router = CommerceRouter()

Base = Annotated[str, Path(pattern=r"^[A-Z]{3}$", description="The reporting currency.")]

Day = Annotated[str, Path(max_length=10, description="yyyy-mm-dd")]


@router.post(
    "/admin/fx-rates",
    access=staff(Permission.MARKETING),
    summary="Store a day's FX rate snapshot (for reports only)",
    responses=responds(201, "Stored", FxSnapshotOut),
)
def load_fx_rates(body: FxSnapshotIn) -> Response[FxSnapshotOut]:
    snapshot = admin.load_rates(body.snapshot())
    logger.info(
        "fx rates stored", base=snapshot.base, day=snapshot.day.isoformat(), rates=len(snapshot.rates)
    )
    return Response(status_code=201, content_type="application/json", body=FxSnapshotOut.of(snapshot))


@router.get(
    "/admin/fx-rates/<base>/<day>", access=staff(Permission.MARKETING), summary="A day's FX rate snapshot"
)
def get_fx_rates(base: Base, day: Day) -> FxSnapshotOut:
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        raise ValidationFailed("the day is yyyy-mm-dd", field="day") from None
    return FxSnapshotOut.of(admin.rates(base, parsed))
