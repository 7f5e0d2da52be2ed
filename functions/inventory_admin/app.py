"""Staff inventory: locations, stock per SKU with its ledger, receipts, adjustments, transfers, reorder
policies and purchase orders."""

# No `from __future__ import annotations` here: Powertools reads the route signatures at run time.

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from commerce import bootstrap
from commerce.api.access import staff
from commerce.api.channel_models import ChannelIn, ChannelKeyOut, ChannelOut, ChannelsOut
from commerce.api.inventory_models import (
    AdjustmentIn,
    HotSkuIn,
    HotSkuOut,
    LevelOut,
    LocationIn,
    LocationOut,
    LocationsOut,
    PurchaseOrderOut,
    PurchaseOrderReceiptIn,
    PurchaseOrdersOut,
    ReceiptIn,
    ReorderPolicyIn,
    ReorderPolicyOut,
    StockOut,
    TransferIn,
    TransferOut,
)
from commerce.api.resolver import create_resolver, created
from commerce.config import Settings
from commerce.domain.channels import CHANNEL_PATTERN, Channel
from commerce.domain.permissions import Permission
from commerce.observability import logger, metrics, tracer

settings = Settings.from_env()
app = create_resolver(settings.staff_roles)
inventory, restock, channels = bootstrap.inventory_admin(settings)

Sku = Annotated[str, Path(max_length=64, pattern=r"^[A-Z0-9][A-Z0-9-]{1,63}$")]
LocationId = Annotated[str, Path(max_length=64, pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]
RecordId = Annotated[str, Path(max_length=64, pattern=r"^[a-z0-9-]{1,64}$")]


@app.get("/admin/locations", access=staff(Permission.INVENTORY), summary="List stock locations")
@tracer.capture_method
def list_locations() -> LocationsOut:
    return LocationsOut(items=[LocationOut.of(loc) for loc in inventory.locations()])


@app.put(
    "/admin/locations/<location_id>",
    access=staff(Permission.INVENTORY),
    summary="Create or replace a warehouse or store",
)
@tracer.capture_method
def put_location(location_id: LocationId, body: LocationIn) -> LocationOut:
    location = inventory.save_location(location_id, body.name, body.kind, body.address)
    logger.info("location saved", location=location_id)
    return LocationOut.of(location)


@app.get(
    "/admin/inventory/<sku>",
    access=staff(Permission.INVENTORY),
    summary="A SKU's stock at every location, its recent movements and policy",
)
@tracer.capture_method
def get_stock(sku: Sku) -> StockOut:
    return StockOut.of(inventory.stock(sku))


@app.post(
    "/admin/inventory/<sku>/receipts",
    access=staff(Permission.INVENTORY),
    summary="Receive units at a location (a receipt movement)",
)
@tracer.capture_method
def receive(sku: Sku, body: ReceiptIn) -> StockOut:
    inventory.receive(sku, body.location, body.quantity, body.note)
    logger.info("stock received", sku=sku, location=body.location, quantity=body.quantity)
    return StockOut.of(inventory.stock(sku))


@app.post(
    "/admin/inventory/<sku>/adjustments",
    access=staff(Permission.INVENTORY),
    summary="Correct the units on hand, with a reason and a note",
)
@tracer.capture_method
def adjust(sku: Sku, body: AdjustmentIn) -> StockOut:
    inventory.adjust(sku, body.location, body.quantity, body.reason, body.note)
    logger.info("stock adjusted", sku=sku, location=body.location, quantity=body.quantity, reason=body.reason)
    return StockOut.of(inventory.stock(sku))


@app.put(
    "/admin/inventory/<sku>/reorder-policy",
    access=staff(Permission.INVENTORY),
    summary="Set the reorder point, quantity, supplier and lead time",
)
@tracer.capture_method
def put_reorder_policy(sku: Sku, body: ReorderPolicyIn) -> ReorderPolicyOut:
    policy = inventory.set_reorder_policy(body.to_policy(sku))
    logger.info("reorder policy set", sku=sku, supplier=policy.supplier)
    return ReorderPolicyOut.of(policy)


@app.put(
    "/admin/inventory/<sku>/hot",
    access=staff(Permission.INVENTORY),
    summary="Flag a SKU hot: split its stock over N shards (1: unflag)",
)
@tracer.capture_method
def put_hot(sku: Sku, body: HotSkuIn) -> HotSkuOut:
    levels = inventory.make_hot(sku, body.shards)
    logger.info("hot sku set", sku=sku, shards=body.shards)
    return HotSkuOut(sku=sku, shards=body.shards, locations=[LevelOut.of(level) for level in levels])


@app.post(
    "/admin/inventory/<sku>/rebalance",
    access=staff(Permission.INVENTORY),
    summary="Even out a hot SKU's available units over its shards",
)
@tracer.capture_method
def rebalance(sku: Sku) -> HotSkuOut:
    levels = inventory.rebalance(sku)
    return HotSkuOut(
        sku=sku, shards=inventory.hot_shards(sku), locations=[LevelOut.of(level) for level in levels]
    )


@app.post(
    "/admin/inventory/transfers",
    access=staff(Permission.INVENTORY),
    summary="Send units from one location to another (in transit until received)",
    responses={201: {"description": "Sent", "content": {"application/json": {"model": TransferOut}}}},
)
@tracer.capture_method
def send_transfer(body: TransferIn) -> Response[TransferOut]:
    transfer = inventory.send_transfer(body.sku, body.source, body.destination, body.quantity)
    logger.info("transfer sent", transfer_id=transfer.id, sku=body.sku)
    return created(TransferOut.of(transfer), f"/admin/inventory/transfers/{transfer.id}")


@app.get("/admin/inventory/transfers/<transfer_id>", access=staff(Permission.INVENTORY), summary="A transfer")
@tracer.capture_method
def get_transfer(transfer_id: RecordId) -> TransferOut:
    return TransferOut.of(inventory.get_transfer(transfer_id))


@app.post(
    "/admin/inventory/transfers/<transfer_id>/receive",
    access=staff(Permission.INVENTORY),
    summary="Receive a transfer at its destination",
)
@tracer.capture_method
def receive_transfer(transfer_id: RecordId) -> TransferOut:
    transfer = inventory.receive_transfer(transfer_id)
    logger.info("transfer received", transfer_id=transfer_id)
    return TransferOut.of(transfer)


@app.get(
    "/admin/inventory/purchase-orders",
    access=staff(Permission.INVENTORY),
    summary="Open purchase orders (draft, sent, partially received)",
)
@tracer.capture_method
def list_purchase_orders() -> PurchaseOrdersOut:
    return PurchaseOrdersOut(items=[PurchaseOrderOut.of(po) for po in restock.open_purchase_orders()])


@app.get(
    "/admin/inventory/purchase-orders/<purchase_order_id>",
    access=staff(Permission.INVENTORY),
    summary="A purchase order",
)
@tracer.capture_method
def get_purchase_order(purchase_order_id: RecordId) -> PurchaseOrderOut:
    return PurchaseOrderOut.of(restock.purchase_order(purchase_order_id))


@app.post(
    "/admin/inventory/purchase-orders/<purchase_order_id>/send",
    access=staff(Permission.INVENTORY),
    summary="Send a draft to the supplier",
)
@tracer.capture_method
def send_purchase_order(purchase_order_id: RecordId) -> PurchaseOrderOut:
    order = restock.send(purchase_order_id)
    logger.info("purchase order sent", purchase_order_id=purchase_order_id)
    return PurchaseOrderOut.of(order)


@app.post(
    "/admin/inventory/purchase-orders/<purchase_order_id>/receipts",
    access=staff(Permission.INVENTORY),
    summary="Receive a delivery against a purchase order (receipt movements)",
)
@tracer.capture_method
def receive_purchase_order(purchase_order_id: RecordId, body: PurchaseOrderReceiptIn) -> PurchaseOrderOut:
    order = restock.receive(purchase_order_id, body.lines, body.note)
    logger.info("purchase order received", purchase_order_id=purchase_order_id, status=order.status.value)
    return PurchaseOrderOut.of(order)


ChannelId = Annotated[
    str, Path(max_length=60, pattern=CHANNEL_PATTERN, description="web, app, marketplace:<name>, pos:<store>")
]


@app.get("/admin/channels", access=staff(Permission.INTEGRATIONS), summary="List sales channels")
@tracer.capture_method
def list_channels() -> ChannelsOut:
    return ChannelsOut(items=[ChannelOut.of(c) for c in channels.all()])


@app.put(
    "/admin/channels/<channel_id>",
    access=staff(Permission.INTEGRATIONS),
    summary="Create or replace a channel's products, price list and locations",
)
@tracer.capture_method
def put_channel(channel_id: ChannelId, body: ChannelIn) -> ChannelOut:
    products = tuple(body.products) if body.products is not None else None
    channel = channels.configure(
        Channel(
            channel_id,
            body.currency,
            tuple(body.locations),
            products,
            reservation_minutes=body.reservation_minutes,
        )
    )
    logger.info("channel saved", channel=channel_id)
    return ChannelOut.of(channel)


@app.post(
    "/admin/channels/<channel_id>/api-keys",
    access=staff(Permission.INTEGRATIONS),
    summary="Issue the channel a new API key (the old one stops working); shown once",
    responses={201: {"description": "Issued", "content": {"application/json": {"model": ChannelKeyOut}}}},
)
@tracer.capture_method
def issue_channel_key(channel_id: ChannelId) -> Response[ChannelKeyOut]:
    key = channels.issue_key(channel_id)
    logger.info("channel key issued", channel=channel_id)
    return Response(
        status_code=201, content_type="application/json", body=ChannelKeyOut(channel=channel_id, api_key=key)
    )


@logger.inject_lambda_context(clear_state=True, correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
