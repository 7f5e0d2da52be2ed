"""Behaviour events and the aggregates they add up to (docs/analytics.md).

Pure: no I/O. A shopper activity event carries channel, currency, locale and the customer's id (the identity
provider's `sub`) where known, never personal data (no email, name or address). `increments` turns one event
envelope into the counter additions it makes; the adapter applies them once per event id.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from commerce.domain.channels import CHANNEL_PATTERN
from commerce.domain.events import DomainEvent

PRODUCT_VIEWED = "ProductViewed"
SEARCH_MADE = "SearchMade"
CART_CREATED = "CartCreated"
CART_LINE_ADDED = "CartLineAdded"
CHECKOUT_STARTED = "CheckoutStarted"
ORDER_PAID = "OrderPaid"
REFUND_ISSUED = "RefundIssued"  # announced by the payments work; handled here by its type
BEHAVIOUR_TYPES = (PRODUCT_VIEWED, SEARCH_MADE, CART_CREATED, CART_LINE_ADDED, CHECKOUT_STARTED)
COUNTED_TYPES = (*BEHAVIOUR_TYPES, ORDER_PAID, REFUND_ISSUED)

DEFAULT_CHANNEL = "web"
CHANNELS = ("web", "mobile", "pos", "marketplace")
MAX_QUERY_LENGTH = 200
_SALES_CHANNEL = re.compile(CHANNEL_PATTERN)

# Aggregate item keys (docs/data-model.md, #130-#149).
SALES = "ANALYTICS#SALES#"  # + day; SK <channel>#<currency>
PRODUCTS = "ANALYTICS#PRODUCTS#"  # + day; SK <product id>
FUNNEL = "ANALYTICS#FUNNEL#"  # + day; SK <channel>
CAMPAIGNS = "ANALYTICS#CAMPAIGNS#"  # + day; SK <utm_campaign>
BOUGHT_WITH = "ANALYTICS#BOUGHT_WITH#"  # + product id; SK <other product id>; counter `orders`
BESTSELLERS = "ANALYTICS#BESTSELLERS#"  # + category; SK <product id>; counter `units_sold`
# Pairs of an order's products counted for "bought together": n products make n(n-1) items in the event's
# transaction, so an order of more distinct products than this adds no pairs (docs/analytics.md).
MAX_PAIRED_PRODUCTS = 8

# Counter names. Amounts are minor units of the currency in the key (sales) or in the name (products).
REVENUE, ORDERS, UNITS, REFUNDS, REFUNDED_ORDERS, DISCOUNTS = (
    "revenue",
    "orders",
    "units",
    "refunds",
    "refunded_orders",
    "discounts",
)
CARTS = "carts"
VIEWS, CART_ADDS, UNITS_SOLD, SEARCHES, CHECKOUTS, PAID = (
    "views",
    "cart_adds",
    "units_sold",
    "searches",
    "checkouts",
    "paid",
)


def product_revenue(currency: str) -> str:
    return f"revenue_{currency}"


@dataclass(frozen=True, slots=True)
class ShopperContext:
    """Who is browsing, in what: the part every shopper activity event carries."""

    channel: str = DEFAULT_CHANNEL
    currency: str | None = None
    locale: str | None = None
    customer_id: str | None = None

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"channel": normal_channel(self.channel)}
        if self.currency:
            data["currency"] = self.currency
        if self.locale:
            data["locale"] = self.locale
        if self.customer_id:
            data["customer_id"] = self.customer_id
        return data


def normal_channel(value: str | None) -> str:
    """A sales channel's id (`web`, `app`, `marketplace:<name>`, `pos:<store>`: the channel an order was
    taken on, or a storefront's `channel` parameter) or one of CHANNELS (the `X-Channel` header's kinds);
    anything else (a typo, a header someone made up) counts as the default channel."""
    value = (value or "").strip().lower()
    return value if value in CHANNELS or _SALES_CHANNEL.match(value) else DEFAULT_CHANNEL


def product_viewed(shopper_context: ShopperContext, product_id: str, at: datetime) -> DomainEvent:
    return DomainEvent(PRODUCT_VIEWED, at, {**shopper_context.as_data(), "product_id": product_id})


def search_made(shopper_context: ShopperContext, query: str, result_count: int, at: datetime) -> DomainEvent:
    return DomainEvent(
        SEARCH_MADE,
        at,
        {
            **shopper_context.as_data(),
            "query": query.strip()[:MAX_QUERY_LENGTH],
            "result_count": result_count,
        },
    )


def cart_created(
    shopper_context: ShopperContext, cart_id: str, attribution: Mapping[str, str], at: datetime
) -> DomainEvent:
    """A new cart, with the campaign it came from (utm_source, utm_medium, utm_campaign, referrer host)."""
    return DomainEvent(
        CART_CREATED, at, {**shopper_context.as_data(), "cart_id": cart_id, **dict(attribution)}
    )


def cart_line_added(
    shopper_context: ShopperContext, cart_id: str, sku: str, product_id: str, quantity: int, at: datetime
) -> DomainEvent:
    return DomainEvent(
        CART_LINE_ADDED,
        at,
        {
            **shopper_context.as_data(),
            "cart_id": cart_id,
            "sku": sku,
            "product_id": product_id,
            "quantity": quantity,
        },
    )


def checkout_started(shopper_context: ShopperContext, order_id: str, at: datetime) -> DomainEvent:
    return DomainEvent(CHECKOUT_STARTED, at, {**shopper_context.as_data(), "order_id": order_id})


@dataclass(frozen=True, slots=True)
class Increment:
    """Counters to add to one aggregate item."""

    pk: str
    sk: str
    counters: Mapping[str, int] = field(default_factory=dict)
    latest: Mapping[str, str] = field(default_factory=dict)  # attributes SET to the event's value


@dataclass(frozen=True, slots=True)
class Recorded:
    """An event as the aggregates see it: parsed from its envelope, SKUs already resolved to products."""

    event_id: str
    type: str
    day: date
    data: Mapping[str, Any]
    occurred_at: str = ""  # ISO 8601 in UTC


def parse_envelope(envelope: Mapping[str, Any]) -> Recorded:
    occurred = datetime.fromisoformat(str(envelope["occurred_at"]))
    if occurred.tzinfo is None:
        occurred = occurred.replace(tzinfo=UTC)
    return Recorded(
        event_id=str(envelope["event_id"]),
        type=str(envelope["type"]),
        day=occurred.astimezone(UTC).date(),
        occurred_at=occurred.astimezone(UTC).isoformat(),
        data=dict(envelope.get("data") or {}),
    )


def skus_to_resolve(event: Recorded) -> list[str]:
    """SKUs of the paid order's lines whose product the consumer must look up."""
    if event.type != ORDER_PAID:
        return []
    return [str(line["sku"]) for line in event.data.get("lines", []) if not line.get("product_id")]


def increments(
    event: Recorded, products_of: Mapping[str, str] | None = None, categories: Mapping[str, str] | None = None
) -> list[Increment]:
    """The additions one event makes, each counter positive, zero counters left out."""
    data, day = event.data, event.day.isoformat()
    channel = normal_channel(data.get("channel"))
    funnel = Increment(FUNNEL + day, channel)
    if event.type == ORDER_PAID:
        products, found = products_of or {}, categories or {}
        paid = _order_paid(data, day, channel, products)
        return paid + _together(data, products, found) + customer_stats(event)
    if event.type == REFUND_ISSUED:
        counters = {REFUNDS: int(data["amount"]), REFUNDED_ORDERS: 1}
        return _nonzero([Increment(SALES + day, f"{channel}#{data['currency']}", counters)])
    step = _FUNNEL_STEPS.get(event.type)
    if step is None:
        return []
    result = [Increment(funnel.pk, funnel.sk, {step: 1})]
    if event.type == CART_CREATED and data.get("utm_campaign"):
        result.append(Increment(CAMPAIGNS + day, str(data["utm_campaign"]), {CARTS: 1}))
    if event.type in (PRODUCT_VIEWED, CART_LINE_ADDED):
        result.append(Increment(PRODUCTS + day, str(data["product_id"]), {step: 1}))
    return result


_FUNNEL_STEPS = {
    CART_CREATED: CARTS,
    PRODUCT_VIEWED: VIEWS,
    SEARCH_MADE: SEARCHES,
    CART_LINE_ADDED: CART_ADDS,
    CHECKOUT_STARTED: CHECKOUTS,
}


def _order_paid(
    data: Mapping[str, Any], day: str, channel: str, products_of: Mapping[str, str]
) -> list[Increment]:
    currency = str(data["currency"])
    lines: Sequence[Mapping[str, Any]] = data.get("lines", [])
    units = sum(int(line["quantity"]) for line in lines)
    result = [
        Increment(FUNNEL + day, channel, {PAID: 1}),
        Increment(
            SALES + day,
            f"{channel}#{currency}",
            {REVENUE: int(data["total"]), ORDERS: 1, UNITS: units, DISCOUNTS: int(data.get("discount", 0))},
        ),
    ]
    per_product: dict[str, dict[str, int]] = {}
    for line in lines:
        product_id = str(line.get("product_id") or products_of.get(str(line["sku"])) or f"sku:{line['sku']}")
        counters = per_product.setdefault(product_id, {UNITS_SOLD: 0, product_revenue(currency): 0})
        counters[UNITS_SOLD] += int(line["quantity"])
        counters[product_revenue(currency)] += int(line["line_total"])
    result += [
        Increment(PRODUCTS + day, product_id, counters) for product_id, counters in per_product.items()
    ]
    if data.get("campaign"):
        counters = {ORDERS: 1, product_revenue(currency): int(data["total"])}
        result.append(Increment(CAMPAIGNS + day, str(data["campaign"]), counters))
    return _nonzero(result)


def line_products(data: Mapping[str, Any], products_of: Mapping[str, str]) -> dict[str, int]:
    """Units per product of a paid order's lines (a SKU no longer in the catalog counts as `sku:<sku>`)."""
    units: dict[str, int] = {}
    for line in data.get("lines", []):
        product_id = str(line.get("product_id") or products_of.get(str(line["sku"])) or f"sku:{line['sku']}")
        units[product_id] = units.get(product_id, 0) + int(line["quantity"])
    return units


def _together(
    data: Mapping[str, Any], products_of: Mapping[str, str], categories: Mapping[str, str]
) -> list[Increment]:
    """Bought-together pairs (both ways) and the category bestseller counters of a paid order."""
    units = line_products(data, products_of)
    result = [
        Increment(BESTSELLERS + categories[product_id], product_id, {UNITS_SOLD: quantity})
        for product_id, quantity in units.items()
        if product_id in categories and quantity
    ]
    if len(units) <= MAX_PAIRED_PRODUCTS:
        result += [
            Increment(BOUGHT_WITH + a, b, {ORDERS: 1}) for a in sorted(units) for b in sorted(units) if a != b
        ]
    return result


def _nonzero(items: list[Increment]) -> list[Increment]:
    kept = [Increment(i.pk, i.sk, {k: v for k, v in i.counters.items() if v}, i.latest) for i in items]
    return [i for i in kept if i.counters]


# A paying customer's running totals, in their partition; GSI1 (sharded) lists them for the segment job.
CUSTOMER_STATS_SK = "STATS"
STATS_SHARDS = 8


def stats_shard(customer_id: str) -> str:
    return f"CUSTOMER_STATS#{zlib.crc32(customer_id.encode()) % STATS_SHARDS}"


def customer_stats(event: Recorded) -> list[Increment]:
    """A paid order of a signed-in customer adds to their orders and lifetime value (per currency)."""
    data, customer_id = event.data, event.data.get("customer_id")
    if event.type != ORDER_PAID or not customer_id:
        return []
    counters = {ORDERS: 1, f"ltv_{data['currency']}": int(data["total"])}
    latest = {
        "last_order_at": event.occurred_at,
        "GSI1PK": stats_shard(str(customer_id)),
        "GSI1SK": str(customer_id),
    }
    return [Increment(f"CUSTOMER#{customer_id}", CUSTOMER_STATS_SK, counters, latest)]
