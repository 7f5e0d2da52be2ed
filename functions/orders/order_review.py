"""Staff's order list, one order whole, the review of held orders (approve or reject) and resolving flags."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from wiring import order_view, orders

from commerce.api.access import staff
from commerce.api.identity import current_principal
from commerce.api.order_models import (
    RejectOrderIn,
    ResolveFlagIn,
    StaffOrderDetailOut,
    StaffOrderListOut,
    StaffOrderOut,
)
from commerce.api.params import ChannelParam, FlagName, OrderId, iso_8601
from commerce.api.routing import CommerceRouter
from commerce.domain.order import OrderStatus
from commerce.domain.permissions import Permission
from commerce.observability import logger

router = CommerceRouter()


DateTime = Annotated[datetime, iso_8601(datetime.fromisoformat, "date-time such as 2026-01-31T12:00:00Z")]


@router.get(
    "/admin/orders",
    access=staff(Permission.ORDERS_READ),
    summary="Orders newest first, every filter given applying (staff); `disputed`: open disputes, deadlines",
)
def list_orders(
    status: Annotated[
        OrderStatus | None,
        Query(description="The status to list; on_hold when absent, unless `email` is given (then any)."),
    ] = None,
    from_: Annotated[DateTime | None, Query(alias="from", description="Created at or after.")] = None,
    to: Annotated[DateTime | None, Query(description="Created before.")] = None,
    channel: ChannelParam = None,
    email: Annotated[
        str | None, Query(min_length=3, max_length=254, description="The buyer's email, exactly, any case.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> StaffOrderListOut:
    return StaffOrderListOut.of(orders.list_by_status(status, from_, to, limit, cursor, channel, email))


@router.get(
    "/admin/orders/<order_id>",
    access=staff(Permission.ORDERS_READ),
    summary="One order whole (staff): with its refunds, shipments and returns",
)
def get_order_for_staff(order_id: OrderId) -> StaffOrderDetailOut:
    return StaffOrderDetailOut.of_dossier(order_view.dossier(order_id))


@router.post(
    "/admin/orders/<order_id>/approve",
    access=staff(Permission.ORDERS_MANAGE),
    summary="Release an order held for review (staff)",
)
def approve_order(order_id: OrderId) -> StaffOrderOut:
    member = current_principal(router)
    order = orders.approve(order_id, member)
    logger.info("held order approved", order_id=order_id, staff=member.subject)
    return StaffOrderOut.of(order)


@router.post(
    "/admin/orders/<order_id>/reject",
    access=staff(Permission.ORDERS_MANAGE),
    summary="Refuse an order held for review: refund and cancel (staff)",
)
def reject_order(order_id: OrderId, body: RejectOrderIn) -> StaffOrderOut:
    member = current_principal(router)
    order = orders.reject(order_id, member, body.reason)
    logger.info("held order rejected", order_id=order_id, staff=member.subject)
    return StaffOrderOut.of(order)


@router.post(
    "/admin/orders/<order_id>/flags/<flag>/resolve",
    access=staff(Permission.ORDERS_MANAGE),
    summary="Take a flag off an order once it is dealt with, noting what was done (staff)",
)
def resolve_order_flag(order_id: OrderId, flag: FlagName, body: ResolveFlagIn) -> StaffOrderOut:
    member = current_principal(router)
    order = orders.resolve_flag(order_id, flag, body.note, member)
    logger.info("order flag resolved", order_id=order_id, flag=flag, staff=member.subject)
    return StaffOrderOut.of(order)
