"""Purchase orders to suppliers: listed, read, sent and received."""

from __future__ import annotations

from wiring import restock

from commerce.api.access import staff
from commerce.api.inventory_models import (
    PurchaseOrderOut,
    PurchaseOrderReceiptIn,
    PurchaseOrdersOut,
)
from commerce.api.params import RecordId
from commerce.api.routing import CommerceRouter
from commerce.domain.permissions import Permission
from commerce.observability import logger

router = CommerceRouter()


@router.get(
    "/admin/inventory/purchase-orders",
    access=staff(Permission.INVENTORY),
    summary="Open purchase orders (draft, sent, partially received)",
)
def list_purchase_orders() -> PurchaseOrdersOut:
    return PurchaseOrdersOut(items=[PurchaseOrderOut.of(po) for po in restock.open_purchase_orders()])


@router.get(
    "/admin/inventory/purchase-orders/<purchase_order_id>",
    access=staff(Permission.INVENTORY),
    summary="A purchase order",
)
def get_purchase_order(purchase_order_id: RecordId) -> PurchaseOrderOut:
    return PurchaseOrderOut.of(restock.purchase_order(purchase_order_id))


@router.post(
    "/admin/inventory/purchase-orders/<purchase_order_id>/send",
    access=staff(Permission.INVENTORY),
    summary="Send a draft to the supplier",
)
def send_purchase_order(purchase_order_id: RecordId) -> PurchaseOrderOut:
    order = restock.send(purchase_order_id)
    logger.info("purchase order sent", purchase_order_id=purchase_order_id)
    return PurchaseOrderOut.of(order)


@router.post(
    "/admin/inventory/purchase-orders/<purchase_order_id>/receipts",
    access=staff(Permission.INVENTORY),
    summary="Receive a delivery against a purchase order (receipt movements)",
)
def receive_purchase_order(purchase_order_id: RecordId, body: PurchaseOrderReceiptIn) -> PurchaseOrderOut:
    order = restock.receive(purchase_order_id, body.lines, body.note)
    logger.info("purchase order received", purchase_order_id=purchase_order_id, status=order.status.value)
    return PurchaseOrderOut.of(order)
