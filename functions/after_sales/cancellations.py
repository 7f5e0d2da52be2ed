"""An order cancelled by its guest (with its token), by the signed-in customer, or by staff."""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit
from wiring import after_sales

from commerce.api.access import CUSTOMER, PUBLIC, staff
from commerce.api.identity import current_principal
from commerce.api.order_models import OrderOut, StaffCancelIn, StaffOrderOut
from commerce.api.params import OrderId, OrderToken
from commerce.api.routing import CommerceRouter
from commerce.domain.errors import NotFound
from commerce.domain.lifecycle import Actor
from commerce.domain.permissions import Permission
from commerce.observability import logger, metrics
from commerce.services.checkout import order_token_matches

router = CommerceRouter()


@router.post(
    "/orders/<order_id>/cancel",
    access=PUBLIC,
    summary="Cancel an order not yet shipped, for whoever holds its token: refund and stock back",
)
def cancel_order(order_id: OrderId, x_order_token: OrderToken = None) -> OrderOut:
    order = after_sales.get(order_id) if x_order_token else None
    if order is None or not order_token_matches(order, x_order_token):
        raise NotFound("no such order")
    cancelled = OrderOut.of(after_sales.cancel(order))
    metrics.add_metric(name="OrdersCancelledByBuyer", unit=MetricUnit.Count, value=1)
    return cancelled


@router.post(
    "/me/orders/<order_id>/cancel",
    access=CUSTOMER,
    summary="Cancel one of the signed-in customer's orders not yet shipped",
)
def cancel_my_order(order_id: OrderId) -> OrderOut:
    customer = current_principal(router).subject
    order = after_sales.get(order_id)
    if order.customer_id != customer:
        raise NotFound("no such order")
    cancelled = OrderOut.of(after_sales.cancel(order))
    metrics.add_metric(name="OrdersCancelledByBuyer", unit=MetricUnit.Count, value=1)
    return cancelled


@router.post(
    "/admin/orders/<order_id>/cancel",
    access=staff(Permission.ORDERS_MANAGE),
    summary="Cancel an order not yet shipped (staff): payment refunded, stock back on hand",
)
def cancel_order_for_staff(order_id: OrderId, body: StaffCancelIn) -> StaffOrderOut:
    member = current_principal(router)
    cancelled = after_sales.cancel(after_sales.get(order_id), Actor.STAFF, f"{member.subject}: {body.reason}")
    metrics.add_metric(name="OrdersCancelledByStaff", unit=MetricUnit.Count, value=1)
    logger.info("order cancelled by staff", order_id=order_id, staff=member.subject)
    return StaffOrderOut.of(cancelled)
