"""Returns: requested by a guest or the signed-in customer, received by staff."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.metrics import MetricUnit
from wiring import after_sales, returns

from commerce.api.access import CUSTOMER, PUBLIC, staff
from commerce.api.after_sales_models import ReceiveReturnIn, ReturnIn, ReturnOut
from commerce.api.identity import current_principal
from commerce.api.params import OrderId, OrderToken
from commerce.api.routing import CommerceRouter
from commerce.domain.errors import NotFound
from commerce.domain.permissions import Permission
from commerce.observability import metrics
from commerce.services.checkout import order_token_matches

router = CommerceRouter()


def _lines(body: ReturnIn) -> dict[str, int]:
    lines: dict[str, int] = {}
    for line in body.lines:
        lines[line.sku] = lines.get(line.sku, 0) + line.quantity
    return lines


@router.post(
    "/orders/<order_id>/returns",
    access=PUBLIC,
    summary="Ask to return lines of a delivered order, for whoever holds its token",
)
def request_return(order_id: OrderId, body: ReturnIn, x_order_token: OrderToken = None) -> ReturnOut:
    order = after_sales.get(order_id) if x_order_token else None
    if order is None or not order_token_matches(order, x_order_token):
        raise NotFound("no such order")
    return ReturnOut.of(returns.request(order, _lines(body), body.reason), order.currency)


@router.post(
    "/me/orders/<order_id>/returns",
    access=CUSTOMER,
    summary="Ask to return lines of one of the signed-in customer's orders",
)
def request_my_return(order_id: OrderId, body: ReturnIn) -> ReturnOut:
    order = after_sales.get(order_id)
    if order.customer_id != current_principal(router).subject:
        raise NotFound("no such order")
    return ReturnOut.of(returns.request(order, _lines(body), body.reason), order.currency)


@router.post(
    "/admin/returns/<return_id>/receive",
    access=staff(Permission.ORDERS_MANAGE),
    summary="A return arrived at a location: restock it and refund (staff)",
)
def receive_return(return_id: Annotated[str, Path(max_length=64)], body: ReceiveReturnIn) -> ReturnOut:
    member = current_principal(router)
    item = returns.receive(
        return_id, body.location, body.refund_amount, member.subject, authority=router.authority()
    )
    metrics.add_metric(name="ReturnsReceived", unit=MetricUnit.Count, value=1)
    return ReturnOut.of(item, after_sales.get(item.order_id).currency)
