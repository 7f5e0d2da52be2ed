"""Order status for its buyer (by the order's token, or signed in), order lists and fraud review for staff."""

# No `from __future__ import annotations` here: Powertools reads the route signatures at run time
# to validate requests, and string annotations behind the tracer decorator would not resolve.

from datetime import datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Header, Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BeforeValidator

from commerce import bootstrap
from commerce.api.access import CUSTOMER, PUBLIC, staff
from commerce.api.identity import current_principal
from commerce.api.order_models import OrderOut, RejectOrderIn, StaffOrderListOut, StaffOrderOut
from commerce.api.resolver import create_resolver
from commerce.config import Settings
from commerce.domain.order import OrderStatus
from commerce.domain.permissions import Permission
from commerce.observability import logger, metrics, tracer

settings = Settings.from_env()
app = create_resolver(settings.staff_roles)
orders = bootstrap.orders(settings)

OrderId = Annotated[str, Path(max_length=64)]


def _iso_8601(value: Any) -> Any:
    """Pydantic takes a number for a datetime too (seconds since 1970), as in `?to=0.5`; the API says
    date-time, so only an ISO 8601 date-time string is one."""
    if isinstance(value, str):
        try:
            datetime.fromisoformat(value)
        except ValueError:
            raise ValueError("not an ISO 8601 date-time such as 2026-01-31T12:00:00Z") from None
    return value


DateTime = Annotated[datetime, BeforeValidator(_iso_8601)]
OrderToken = Annotated[
    str | None, Header(alias="x-order-token", description="The order token returned by checkout.")
]


@app.get("/orders/<order_id>", access=PUBLIC, summary="An order's status, for whoever holds its token")
@tracer.capture_method
def get_order(order_id: OrderId, x_order_token: OrderToken = None) -> OrderOut:
    return OrderOut.of(orders.for_token(order_id, x_order_token))


@app.get("/me/orders/<order_id>", access=CUSTOMER, summary="One of the signed-in customer's orders")
@tracer.capture_method
def get_my_order(order_id: OrderId) -> OrderOut:
    return OrderOut.of(orders.for_customer(order_id, current_principal(app).subject))


@app.get(
    "/admin/orders",
    access=staff(Permission.ORDERS_READ),
    summary="Orders in a status, newest first (staff); `disputed`: open disputes with their deadlines",
)
@tracer.capture_method
def list_orders(
    status: Annotated[OrderStatus, Query(description="The status to list.")] = OrderStatus.ON_HOLD,
    from_: Annotated[DateTime | None, Query(alias="from", description="Created at or after.")] = None,
    to: Annotated[DateTime | None, Query(description="Created before.")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> StaffOrderListOut:
    return StaffOrderListOut.of(orders.list_by_status(status, from_, to, limit, cursor))


@app.post(
    "/admin/orders/<order_id>/approve",
    access=staff(Permission.ORDERS_MANAGE),
    summary="Release an order held for review (staff)",
)
@tracer.capture_method
def approve_order(order_id: OrderId) -> StaffOrderOut:
    member = current_principal(app)
    order = orders.approve(order_id, member)
    logger.info("held order approved", order_id=order_id, staff=member.subject)
    return StaffOrderOut.of(order)


@app.post(
    "/admin/orders/<order_id>/reject",
    access=staff(Permission.ORDERS_MANAGE),
    summary="Refuse an order held for review: refund and cancel (staff)",
)
@tracer.capture_method
def reject_order(order_id: OrderId, body: RejectOrderIn) -> StaffOrderOut:
    member = current_principal(app)
    order = orders.reject(order_id, member, body.reason)
    logger.info("held order rejected", order_id=order_id, staff=member.subject)
    return StaffOrderOut.of(order)


@logger.inject_lambda_context(clear_state=True, correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
