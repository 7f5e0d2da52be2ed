"""After the sale: the buyer cancels an order not yet shipped; staff refund without a return (goodwill)."""

# No `from __future__ import annotations` here: Powertools reads the route signatures at run time
# to validate requests, and string annotations behind the tracer decorator would not resolve.

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Header, Path
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from commerce import bootstrap
from commerce.api.access import CUSTOMER, PUBLIC, staff
from commerce.api.after_sales_models import GoodwillRefundIn, ReceiveReturnIn, RefundOut, ReturnIn, ReturnOut
from commerce.api.identity import current_principal
from commerce.api.order_models import OrderOut
from commerce.api.resolver import create_resolver
from commerce.config import Settings
from commerce.domain.errors import NotFound
from commerce.domain.permissions import Permission
from commerce.observability import logger, metrics, tracer
from commerce.services.checkout import order_token_matches

settings = Settings.from_env()
app = create_resolver(settings.staff_roles)
after_sales = bootstrap.after_sales(settings)
returns = bootstrap.returns(settings, after_sales)

OrderId = Annotated[str, Path(max_length=64)]
OrderToken = Annotated[
    str | None, Header(alias="x-order-token", description="The order token returned by checkout.")
]
IdempotencyKey = Annotated[
    str | None,
    Header(alias="idempotency-key", description="Names the refund: the same key again refunds nothing more."),
]


@app.post(
    "/orders/<order_id>/cancel",
    access=PUBLIC,
    summary="Cancel an order not yet shipped, for whoever holds its token: refund and stock back",
)
@tracer.capture_method
def cancel_order(order_id: OrderId, x_order_token: OrderToken = None) -> OrderOut:
    order = after_sales.get(order_id) if x_order_token else None
    if order is None or not order_token_matches(order, x_order_token):
        raise NotFound("no such order")
    cancelled = OrderOut.of(after_sales.cancel(order))
    metrics.add_metric(name="OrdersCancelledByBuyer", unit=MetricUnit.Count, value=1)
    return cancelled


@app.post(
    "/me/orders/<order_id>/cancel",
    access=CUSTOMER,
    summary="Cancel one of the signed-in customer's orders not yet shipped",
)
@tracer.capture_method
def cancel_my_order(order_id: OrderId) -> OrderOut:
    customer = current_principal(app).subject
    order = after_sales.get(order_id)
    if order.customer_id != customer:
        raise NotFound("no such order")
    cancelled = OrderOut.of(after_sales.cancel(order))
    metrics.add_metric(name="OrdersCancelledByBuyer", unit=MetricUnit.Count, value=1)
    return cancelled


@app.post(
    "/admin/orders/<order_id>/refunds",
    access=staff(Permission.REFUNDS),
    summary="Refund part or all of an order without a return (staff)",
)
@tracer.capture_method
def refund_order(
    order_id: OrderId, body: GoodwillRefundIn, idempotency_key: IdempotencyKey = None
) -> RefundOut:
    member = current_principal(app)
    result = after_sales.goodwill_refund(
        order_id, body.amount, idempotency_key or "", body.reason, member.subject, authority=app.authority()
    )
    logger.info("goodwill refund", order_id=order_id, amount=result.amount, staff=member.subject)
    return RefundOut.of(result)


def _lines(body: ReturnIn) -> dict[str, int]:
    lines: dict[str, int] = {}
    for line in body.lines:
        lines[line.sku] = lines.get(line.sku, 0) + line.quantity
    return lines


@app.post(
    "/orders/<order_id>/returns",
    access=PUBLIC,
    summary="Ask to return lines of a delivered order, for whoever holds its token",
)
@tracer.capture_method
def request_return(order_id: OrderId, body: ReturnIn, x_order_token: OrderToken = None) -> ReturnOut:
    order = after_sales.get(order_id) if x_order_token else None
    if order is None or not order_token_matches(order, x_order_token):
        raise NotFound("no such order")
    return ReturnOut.of(returns.request(order, _lines(body), body.reason), order.currency)


@app.post(
    "/me/orders/<order_id>/returns",
    access=CUSTOMER,
    summary="Ask to return lines of one of the signed-in customer's orders",
)
@tracer.capture_method
def request_my_return(order_id: OrderId, body: ReturnIn) -> ReturnOut:
    order = after_sales.get(order_id)
    if order.customer_id != current_principal(app).subject:
        raise NotFound("no such order")
    return ReturnOut.of(returns.request(order, _lines(body), body.reason), order.currency)


@app.post(
    "/admin/returns/<return_id>/receive",
    access=staff(Permission.ORDERS_MANAGE),
    summary="A return arrived at a location: restock it and refund (staff)",
)
@tracer.capture_method
def receive_return(return_id: Annotated[str, Path(max_length=64)], body: ReceiveReturnIn) -> ReturnOut:
    member = current_principal(app)
    item = returns.receive(
        return_id, body.location, body.refund_amount, member.subject, authority=app.authority()
    )
    metrics.add_metric(name="ReturnsReceived", unit=MetricUnit.Count, value=1)
    return ReturnOut.of(item, after_sales.get(item.order_id).currency)


@logger.inject_lambda_context(clear_state=True, correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
