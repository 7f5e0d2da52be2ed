"""The signed-in customer's account: profile, address book, order history, data export and erasure.

Every route acts on the caller only: the customer id is the JWT's `sub`, never a path or body value.
Logs carry ids and counts, never an email, a name, a street, a phone number or a postal code.
"""

# No `from __future__ import annotations` here: Powertools reads the route signatures at run time
# to validate requests, and string annotations behind the tracer decorator would not resolve.

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from commerce import bootstrap
from commerce.api.access import CUSTOMER
from commerce.api.customer_models import (
    CustomerAddressIn,
    CustomerAddressListOut,
    CustomerAddressOut,
    CustomerExportOut,
    CustomerOrderListOut,
    CustomerProfileIn,
    CustomerProfileOut,
)
from commerce.api.identity import current_principal
from commerce.api.resolver import create_resolver, created
from commerce.config import Settings
from commerce.observability import logger, metrics, tracer

settings = Settings.from_env()
app = create_resolver(settings.staff_roles)
customers = bootstrap.customers(settings)

AddressId = Annotated[str, Path(max_length=64)]


def _no_content() -> Response[None]:
    return Response(status_code=204)  # no body, so no Content-Type either


# Traces must not hold personal data either: responses are never captured into X-Ray.
@app.get(
    "/me",
    access=CUSTOMER,
    summary="Get my profile (created on first call); for staff, also what they may do",
)
@tracer.capture_method(capture_response=False)
def get_me() -> CustomerProfileOut:
    return CustomerProfileOut.of(customers.profile(current_principal(app)), app.authority())


@app.put("/me", access=CUSTOMER, summary="Change my profile")
@tracer.capture_method(capture_response=False)
def update_me(body: CustomerProfileIn) -> CustomerProfileOut:
    profile = customers.update_profile(current_principal(app), body.changes())
    logger.info("profile updated", customer_id=profile.customer_id, fields=sorted(body.model_fields_set))
    return CustomerProfileOut.of(profile, app.authority())


@app.delete(
    "/me",
    access=CUSTOMER,
    summary="Erase my data",
    description="Deletes profile, addresses and active cart; pseudonymises past orders (kept for tax law).",
    responses={204: {"description": "Erased (also when there was nothing left to erase)"}},
)
@tracer.capture_method(capture_response=False)
def erase_me() -> Response[None]:
    principal = current_principal(app)
    erasure = customers.erase(principal)
    metrics.add_metric(name="CustomersErased", unit=MetricUnit.Count, value=1)
    logger.info(
        "customer erased",
        customer_id=principal.subject,
        items_deleted=erasure.items_deleted,
        orders_pseudonymised=erasure.orders_pseudonymised,
    )
    return _no_content()


@app.get("/me/export", access=CUSTOMER, summary="Export all my data as one JSON document")
@tracer.capture_method(capture_response=False)
def export_me() -> Response[CustomerExportOut]:
    principal = current_principal(app)
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


@app.get("/me/addresses", access=CUSTOMER, summary="List my addresses")
@tracer.capture_method(capture_response=False)
def list_addresses() -> CustomerAddressListOut:
    saved = customers.addresses(current_principal(app))
    return CustomerAddressListOut(items=[CustomerAddressOut.of(a) for a in saved])


@app.post(
    "/me/addresses",
    access=CUSTOMER,
    summary="Add an address",
    responses={
        201: {"description": "Created", "content": {"application/json": {"model": CustomerAddressOut}}}
    },
)
@tracer.capture_method(capture_response=False)
def add_address(body: CustomerAddressIn) -> Response[CustomerAddressOut]:
    principal = current_principal(app)
    saved = customers.add_address(
        principal, body.address(), bool(body.default_shipping), bool(body.default_billing)
    )
    logger.info("address added", customer_id=principal.subject, address_id=saved.address.id)
    return created(CustomerAddressOut.of(saved), f"/me/addresses/{saved.address.id}")


@app.put("/me/addresses/<address_id>", access=CUSTOMER, summary="Replace an address")
@tracer.capture_method(capture_response=False)
def update_address(address_id: AddressId, body: CustomerAddressIn) -> CustomerAddressOut:
    principal = current_principal(app)
    saved = customers.update_address(
        principal, address_id, body.address(), body.default_shipping, body.default_billing
    )
    logger.info("address updated", customer_id=principal.subject, address_id=address_id)
    return CustomerAddressOut.of(saved)


@app.delete(
    "/me/addresses/<address_id>",
    access=CUSTOMER,
    summary="Delete an address",
    responses={204: {"description": "Deleted"}},
)
@tracer.capture_method(capture_response=False)
def delete_address(address_id: AddressId) -> Response[None]:
    principal = current_principal(app)
    customers.delete_address(principal, address_id)
    logger.info("address deleted", customer_id=principal.subject, address_id=address_id)
    return _no_content()


@app.get("/me/orders", access=CUSTOMER, summary="List my orders, newest first")
@tracer.capture_method(capture_response=False)
def list_orders(
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> CustomerOrderListOut:
    return CustomerOrderListOut.of(customers.orders(current_principal(app), limit, cursor))


@logger.inject_lambda_context(clear_state=True, correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
