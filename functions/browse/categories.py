"""The storefront's categories."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from wiring import browse

from commerce.api.access import PUBLIC
from commerce.api.models import CategoryListOut, CategoryOut
from commerce.api.routing import CommerceRouter

router = CommerceRouter()

LocaleParam = Annotated[
    str | None, Query(description="BCP 47 tag such as fr-CA; overrides Accept-Language.", max_length=35)
]


@router.get("/categories", access=PUBLIC, summary="List categories")
def list_categories(locale: LocaleParam = None) -> CategoryListOut:
    return CategoryListOut(items=[CategoryOut.of(c) for c in browse.list_categories(router.locale(locale))])
