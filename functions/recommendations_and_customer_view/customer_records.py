"""One customer whole for staff (profile, segment, value, orders, disputes, returns, notes), and notes
staff add to it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path
from pydantic import BaseModel, ConfigDict, Field
from wiring import customer_view

from commerce.api.access import staff
from commerce.api.identity import current_principal
from commerce.api.models import MoneyOut
from commerce.api.routing import CommerceRouter
from commerce.domain.money import Money
from commerce.domain.order_history import OrderRecord
from commerce.domain.permissions import Permission
from commerce.domain.returns import Return
from commerce.observability import logger

router = CommerceRouter()


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


@router.get(
    "/admin/customers/<customer_id>",
    access=staff(Permission.CUSTOMERS_READ),
    summary="One customer whole: profile, segment, value, orders, notes",
)
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


@router.post(
    "/admin/customers/<customer_id>/notes",
    access=staff(Permission.CUSTOMERS_MANAGE),
    summary="Add a staff note to a customer (staff)",
)
def add_note(customer_id: CustomerId, body: StaffNoteIn) -> StaffNoteOut:
    member = current_principal(router)
    note = customer_view.add_note(customer_id, member.subject, body.text)
    logger.info("staff note added", customer_id=customer_id, staff=member.subject)
    return StaffNoteOut(id=note.id, at=note.at, author=note.author, text=note.text)
