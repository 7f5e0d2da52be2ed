"""The signed-in customer's recently viewed products, recorded by the storefront's product page."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from pydantic import BaseModel, Field
from wiring import recommendations

from commerce.api.access import CUSTOMER
from commerce.api.identity import current_principal
from commerce.api.routing import CommerceRouter
from commerce.composition.adapters import now

router = CommerceRouter()


class RecentlyViewedOut(BaseModel):
    product_id: str
    viewed_at: str = Field(description="ISO 8601 time (UTC) of the latest view.")


class RecentlyViewedListOut(BaseModel):
    items: list[RecentlyViewedOut]


Limit = Annotated[int, Query(ge=1, le=20)]


@router.get(
    "/me/recently-viewed",
    access=CUSTOMER,
    summary="The signed-in customer's recently viewed products, latest first",
)
def recently_viewed(limit: Limit = 10) -> RecentlyViewedListOut:
    customer = current_principal(router)
    views = recommendations.recently_viewed(customer.subject, limit)
    return RecentlyViewedListOut(
        items=[RecentlyViewedOut(product_id=v.product_id, viewed_at=v.viewed_at) for v in views]
    )


@router.put(
    "/me/recently-viewed/<product_id>",
    access=CUSTOMER,
    summary="Record that the signed-in customer viewed a product (called by the storefront's product page)",
)
def record_view(product_id: Annotated[str, Path(max_length=64)]) -> RecentlyViewedListOut:
    customer = current_principal(router)
    recommendations.viewed(customer.subject, product_id, now().isoformat())
    return recently_viewed(limit=10)
