"""Staff catalog: categories."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from wiring import admin

from commerce.api.access import staff
from commerce.api.admin_models import (
    AdminCategoryIn,
    AdminCategoryListOut,
    AdminCategoryOut,
    AdminCategoryRenameIn,
)
from commerce.api.resolver import created
from commerce.api.routing import CommerceRouter, responds
from commerce.domain.permissions import Permission
from commerce.observability import logger

router = CommerceRouter()

CategorySlug = Annotated[str, Path(max_length=100)]


@router.get(
    "/admin/categories",
    access=staff(Permission.CATALOG),
    summary="Every category with its names in every locale, its parent and rank",
)
def list_categories() -> AdminCategoryListOut:
    return AdminCategoryListOut(items=[AdminCategoryOut.of(c) for c in admin.categories()])


@router.post(
    "/admin/categories",
    access=staff(Permission.CATALOG),
    summary="Create a category",
    responses=responds(201, "Created", AdminCategoryOut),
)
def create_category(body: AdminCategoryIn) -> Response[AdminCategoryOut]:
    category = admin.create_category(body.slug, body.names, body.parent, body.rank)
    logger.info("category created", category=category.slug)
    return created(AdminCategoryOut.of(category), f"/admin/categories/{category.slug}")


@router.put(
    "/admin/categories/<slug>",
    access=staff(Permission.CATALOG),
    summary="Rename a category (its slug never changes)",
)
def rename_category(slug: CategorySlug, body: AdminCategoryRenameIn) -> AdminCategoryOut:
    category = admin.rename_category(slug, body.names, body.rank)
    logger.info("category renamed", category=slug)
    return AdminCategoryOut.of(category)
