"""Accounting: an invoice when an order is paid and a credit note when a refund is issued, with their tax
lines, as JSON or as CSV (setting `format`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from commerce.domain.connectors.base import (
    Document,
    Facts,
    csv_document,
    json_document,
    minor,
    order_line,
    order_of,
    order_totals,
    tax_amount,
    unknown_settings,
)
from commerce.domain.errors import ValidationFailed
from commerce.domain.events import DomainEvent
from commerce.domain.money import Money
from commerce.domain.order import Order

FORMATS = ("json", "csv")
CSV_HEADER = (
    "document_type",
    "document_id",
    "invoice_id",
    "order_id",
    "issued_at",
    "currency",
    "row_type",
    "sku",
    "description",
    "quantity",
    "unit_price",
    "net",
    "tax_name",
    "tax_rate_ppm",
    "tax",
    "gross",
)


def invoice_id(order_id: str) -> str:
    return f"inv_{order_id}"


def invoice(order: Order, issued_at: str) -> dict[str, Any]:
    """Everything an invoice needs, in minor units of the order's currency. The accounting system gives it
    its legal number; `id` is ours, stable, for deduplication and for credit notes to refer to."""
    totals = order.totals
    pricing = order.pricing
    tax_included = totals.tax_included
    shipping = minor(totals.shipping)
    shipping_tax = minor(totals.shipping_tax)
    shipping_net = shipping - shipping_tax if tax_included else shipping
    return {
        "order_id": order.id,
        "issued_at": issued_at,
        "currency": order.currency,
        "channel": order.channel or "web",
        "seller": dict(pricing.seller) if pricing else {},
        "tax_region": pricing.tax_region if pricing else order.tax_country,
        "tax_included": tax_included,
        "buyer": {
            "customer_id": order.customer_id,
            "email": order.email,
            "billing_address": dict(order.billing_address),
        },
        "lines": [order_line(line, tax_included) for line in order.lines],
        "shipping": {"net": shipping_net, "tax": shipping_tax, "gross": shipping_net + shipping_tax},
        "tax_lines": [tax_amount(t) for t in totals.tax_breakdown],
        "totals": order_totals(order),
    }


def refund_tax_lines(order: Order, amount: int) -> list[dict[str, Any]]:
    """The refunded amount (tax included) split across the order's tax rates in proportion to what was
    charged at each (the untaxed part of the total as a rate of its own), without losing a minor unit;
    within each part the tax is the rate's share of it, rounded half to even. net + tax = amount."""
    currency = order.currency
    buckets: list[tuple[str, int, int, int]] = []  # name, rate, gross charged at it, tax in it
    for t in order.totals.tax_breakdown:
        buckets.append((t.name, t.rate_ppm, t.base.amount + t.tax.amount, t.tax.amount))
    untaxed = minor(order.totals.total) - sum(b[2] for b in buckets)
    if untaxed > 0 or not buckets:
        buckets.append(("none", 0, max(untaxed, 1), 0))
    shares = Money(amount, currency).allocate([max(b[2], 0) for b in buckets])
    lines: list[dict[str, Any]] = []
    for (name, rate, gross, tax_in), share in zip(buckets, shares, strict=True):
        if share.amount == 0:
            continue
        tax = _round_half_even(share.amount * tax_in, gross) if gross else 0
        lines.append(
            {"name": name, "rate_ppm": rate, "net": share.amount - tax, "tax": tax, "gross": share.amount}
        )
    return lines


def _round_half_even(numerator: int, denominator: int) -> int:
    quotient, remainder = divmod(numerator, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and quotient % 2 == 1):
        return quotient + 1
    return quotient


def credit_note(order: Order, data: Mapping[str, Any], issued_at: str) -> dict[str, Any]:
    amount = int(data["amount"])
    tax_lines = refund_tax_lines(order, amount)
    return {
        "invoice_id": invoice_id(order.id),
        "order_id": order.id,
        "refund_id": data["refund_id"],
        "issued_at": issued_at,
        "currency": order.currency,
        "seller": dict(order.pricing.seller) if order.pricing else {},
        "buyer": {
            "customer_id": order.customer_id,
            "email": order.email,
            "billing_address": dict(order.billing_address),
        },
        "with_cancellation": bool(data.get("with_cancellation", False)),
        "tax_lines": tax_lines,
        "totals": {
            "net": sum(t["net"] for t in tax_lines),
            "tax": sum(t["tax"] for t in tax_lines),
            "total": amount,
        },
    }


def _rate_of(taxes: list[dict[str, Any]]) -> tuple[str, int | str]:
    """(tax name, rate) of a line taxed by one component; blank for several (the `tax` rows split them)."""
    return (taxes[0]["name"], taxes[0]["rate_ppm"]) if len(taxes) == 1 else ("", "")


def _invoice_rows(doc: Mapping[str, Any], document_id: str) -> list[list[Any]]:
    head = ["invoice", document_id, document_id, doc["order_id"], doc["issued_at"], doc["currency"]]
    rows = [
        [
            *head,
            "line",
            line["sku"],
            line["description"],
            line["quantity"],
            line["unit_price"],
            line["net"],
            *_rate_of(line["taxes"]),
            line["tax"],
            line["gross"],
        ]
        for line in doc["lines"]
    ]
    shipping = doc["shipping"]
    if shipping["gross"]:
        rows.append(
            [
                *head,
                "shipping",
                "",
                "shipping",
                1,
                shipping["gross"],
                shipping["net"],
                "",
                "",
                shipping["tax"],
                shipping["gross"],
            ]
        )
    rows += [
        [*head, "tax", "", "", "", "", t["base"], t["name"], t["rate_ppm"], t["tax"], t["base"] + t["tax"]]
        for t in doc["tax_lines"]
    ]
    totals = doc["totals"]
    net = totals["total"] - totals["tax"]  # tax-inclusive or not, the total is net plus tax
    rows.append([*head, "total", "", "", "", "", net, "", "", totals["tax"], totals["total"]])
    return rows


def _credit_rows(doc: Mapping[str, Any], document_id: str) -> list[list[Any]]:
    head = ["credit_note", document_id, doc["invoice_id"], doc["order_id"], doc["issued_at"], doc["currency"]]
    rows = [
        [*head, "tax", "", "refund", "", "", t["net"], t["name"], t["rate_ppm"], t["tax"], t["gross"]]
        for t in doc["tax_lines"]
    ]
    totals = doc["totals"]
    rows.append([*head, "total", "", "", "", "", totals["net"], "", "", totals["tax"], totals["total"]])
    return rows


class Accounting:
    name: str = "accounting"
    description: str = (
        "An invoice on OrderPaid and a credit note on RefundIssued, with tax lines, as JSON or CSV."
    )
    consumes: frozenset[str] = frozenset({"OrderPaid", "RefundIssued"})
    settings: Mapping[str, str] = {"format": "json (default) or csv"}

    def check(self, settings: Mapping[str, str]) -> dict[str, str]:
        unknown_settings(settings, self.settings)
        chosen = settings.get("format", "json")
        if chosen not in FORMATS:
            raise ValidationFailed(f"format is one of {', '.join(FORMATS)}, not {chosen!r}")
        return {"format": chosen}

    def documents(self, event: DomainEvent, settings: Mapping[str, str], facts: Facts) -> list[Document]:
        order = order_of(event, facts)
        issued_at = event.occurred_at.isoformat()
        as_csv = settings.get("format") == "csv"
        if event.type == "OrderPaid":
            document_id, body = invoice_id(order.id), invoice(order, issued_at)
            rows = _invoice_rows
            kind = "accounting.invoice"
        else:
            document_id = f"cn_{event.data['refund_id']}"
            body, rows, kind = (
                credit_note(order, event.data, issued_at),
                _credit_rows,
                "accounting.credit_note",
            )
        if as_csv:
            return [csv_document(kind, document_id, CSV_HEADER, rows(body, document_id))]
        return [json_document(kind, document_id, body)]
