"""Staff promotions: create discount codes and automatic promotions, pause and resume them, report their
uses and the discount given; and the FX rate snapshots reports convert with."""

# No `from __future__ import annotations` here: Powertools reads the route signatures at run time
# to validate requests, and string annotations behind the tracer decorator would not resolve.

from datetime import date
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from commerce import bootstrap
from commerce.api.access import staff
from commerce.api.promotion_models import (
    FxSnapshotIn,
    FxSnapshotOut,
    PromotionIn,
    PromotionListOut,
    PromotionOut,
)
from commerce.api.resolver import create_resolver, created
from commerce.config import Settings
from commerce.domain.errors import ValidationFailed
from commerce.domain.permissions import Permission
from commerce.observability import logger, metrics, tracer

settings = Settings.from_env()
app = create_resolver(settings.staff_roles)
admin = bootstrap.promotions_admin(settings)

PromotionId = Annotated[str, Path(max_length=64)]
Base = Annotated[str, Path(pattern=r"^[A-Z]{3}$", description="The reporting currency.")]
Day = Annotated[str, Path(max_length=10, description="yyyy-mm-dd")]
CREATED = {201: {"description": "Created", "content": {"application/json": {"model": PromotionOut}}}}
LOADED = {201: {"description": "Stored", "content": {"application/json": {"model": FxSnapshotOut}}}}


@app.post(
    "/admin/promotions",
    access=staff(Permission.MARKETING),
    summary="Create a discount code or an automatic promotion",
    responses=CREATED,
)
@tracer.capture_method
def create_promotion(body: PromotionIn) -> Response[PromotionOut]:
    report = admin.create(body.promotion())
    logger.info("promotion created", promotion_id=report.promotion.id, kind=report.promotion.kind.value)
    return created(PromotionOut.of(report), f"/admin/promotions/{report.promotion.id}")


@app.get(
    "/admin/promotions",
    access=staff(Permission.MARKETING),
    summary="Every promotion with its uses and the discount given",
)
@tracer.capture_method
def list_promotions() -> PromotionListOut:
    return PromotionListOut(items=[PromotionOut.of(r) for r in admin.list()])


@app.get(
    "/admin/promotions/<promotion_id>",
    access=staff(Permission.MARKETING),
    summary="One promotion: its terms, uses and discount given",
)
@tracer.capture_method
def get_promotion(promotion_id: PromotionId) -> PromotionOut:
    return PromotionOut.of(admin.report(promotion_id))


@app.post(
    "/admin/promotions/<promotion_id>/pause",
    access=staff(Permission.MARKETING),
    summary="Pause a promotion: it stops applying at once",
)
@tracer.capture_method
def pause_promotion(promotion_id: PromotionId) -> PromotionOut:
    report = admin.pause(promotion_id)
    logger.info("promotion paused", promotion_id=promotion_id)
    return PromotionOut.of(report)


@app.post(
    "/admin/promotions/<promotion_id>/resume",
    access=staff(Permission.MARKETING),
    summary="Resume a paused promotion",
)
@tracer.capture_method
def resume_promotion(promotion_id: PromotionId) -> PromotionOut:
    report = admin.resume(promotion_id)
    logger.info("promotion resumed", promotion_id=promotion_id)
    return PromotionOut.of(report)


@app.post(
    "/admin/fx-rates",
    access=staff(Permission.MARKETING),
    summary="Store a day's FX rate snapshot (for reports only)",
    responses=LOADED,
)
@tracer.capture_method
def load_fx_rates(body: FxSnapshotIn) -> Response[FxSnapshotOut]:
    snapshot = admin.load_rates(body.snapshot())
    logger.info(
        "fx rates stored", base=snapshot.base, day=snapshot.day.isoformat(), rates=len(snapshot.rates)
    )
    return Response(status_code=201, content_type="application/json", body=FxSnapshotOut.of(snapshot))


@app.get(
    "/admin/fx-rates/<base>/<day>", access=staff(Permission.MARKETING), summary="A day's FX rate snapshot"
)
@tracer.capture_method
def get_fx_rates(base: Base, day: Day) -> FxSnapshotOut:
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        raise ValidationFailed("the day is yyyy-mm-dd", field="day") from None
    return FxSnapshotOut.of(admin.rates(base, parsed))


@logger.inject_lambda_context(clear_state=True, correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
