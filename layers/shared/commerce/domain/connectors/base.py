"""What every connector is: a pure translation of the domain events it consumes into the documents the
merchant's other system takes (an invoice, a sales order, a ticket). Delivering them (signed, retried,
logged, replayable) is the outbound webhook pipeline's job (docs/integrations.md)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from commerce.domain.customer import Profile
from commerce.domain.errors import ValidationFailed
from commerce.domain.events import DomainEvent
from commerce.domain.money import Money
from commerce.domain.order import Order
from commerce.domain.order_lines import OrderLine
from commerce.domain.tax import TaxAmount

JSON = "application/json"
CSV = "text/csv; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Document:
    type: str  # "accounting.invoice": the Commerce-Event-Type header of its delivery
    id: str  # stable: the same event makes the same document id, which receivers deduplicate on
    body: str
    content_type: str = JSON


class Facts(Protocol):
    """What a connector may read beyond the event: the order or the customer it names."""

    def order(self, order_id: str) -> Order | None: ...

    def customer(self, customer_id: str) -> Profile | None: ...


class Connector(Protocol):
    name: str
    description: str
    consumes: frozenset[str]  # the domain event types it turns into documents
    settings: Mapping[str, str]  # the settings it reads, each with what it means

    def check(self, settings: Mapping[str, str]) -> dict[str, str]:
        """The settings as stored; ValidationFailed says which one is wrong."""
        ...

    def documents(self, event: DomainEvent, settings: Mapping[str, str], facts: Facts) -> list[Document]: ...


def unknown_settings(settings: Mapping[str, str], known: Mapping[str, str]) -> None:
    extra = sorted(set(settings) - set(known))
    if extra:
        allowed = ", ".join(sorted(known)) or "none"
        raise ValidationFailed(f"unknown settings: {', '.join(extra)} (this connector takes: {allowed})")


def json_document(kind: str, document_id: str, body: Mapping[str, Any]) -> Document:
    text = json.dumps(
        {"document": kind, "id": document_id, **body}, separators=(",", ":"), ensure_ascii=False
    )
    return Document(type=kind, id=document_id, body=text)


def csv_document(
    kind: str, document_id: str, header: Sequence[str], rows: Sequence[Sequence[Any]]
) -> Document:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
    writer.writerow(header)
    writer.writerows(rows)
    return Document(type=kind, id=document_id, body=out.getvalue(), content_type=CSV)


def minor(money: Money | None) -> int:
    return money.amount if money is not None else 0


def order_of(event: DomainEvent, facts: Facts) -> Order:
    """The order the event names; an event about an order we cannot read is retried, then dead-lettered."""
    order_id = str(event.data.get("order_id") or "")
    order = facts.order(order_id) if order_id else None
    if order is None:
        raise LookupError(f"{event.type} {event.event_id} names order {order_id!r}, which cannot be read")
    return order


def tax_amount(t: TaxAmount) -> dict[str, Any]:
    return {"name": t.name, "rate_ppm": t.rate_ppm, "base": t.base.amount, "tax": t.tax.amount}


def order_line(line: OrderLine, tax_included: bool) -> dict[str, Any]:
    """A line as invoices and sales orders carry it: net, tax and gross whichever way the price was shown."""
    charged = minor(line.line_total) - minor(line.discount)
    tax = minor(line.tax)
    net, gross = (charged - tax, charged) if tax_included else (charged, charged + tax)
    return {
        "sku": line.sku,
        "description": line.name,
        "quantity": line.quantity,
        "unit_price": minor(line.unit_price),
        "discount": minor(line.discount),
        "net": net,
        "tax": tax,
        "gross": gross,
        "taxes": [tax_amount(t) for t in line.taxes],
    }


def order_totals(order: Order) -> dict[str, int]:
    totals = order.totals
    return {
        "subtotal": minor(totals.subtotal),
        "discount": minor(totals.discount),
        "shipping": minor(totals.shipping),
        "tax": minor(totals.tax),
        "total": minor(totals.total),
    }
