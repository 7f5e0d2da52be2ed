"""An order cancelled by its guest (with its token) or by the signed-in customer."""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit
from wiring import after_sales

from commerce.api.access import CUSTOMER, PUBLIC
from commerce.api.identity import current_principal
from commerce.api.order_models import OrderOut
from commerce.api.params import OrderId, OrderToken
from commerce.api.routing import CommerceRouter
from commerce.domain.errors import NotFound
from commerce.observability import metrics
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
