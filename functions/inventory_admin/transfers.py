"""Stock transfers between locations: sent and received."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from wiring import inventory, lists

from commerce.api.access import staff
from commerce.api.inventory_models import (
    TransferIn,
    TransferListOut,
    TransferOut,
)
from commerce.api.params import PageCursor, PageLimit, RecordId
from commerce.api.resolver import created
from commerce.api.routing import CommerceRouter, responds
from commerce.domain.permissions import Permission
from commerce.observability import logger

router = CommerceRouter()


@router.post(
    "/admin/inventory/transfers",
    access=staff(Permission.INVENTORY),
    summary="Send units from one location to another (in transit until received)",
    responses=responds(201, "Sent", TransferOut),
)
def send_transfer(body: TransferIn) -> Response[TransferOut]:
    transfer = inventory.send_transfer(body.sku, body.source, body.destination, body.quantity)
    logger.info("transfer sent", transfer_id=transfer.id, sku=body.sku)
    return created(TransferOut.of(transfer), f"/admin/inventory/transfers/{transfer.id}")


@router.get(
    "/admin/inventory/transfers",
    access=staff(Permission.INVENTORY),
    summary="Transfers, newest sent first, a page at a time",
)
def list_transfers(limit: PageLimit = 50, cursor: PageCursor = None) -> TransferListOut:
    page = lists.transfers(limit, cursor)
    return TransferListOut(items=[TransferOut.of(t) for t in page.items], next_cursor=page.next_cursor)


@router.get(
    "/admin/inventory/transfers/<transfer_id>", access=staff(Permission.INVENTORY), summary="A transfer"
)
def get_transfer(transfer_id: RecordId) -> TransferOut:
    return TransferOut.of(inventory.get_transfer(transfer_id))


@router.post(
    "/admin/inventory/transfers/<transfer_id>/receive",
    access=staff(Permission.INVENTORY),
    summary="Receive a transfer at its destination",
)
def receive_transfer(transfer_id: RecordId) -> TransferOut:
    transfer = inventory.receive_transfer(transfer_id)
    logger.info("transfer received", transfer_id=transfer_id)
    return TransferOut.of(transfer)
