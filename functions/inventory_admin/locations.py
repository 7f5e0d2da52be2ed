"""Stock locations (warehouses, stores)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path
from wiring import inventory

from commerce.api.access import staff
from commerce.api.inventory_models import (
    LocationIn,
    LocationOut,
    LocationsOut,
)
from commerce.api.routing import CommerceRouter
from commerce.domain.permissions import Permission
from commerce.observability import logger

router = CommerceRouter()

LocationId = Annotated[str, Path(max_length=64, pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]


@router.get("/admin/locations", access=staff(Permission.INVENTORY), summary="List stock locations")
def list_locations() -> LocationsOut:
    return LocationsOut(items=[LocationOut.of(loc) for loc in inventory.locations()])


@router.put(
    "/admin/locations/<location_id>",
    access=staff(Permission.INVENTORY),
    summary="Create or replace a warehouse or store",
)
def put_location(location_id: LocationId, body: LocationIn) -> LocationOut:
    location = inventory.save_location(location_id, body.name, body.kind, body.address)
    logger.info("location saved", location=location_id)
    return LocationOut.of(location)
