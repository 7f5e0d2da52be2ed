"""Products often bought with a product, else its category's bestsellers (docs/analytics.md)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from pydantic import BaseModel, Field
from wiring import recommendations

from commerce.api.access import PUBLIC
from commerce.api.routing import CommerceRouter

router = CommerceRouter()


class RecommendationOut(BaseModel):
    product_id: str
    reason: str = Field(description="bought_together or category_bestseller")
    score: int = Field(description="Paid orders with both products, or the bestseller's units sold.")


class RecommendationsOut(BaseModel):
    product_id: str
    items: list[RecommendationOut]


Limit = Annotated[int, Query(ge=1, le=20)]


@router.get(
    "/products/<product_id>/recommendations", access=PUBLIC, summary="Products often bought with this one"
)
def get_recommendations(
    product_id: Annotated[str, Path(max_length=64)], limit: Limit = 4
) -> RecommendationsOut:
    found = recommendations.for_product(product_id, limit)
    items = [RecommendationOut(product_id=p, reason=reason, score=score) for p, reason, score in found]
    return RecommendationsOut(product_id=product_id, items=items)
