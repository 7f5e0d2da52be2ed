"""Staff promotions: create, list, read, pause and resume."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from wiring import admin

from commerce.api.access import staff
from commerce.api.promotion_models import (
    PromotionIn,
    PromotionListOut,
    PromotionOut,
)
from commerce.api.resolver import created
from commerce.api.routing import CommerceRouter, responds
from commerce.domain.permissions import Permission
from commerce.observability import logger

router = CommerceRouter()

PromotionId = Annotated[str, Path(max_length=64)]


@router.post(
    "/admin/promotions",
    access=staff(Permission.MARKETING),
    summary="Create a discount code or an automatic promotion",
    responses=responds(201, "Created", PromotionOut),
)
def create_promotion(body: PromotionIn) -> Response[PromotionOut]:
    report = admin.create(body.promotion())
    logger.info("promotion created", promotion_id=report.promotion.id, kind=report.promotion.kind.value)
    return created(PromotionOut.of(report), f"/admin/promotions/{report.promotion.id}")


@router.get(
    "/admin/promotions",
    access=staff(Permission.MARKETING),
    summary="Every promotion with its uses and the discount given",
)
def list_promotions() -> PromotionListOut:
    return PromotionListOut(items=[PromotionOut.of(r) for r in admin.list()])


@router.get(
    "/admin/promotions/<promotion_id>",
    access=staff(Permission.MARKETING),
    summary="One promotion: its terms, uses and discount given",
)
def get_promotion(promotion_id: PromotionId) -> PromotionOut:
    return PromotionOut.of(admin.report(promotion_id))


@router.post(
    "/admin/promotions/<promotion_id>/pause",
    access=staff(Permission.MARKETING),
    summary="Pause a promotion: it stops applying at once",
)
def pause_promotion(promotion_id: PromotionId) -> PromotionOut:
    report = admin.pause(promotion_id)
    logger.info("promotion paused", promotion_id=promotion_id)
    return PromotionOut.of(report)


@router.post(
    "/admin/promotions/<promotion_id>/resume",
    access=staff(Permission.MARKETING),
    summary="Resume a paused promotion",
)
def resume_promotion(promotion_id: PromotionId) -> PromotionOut:
    report = admin.resume(promotion_id)
    logger.info("promotion resumed", promotion_id=promotion_id)
    return PromotionOut.of(report)
