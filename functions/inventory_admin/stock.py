"""A SKU's stock: levels, receipts, adjustments, reorder policy, hot flag and rebalancing."""

from __future__ import annotations

from wiring import inventory, lists

from commerce.api.access import staff
from commerce.api.inventory_models import (
    AdjustmentIn,
    HotSkuIn,
    HotSkuOut,
    LevelOut,
    MovementListOut,
    MovementOut,
    ReceiptIn,
    ReorderPolicyIn,
    ReorderPolicyOut,
    StockOut,
)
from commerce.api.params import PageCursor, PageLimit, SkuCode
from commerce.api.routing import CommerceRouter
from commerce.domain.permissions import Permission
from commerce.observability import logger

router = CommerceRouter()


@router.get(
    "/admin/inventory/<sku>",
    access=staff(Permission.INVENTORY),
    summary="A SKU's stock at every location, its recent movements and policy",
)
def get_stock(sku: SkuCode) -> StockOut:
    return StockOut.of(inventory.stock(sku))


@router.get(
    "/admin/inventory/<sku>/movements",
    access=staff(Permission.INVENTORY),
    summary="A SKU's whole ledger of movements, newest first, a page at a time",
)
def list_movements(sku: SkuCode, limit: PageLimit = 50, cursor: PageCursor = None) -> MovementListOut:
    page = lists.movements(sku, limit, cursor)
    return MovementListOut(items=[MovementOut.of(m) for m in page.items], next_cursor=page.next_cursor)


@router.post(
    "/admin/inventory/<sku>/receipts",
    access=staff(Permission.INVENTORY),
    summary="Receive units at a location (a receipt movement)",
)
def receive(sku: SkuCode, body: ReceiptIn) -> StockOut:
    inventory.receive(sku, body.location, body.quantity, body.note)
    logger.info("stock received", sku=sku, location=body.location, quantity=body.quantity)
    return StockOut.of(inventory.stock(sku))


@router.post(
    "/admin/inventory/<sku>/adjustments",
    access=staff(Permission.INVENTORY),
    summary="Correct the units on hand, with a reason and a note",
)
def adjust(sku: SkuCode, body: AdjustmentIn) -> StockOut:
    inventory.adjust(sku, body.location, body.quantity, body.reason, body.note)
    logger.info("stock adjusted", sku=sku, location=body.location, quantity=body.quantity, reason=body.reason)
    return StockOut.of(inventory.stock(sku))


@router.put(
    "/admin/inventory/<sku>/reorder-policy",
    access=staff(Permission.INVENTORY),
    summary="Set the reorder point, quantity, supplier and lead time",
)
def put_reorder_policy(sku: SkuCode, body: ReorderPolicyIn) -> ReorderPolicyOut:
    policy = inventory.set_reorder_policy(body.to_policy(sku))
    logger.info("reorder policy set", sku=sku, supplier=policy.supplier)
    return ReorderPolicyOut.of(policy)


@router.put(
    "/admin/inventory/<sku>/hot",
    access=staff(Permission.INVENTORY),
    summary="Flag a SKU hot: split its stock over N shards (1: unflag)",
)
def put_hot(sku: SkuCode, body: HotSkuIn) -> HotSkuOut:
    levels = inventory.make_hot(sku, body.shards)
    logger.info("hot sku set", sku=sku, shards=body.shards)
    return HotSkuOut(sku=sku, shards=body.shards, locations=[LevelOut.of(level) for level in levels])


@router.post(
    "/admin/inventory/<sku>/rebalance",
    access=staff(Permission.INVENTORY),
    summary="Even out a hot SKU's available units over its shards",
)
def rebalance(sku: SkuCode) -> HotSkuOut:
    levels = inventory.rebalance(sku)
    return HotSkuOut(
        sku=sku, shards=inventory.hot_shards(sku), locations=[LevelOut.of(level) for level in levels]
    )
