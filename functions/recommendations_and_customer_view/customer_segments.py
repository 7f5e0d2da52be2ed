"""Staff's customer list: found by email or name prefix, or the customers of a segment as the nightly job
last computed it, or everyone by name."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import BaseModel, Field
from wiring import directory

from commerce.api.access import staff
from commerce.api.models import MoneyOut
from commerce.api.params import PageCursor, PageLimit
from commerce.api.routing import CommerceRouter
from commerce.domain.customer_directory import CustomerEntry
from commerce.domain.money import Money
from commerce.domain.permissions import Permission
from commerce.domain.segments import Segment
from commerce.observability import logger
from commerce.services.customer_directory import CustomerQuery

router = CommerceRouter()


class CustomerSummaryOut(BaseModel):
    customer_id: str
    email: str | None
    name: str | None
    segment: str | None = Field(description="As the nightly job last computed it; null before a first order.")
    created_at: datetime | None = Field(description="When the profile was made; null without a profile.")
    orders: int
    lifetime_value: list[MoneyOut] = Field(description="Paid orders' totals, per currency.")
    last_order_at: datetime | None

    @classmethod
    def of(cls, entry: CustomerEntry) -> CustomerSummaryOut:
        profile, stats = entry.profile, entry.stats
        ltv = sorted(stats.lifetime_value.items()) if stats else []
        return cls(
            customer_id=entry.customer_id,
            email=profile.email if profile else None,
            name=profile.name if profile else None,
            segment=entry.segment.value if entry.segment else None,
            created_at=profile.created_at if profile else None,
            orders=stats.orders if stats else 0,
            lifetime_value=[MoneyOut.of(Money(v, c)) for c, v in ltv],
            last_order_at=stats.last_order_at if stats else None,
        )


class CustomerListOut(BaseModel):
    segment: str | None = Field(description="The segment asked for, if any.")
    items: list[CustomerSummaryOut]
    next_cursor: str | None


@router.get(
    "/admin/customers",
    access=staff(Permission.CUSTOMERS_READ),
    summary="Find customers by email or name, or list a segment's (staff)",
)
def list_customers(
    q: Annotated[
        str | None,
        Query(
            max_length=254,
            description="With an @: the exact email, any case. Otherwise the start of the name, any case or "
            "accent.",
        ),
    ] = None,
    segment: Annotated[Segment | None, Query(description="new, repeat, lapsed or high_value")] = None,
    limit: PageLimit = 50,
    cursor: PageCursor = None,
) -> CustomerListOut:
    page = directory.find(CustomerQuery(q=q, segment=segment, limit=limit, cursor=cursor))
    logger.info("customers listed", searched=bool(q), segment=segment, count=len(page.items))
    return CustomerListOut(
        segment=segment.value if segment else None,
        items=[CustomerSummaryOut.of(e) for e in page.items],
        next_cursor=page.next_cursor,
    )
