"""Fulfillment and after-sales: shipments, labels, carrier tracking, cancellations, refunds, returns."""

# ruff: noqa: PLC0415 - a factory imports what only it builds, so a function loads what it is wired with

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from commerce.composition.adapters import adapters, now
from commerce.config import Labels, Settings, Shipping

if TYPE_CHECKING:
    from commerce.domain.ports import Carrier, PaymentGateway
    from commerce.services.after_sales import AfterSales
    from commerce.services.fulfillment import CarrierEvents, Fulfillment
    from commerce.services.returns import Returns
    from commerce.services.shipment_labels import ShipmentLabels


def carrier(settings: Settings, client: Any = None) -> Carrier:
    """The HTTP carrier at CARRIER_ENDPOINT, or the simulated one when none is configured."""
    return adapters(settings, client).carrier


def fulfillment(settings: Settings | None = None, client: Any = None) -> Fulfillment:
    from commerce.domain.fulfillment import parse_location_countries
    from commerce.services.fulfillment import Fulfillment

    found = adapters(settings, client)
    return Fulfillment(
        orders=found.orders,
        shipments=found.shipments,
        carrier=found.carrier,
        events=found.events,
        workflow=found.fulfillment_workflow,
        clock=now,
        location_countries=parse_location_countries(found.settings.section(Shipping).location_countries),
    )


def carrier_secret(settings: Settings | None = None, client: Any = None) -> Callable[[], Mapping[str, str]]:
    """The credentials the carrier signs its tracking webhooks with."""
    return adapters(settings, client).carrier_secret


def carrier_signature_check(
    settings: Settings | None = None, client: Any = None
) -> Callable[[str | None, bytes], None]:
    """The tracking webhook's check: InvalidSignature unless the header signs the body with the carrier's
    webhook secret, in time."""
    from commerce.adapters.carriers import verify

    secret = carrier_secret(settings, client)

    def check(signature: str | None, body: bytes) -> None:
        verify(secret()["webhook_secret"], signature, body)

    return check


def carrier_events(settings: Settings | None = None, client: Any = None) -> CarrierEvents:
    """Applies tracking updates; the relay's publisher counts each OrderFlagged (an update on a cancelled
    order)."""
    from commerce.services.fulfillment import CarrierEvents

    found = adapters(settings, client)
    return CarrierEvents(found.orders, found.shipments, found.relay, found.task_tokens, now)


def delivery_waits(settings: Settings | None = None, client: Any = None) -> Fulfillment:
    """Fulfillment as the tracking webhook uses it: it answers the workflow's waits and ships nothing."""
    from commerce.services.fulfillment import Fulfillment

    found = adapters(settings, client)
    return Fulfillment(found.orders, found.shipments, found.carrier, found.events, found.task_tokens, now, {})


def shipment_labels(settings: Settings | None = None, client: Any = None) -> ShipmentLabels:
    from commerce.adapters.label_store import S3LabelStore
    from commerce.services.shipment_labels import ShipmentLabels

    found = adapters(settings, client)
    bucket = found.settings.section(Labels).labels_bucket
    return ShipmentLabels(
        orders=found.orders,
        shipments=found.shipments,
        carrier=found.carrier,
        store=S3LabelStore(found.clients("s3"), bucket),
        clock=now,
    )


def after_sales(
    settings: Settings | None = None, client: Any = None, payment_gateway: PaymentGateway | None = None
) -> AfterSales:
    from commerce.services.after_sales import AfterSales

    found = adapters(settings, client)
    return AfterSales(
        orders=found.orders,
        ledger=found.refund_ledger,
        refunds=found.pending_refunds,
        payments=payment_gateway or found.payments,
        relay=found.relay,
        clock=now,
        shipments=found.shipments,
        fulfillment_workflow=found.task_tokens,
        carrier=found.carrier,
    )


def returns(settings: Settings, after_sales_service: AfterSales, client: Any = None) -> Returns:
    from commerce.services.returns import Returns

    found = adapters(settings, client)
    return Returns(found.returns, after_sales_service, found.relay, now)
