"""Recommendations for a product page (bought together, else the category's bestsellers) and a signed-in
customer's recently viewed products, from the analytics aggregates."""

# No `from __future__ import annotations` here: Powertools reads the route signatures at run time
# to validate requests, and string annotations behind the tracer decorator would not resolve.

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, Field

from commerce import bootstrap
from commerce.api.identity import current_principal
from commerce.api.resolver import create_resolver
from commerce.config import Settings
from commerce.observability import logger, metrics, tracer

settings = Settings.from_env()
app = create_resolver()
recommendations = bootstrap.recommendations(settings)


class RecommendationOut(BaseModel):
    product_id: str
    reason: str = Field(description="bought_together or category_bestseller")
    score: int = Field(description="Paid orders with both products, or the bestseller's units sold.")


class RecommendationsOut(BaseModel):
    product_id: str
    items: list[RecommendationOut]


class RecentlyViewedOut(BaseModel):
    product_id: str
    viewed_at: str = Field(description="ISO 8601 time (UTC) of the latest view.")


class RecentlyViewedListOut(BaseModel):
    items: list[RecentlyViewedOut]


Limit = Annotated[int, Query(ge=1, le=20)]


@app.get("/products/<product_id>/recommendations", summary="Products often bought with this one")
@tracer.capture_method
def get_recommendations(
    product_id: Annotated[str, Path(max_length=64)], limit: Limit = 4
) -> RecommendationsOut:
    found = recommendations.for_product(product_id, limit)
    items = [RecommendationOut(product_id=p, reason=reason, score=score) for p, reason, score in found]
    return RecommendationsOut(product_id=product_id, items=items)


@app.get("/me/recently-viewed", summary="The signed-in customer's recently viewed products, latest first")
@tracer.capture_method
def recently_viewed(limit: Limit = 10) -> RecentlyViewedListOut:
    customer = current_principal(app)
    views = recommendations.recently_viewed(customer.subject, limit)
    return RecentlyViewedListOut(
        items=[RecentlyViewedOut(product_id=v.product_id, viewed_at=v.viewed_at) for v in views]
    )


@app.put(
    "/me/recently-viewed/<product_id>",
    summary="Record that the signed-in customer viewed a product (called by the storefront's product page)",
)
@tracer.capture_method
def record_view(product_id: Annotated[str, Path(max_length=64)]) -> RecentlyViewedListOut:
    customer = current_principal(app)
    recommendations.viewed(customer.subject, product_id, bootstrap.now().isoformat())
    return recently_viewed(limit=10)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
