"""The signed-in customer's profile: read, update, export and erase."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.metrics import MetricUnit
from wiring import customers

from commerce.api.access import CUSTOMER
from commerce.api.customer_models import (
    CustomerExportOut,
    CustomerProfileIn,
    CustomerProfileOut,
)
from commerce.api.identity import current_principal
from commerce.api.routing import CommerceRouter, responds
from commerce.observability import logger, metrics

router = CommerceRouter()


@router.get(
    "/me",
    access=CUSTOMER,
    summary="Get my profile (created on first call); for staff, also what they may do",
    traced_response=False,
)
def get_me() -> CustomerProfileOut:
    return CustomerProfileOut.of(customers.profile(current_principal(router)), router.authority())


@router.put("/me", access=CUSTOMER, summary="Change my profile", traced_response=False)
def update_me(body: CustomerProfileIn) -> CustomerProfileOut:
    profile = customers.update_profile(current_principal(router), body.changes())
    logger.info("profile updated", customer_id=profile.customer_id, fields=sorted(body.model_fields_set))
    return CustomerProfileOut.of(profile, router.authority())


@router.delete(
    "/me",
    access=CUSTOMER,
    summary="Erase my data",
    description="Deletes profile, addresses and active cart; pseudonymises past orders (kept for tax law).",
    responses=responds(204, "Erased (also when there was nothing left to erase)"),
    traced_response=False,
)
def erase_me() -> Response[None]:
    principal = current_principal(router)
    erasure = customers.erase(principal)
    metrics.add_metric(name="CustomersErased", unit=MetricUnit.Count, value=1)
    logger.info(
        "customer erased",
        customer_id=principal.subject,
        items_deleted=erasure.items_deleted,
        orders_pseudonymised=erasure.orders_pseudonymised,
    )
    return Response(status_code=204)


@router.get(
    "/me/export", access=CUSTOMER, summary="Export all my data as one JSON document", traced_response=False
)
def export_me() -> Response[CustomerExportOut]:
    principal = current_principal(router)
    export = CustomerExportOut.of(customers.export(principal))
    logger.info(
        "customer data exported",
        customer_id=principal.subject,
        addresses=len(export.addresses),
        orders=len(export.orders),
    )
    return Response(
        status_code=200,
        content_type="application/json",
        body=export,
        headers={"Content-Disposition": 'attachment; filename="my-data.json"'},
    )
