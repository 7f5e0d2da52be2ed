"""The storefront's categories."""

from __future__ import annotations

from products import LocaleParam
from wiring import browse

from commerce.api.access import PUBLIC
from commerce.api.models import CategoryListOut, CategoryOut
from commerce.api.routing import CommerceRouter

router = CommerceRouter()


@router.get("/categories", access=PUBLIC, summary="List categories")
def list_categories(locale: LocaleParam = None) -> CategoryListOut:
    return CategoryListOut(items=[CategoryOut.of(c) for c in browse.list_categories(router.locale(locale))])
