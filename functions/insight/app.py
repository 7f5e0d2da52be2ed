"""Recommendations for a product page (bought together, else the category's bestsellers) and a signed-in
customer's recently viewed products, from the analytics aggregates."""

# No `from __future__ import annotations` here: Powertools reads the route signatures at run time
# to validate requests, and string annotations behind the tracer decorator would not resolve.

from datetime import datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from commerce import bootstrap
from commerce.api.access import CUSTOMER, PUBLIC, staff
from commerce.api.identity import current_principal
from commerce.api.models import MoneyOut
from commerce.api.resolver import create_resolver
from commerce.config import Settings
from commerce.domain.money import Money
from commerce.domain.order_history import OrderRecord
from commerce.domain.permissions import Permission
from commerce.domain.returns import Return
from commerce.domain.segments import Segment
from commerce.observability import logger, metrics, tracer

settings = Settings.from_env()
app = create_resolver(settings.staff_roles)
recommendations = bootstrap.recommendations(settings)
segments = bootstrap.segments(settings)
customer_view = bootstrap.customer_view(settings)


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


@app.get(
    "/products/<product_id>/recommendations", access=PUBLIC, summary="Products often bought with this one"
)
@tracer.capture_method
def get_recommendations(
    product_id: Annotated[str, Path(max_length=64)], limit: Limit = 4
) -> RecommendationsOut:
    found = recommendations.for_product(product_id, limit)
    items = [RecommendationOut(product_id=p, reason=reason, score=score) for p, reason, score in found]
    return RecommendationsOut(product_id=product_id, items=items)


@app.get(
    "/me/recently-viewed",
    access=CUSTOMER,
    summary="The signed-in customer's recently viewed products, latest first",
)
@tracer.capture_method
def recently_viewed(limit: Limit = 10) -> RecentlyViewedListOut:
    customer = current_principal(app)
    views = recommendations.recently_viewed(customer.subject, limit)
    return RecentlyViewedListOut(
        items=[RecentlyViewedOut(product_id=v.product_id, viewed_at=v.viewed_at) for v in views]
    )


@app.put(
    "/me/recently-viewed/<product_id>",
    access=CUSTOMER,
    summary="Record that the signed-in customer viewed a product (called by the storefront's product page)",
)
@tracer.capture_method
def record_view(product_id: Annotated[str, Path(max_length=64)]) -> RecentlyViewedListOut:
    customer = current_principal(app)
    recommendations.viewed(customer.subject, product_id, bootstrap.now().isoformat())
    return recently_viewed(limit=10)


class SegmentCustomerOut(BaseModel):
    customer_id: str
    segment: str
    orders: int
    lifetime_value: list[MoneyOut] = Field(description="Paid orders' totals, per currency.")
    last_order_at: datetime | None


class SegmentListOut(BaseModel):
    segment: str
    items: list[SegmentCustomerOut]


@app.get(
    "/admin/customers",
    access=staff(Permission.CUSTOMERS_READ),
    summary="Customers in a segment, as last recomputed (staff)",
)
@tracer.capture_method
def list_segment(
    segment: Annotated[Segment, Query(description="new, repeat, lapsed or high_value")],
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> SegmentListOut:
    found = segments.list(segment, limit)
    items = [
        SegmentCustomerOut(
            customer_id=s.customer_id,
            segment=segment.value,
            orders=s.orders,
            lifetime_value=[MoneyOut.of(Money(v, c)) for c, v in sorted(s.lifetime_value.items())],
            last_order_at=s.last_order_at,
        )
        for s in found
    ]
    return SegmentListOut(segment=segment.value, items=items)


class StaffNoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=2_000)


class StaffNoteOut(BaseModel):
    id: str
    at: datetime
    author: str = Field(description="The staff member's id (sub).")
    text: str


class StaffCustomerOrderOut(BaseModel):
    id: str
    status: str
    total: MoneyOut
    created_at: datetime


class StaffReturnLineOut(BaseModel):
    sku: str
    quantity: int
    refund: int = Field(description="Minor units of the order's currency due back for this line.")


class StaffCustomerReturnOut(BaseModel):
    id: str
    order_id: str
    status: str = Field(description="requested, received or refunded")
    reason: str
    requested_at: datetime
    received_at: datetime | None
    lines: list[StaffReturnLineOut]
    refunded: int = Field(description="Minor units refunded so far, in the order's currency.")


class CustomerWholeOut(BaseModel):
    customer_id: str
    email: str | None
    name: str | None
    locale: str | None
    created_at: datetime
    segment: str | None = Field(
        description="As last recomputed by the nightly job; null before its first run."
    )
    lifetime_value: list[MoneyOut] = Field(
        description="Totals of paid, held and disputed orders, per currency."
    )
    orders: list[StaffCustomerOrderOut] = Field(description="The newest 100.")
    disputes: list[StaffCustomerOrderOut]
    returns: list[StaffCustomerReturnOut] = Field(
        description="Returns of the customer's orders (the newest 100 orders), newest first."
    )
    notes: list[StaffNoteOut]


def _order_out(order: OrderRecord) -> StaffCustomerOrderOut:
    return StaffCustomerOrderOut(
        id=order.id, status=order.status, total=MoneyOut.of(order.totals.total), created_at=order.created_at
    )


def _return_out(item: Return) -> StaffCustomerReturnOut:
    return StaffCustomerReturnOut(
        id=item.id,
        order_id=item.order_id,
        status=item.status.value,
        reason=item.reason,
        requested_at=item.requested_at,
        received_at=item.received_at,
        lines=[StaffReturnLineOut(sku=x.sku, quantity=x.quantity, refund=x.refund) for x in item.lines],
        refunded=item.refunded,
    )


CustomerId = Annotated[str, Path(max_length=128)]


@app.get(
    "/admin/customers/<customer_id>",
    access=staff(Permission.CUSTOMERS_READ),
    summary="One customer whole: profile, segment, value, orders, notes",
)
@tracer.capture_method
def get_customer(customer_id: CustomerId) -> CustomerWholeOut:
    whole = customer_view.overview(customer_id)
    return CustomerWholeOut(
        customer_id=whole.customer_id,
        email=whole.email,
        name=whole.name,
        locale=whole.locale,
        created_at=whole.created_at,
        segment=whole.segment,
        lifetime_value=[MoneyOut.of(Money(v, c)) for c, v in sorted(whole.lifetime_value.items())],
        orders=[_order_out(o) for o in whole.orders],
        disputes=[_order_out(o) for o in whole.disputes],
        returns=[_return_out(r) for r in whole.returns],
        notes=[StaffNoteOut(id=n.id, at=n.at, author=n.author, text=n.text) for n in whole.notes],
    )


@app.post(
    "/admin/customers/<customer_id>/notes",
    access=staff(Permission.CUSTOMERS_MANAGE),
    summary="Add a staff note to a customer (staff)",
)
@tracer.capture_method
def add_note(customer_id: CustomerId, body: StaffNoteIn) -> StaffNoteOut:
    member = current_principal(app)
    note = customer_view.add_note(customer_id, member.subject, body.text)
    logger.info("staff note added", customer_id=customer_id, staff=member.subject)
    return StaffNoteOut(id=note.id, at=note.at, author=note.author, text=note.text)


@logger.inject_lambda_context(clear_state=True, correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
