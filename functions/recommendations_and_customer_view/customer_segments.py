"""Staff's list of the customers in a segment, as the nightly job last computed it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import BaseModel, Field
from wiring import segments

from commerce.api.access import staff
from commerce.api.models import MoneyOut
from commerce.api.routing import CommerceRouter
from commerce.domain.money import Money
from commerce.domain.permissions import Permission
from commerce.domain.segments import Segment

router = CommerceRouter()


class SegmentCustomerOut(BaseModel):
    customer_id: str
    segment: str
    orders: int
    lifetime_value: list[MoneyOut] = Field(description="Paid orders' totals, per currency.")
    last_order_at: datetime | None


class SegmentListOut(BaseModel):
    segment: str
    items: list[SegmentCustomerOut]


@router.get(
    "/admin/customers",
    access=staff(Permission.CUSTOMERS_READ),
    summary="Customers in a segment, as last recomputed (staff)",
)
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
