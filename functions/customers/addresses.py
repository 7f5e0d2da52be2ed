"""The signed-in customer's address book."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from wiring import customers

from commerce.api.access import CUSTOMER
from commerce.api.customer_models import (
    CustomerAddressIn,
    CustomerAddressListOut,
    CustomerAddressOut,
)
from commerce.api.identity import current_principal
from commerce.api.resolver import created
from commerce.api.routing import DELETED, CommerceRouter, responds
from commerce.observability import logger

router = CommerceRouter()

AddressId = Annotated[str, Path(max_length=64)]


@router.get("/me/addresses", access=CUSTOMER, summary="List my addresses", traced_response=False)
def list_addresses() -> CustomerAddressListOut:
    saved = customers.addresses(current_principal(router))
    return CustomerAddressListOut(items=[CustomerAddressOut.of(a) for a in saved])


@router.post(
    "/me/addresses",
    access=CUSTOMER,
    summary="Add an address",
    responses=responds(201, "Created", CustomerAddressOut),
    traced_response=False,
)
def add_address(body: CustomerAddressIn) -> Response[CustomerAddressOut]:
    principal = current_principal(router)
    saved = customers.add_address(
        principal, body.address(), bool(body.default_shipping), bool(body.default_billing)
    )
    logger.info("address added", customer_id=principal.subject, address_id=saved.address.id)
    return created(CustomerAddressOut.of(saved), f"/me/addresses/{saved.address.id}")


@router.put(
    "/me/addresses/<address_id>", access=CUSTOMER, summary="Replace an address", traced_response=False
)
def update_address(address_id: AddressId, body: CustomerAddressIn) -> CustomerAddressOut:
    principal = current_principal(router)
    saved = customers.update_address(
        principal, address_id, body.address(), body.default_shipping, body.default_billing
    )
    logger.info("address updated", customer_id=principal.subject, address_id=address_id)
    return CustomerAddressOut.of(saved)


@router.delete(
    "/me/addresses/<address_id>",
    access=CUSTOMER,
    summary="Delete an address",
    responses=DELETED,
    traced_response=False,
)
def delete_address(address_id: AddressId) -> Response[None]:
    principal = current_principal(router)
    customers.delete_address(principal, address_id)
    logger.info("address deleted", customer_id=principal.subject, address_id=address_id)
    return Response(status_code=204)
