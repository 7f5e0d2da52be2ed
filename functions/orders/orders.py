"""An order read by its guest (with its token) or by the signed-in customer."""

from __future__ import annotations

from wiring import orders

from commerce.api.access import CUSTOMER, PUBLIC
from commerce.api.identity import current_principal
from commerce.api.order_models import OrderOut
from commerce.api.params import OrderId, OrderToken
from commerce.api.routing import CommerceRouter

router = CommerceRouter()


@router.get("/orders/<order_id>", access=PUBLIC, summary="An order's status, for whoever holds its token")
def get_order(order_id: OrderId, x_order_token: OrderToken = None) -> OrderOut:
    return OrderOut.of(orders.for_token(order_id, x_order_token))


@router.get("/me/orders/<order_id>", access=CUSTOMER, summary="One of the signed-in customer's orders")
def get_my_order(order_id: OrderId) -> OrderOut:
    return OrderOut.of(orders.for_customer(order_id, current_principal(router).subject))
