"""A mixed storefront load on the local stack: throughput, latency by route, errors, oversells, AWS calls.

    .venv/bin/python bench/load.py [--clients 8] [--operations 600] [--seconds 300] [--seed 20261127]

It starts a local stack in this process (moto, the template's functions, localstripe, the demo catalog),
adds a product of its own whose three SKUs have 3 units each (the "hot" SKUs that concurrent checkouts
compete for), then N client threads run operations drawn from a seeded mix until the count or the time
runs out, whichever comes first (an operation under way then finishes; each has bounded timeouts):

- browse (80 %): the product list, a product page, a category's products, the category list or a search;
- cart (15 %): a guest cart created, a line set, the cart read back;
- checkout (5 %): a whole purchase as bench/checkout_cost.py makes it (cart, line, POST /checkout, the
  PaymentIntent paid with card 4242 in localstripe, its signed webhook, the workflow to `paid`), the
  order polled (GET /orders/{order_id}, bounded) until it is paid. Half of them buy a hot SKU: there a
  409 out-of-stock answer is expected once the units are gone, and nowhere else.

Then it prints Markdown tables: throughput (operations/s, overall and per kind), latency percentiles by
route (method and template path, seen by the client; the webhook, which localstripe sends, as the API
emulator saw it), errors by route and status (any 5xx or other unexpected answer, an order not paid in
time), oversells (the stock items and movements of every SKU and the paid orders, read from the local
DynamoDB after the run) and the AWS calls per request by route.

AWS calls are attributed exactly, even with concurrent clients: the local HTTP API serves each request
in a thread of its own and calls the function there, so a context variable set around the emulator's
route call (and around Lambda invocations that come from elsewhere, such as the state machine's tasks)
names what every botocore `_make_api_call` of that thread is serving. Nothing is changed in `local/`:
the bench wraps the emulator's and the runtime's methods, as checkout_cost.py does.

A measurement, not a test: it asserts nothing about time. It exits 1 when there are errors or oversells.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import logging
import math
import os
import platform
import random
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import requests
import stripe
from botocore.client import BaseClient

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "layers" / "shared")]

from local.http_api import HttpApi  # noqa: E402
from local.lambdas import LambdaRuntime  # noqa: E402
from local.stack import LocalStack  # noqa: E402

MIX: dict[str, float] = {"browse": 0.80, "cart": 0.15, "checkout": 0.05}
BROWSE_MIX: dict[str, float] = {
    "list": 0.25,
    "product": 0.35,
    "category": 0.20,
    "categories": 0.05,
    "search": 0.15,
}
HOT_SHARE = 0.5  # of checkouts, buying a hot SKU
HOT_UNITS = {"H1": (("wh-paris", 3),), "H2": (("wh-paris", 1), ("wh-berlin", 2)), "H3": (("wh-berlin", 3),)}
MAX_UNIT_PRICE = 15_000  # EUR minor units: keeps a first order under the fraud review amount (50,000)
PAID_WITHIN = 60.0  # seconds an order may take from checkout to `paid`
POLL_EVERY = 0.25
VISA = "4242424242424242"
SHIPPING = {
    "recipient_name": "Load Buyer",
    "line1": "1 Rue de la Paix",
    "city": "Paris",
    "postal_code": "75002",
    "country": "FR",
}
WEBHOOK_ROUTE = "POST /webhooks/stripe"
ENGINE = "state machine engine (moto), outside any function"
RECEIVED = ("receipt", "adjustment", "return")

# pure parts


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest rank: the smallest value with at least `share` of the values at or below it."""
    if not values:
        raise ValueError("no values")
    if not 0 <= share <= 1:
        raise ValueError(f"share {share} is not within 0..1")
    ordered = sorted(values)
    rank = math.ceil(round(share * len(ordered), 9))  # round: 0.9 * 10 is 9.000000000000002
    return ordered[min(len(ordered), max(1, rank)) - 1]


def pick(rng: random.Random, mix: Mapping[str, float]) -> str:
    """One key of `mix`, with the probability of its weight."""
    point = rng.random() * sum(mix.values())
    for name, weight in mix.items():
        if point < weight:
            return name
        point -= weight
    return list(mix)[-1]  # only reached through rounding at the very top


class Plan:
    """The run's operations: kinds drawn from the mix with a seeded generator, each with a seed of its own
    for its details; thread-safe. It ends after `operations` or once `seconds` have passed since start()."""

    def __init__(
        self,
        seed: int,
        operations: int,
        seconds: float,
        mix: Mapping[str, float] = MIX,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._rng = random.Random(seed)
        self._left, self._seconds, self._mix, self._clock = operations, seconds, dict(mix), clock
        self._deadline = math.inf
        self._lock = threading.Lock()

    def start(self) -> None:
        self._deadline = self._clock() + self._seconds

    def next(self) -> tuple[str, int] | None:
        with self._lock:
            if self._left <= 0 or self._clock() >= self._deadline:
                return None
            self._left -= 1
            return pick(self._rng, self._mix), self._rng.getrandbits(32)


@dataclass
class _Ledger:
    levels: dict[tuple[str, str], Mapping[str, Any]] = field(default_factory=dict)
    moves: dict[tuple[str, str], Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    sold_to: Counter[tuple[str, str]] = field(default_factory=Counter)  # (order id, sku): units sold it
    paid: list[Mapping[str, Any]] = field(default_factory=list)


def _ledger(items: Iterable[Mapping[str, Any]]) -> _Ledger:
    ledger = _Ledger()
    for item in items:
        kind = item.get("type")
        if kind == "stock":
            ledger.levels[(str(item["sku"]), str(item["location"]))] = item
        elif kind == "movement":
            ledger.moves[(str(item["sku"]), str(item["location"]))][str(item["reason"])] += int(
                item["quantity"]
            )
            if item["reason"] == "sale" and item.get("order_id"):
                ledger.sold_to[(str(item["order_id"]), str(item["sku"]))] += int(item["quantity"])
        elif kind == "order" and item.get("status") == "paid":
            ledger.paid.append(item)
    return ledger


def _place_problems(
    sku: str, location: str, moves: Counter[str], level: Mapping[str, Any] | None
) -> list[str]:
    received = sum(moves[reason] for reason in RECEIVED)
    sold = moves["sale"]
    held = moves["reservation"] - moves["release"] - moves["sale"]
    where = f"{sku} at {location}"
    problems = []
    if sold + held > received:
        problems.append(f"{where}: sold {sold} + reserved {held} > received {received}")
    if held < 0:
        problems.append(f"{where}: {-held} more units released or sold than reserved")
    if level is None:
        return [*problems, f"{where}: movements but no stock level"]
    on_hand, reserved = int(level.get("on_hand", 0)), int(level.get("reserved", 0))
    if (on_hand, reserved) != (received - sold, held):
        problems.append(
            f"{where}: level on_hand {on_hand} / reserved {reserved}, "
            f"movements say {received - sold} / {held}"
        )
    if not 0 <= reserved <= on_hand:
        problems.append(f"{where}: reserved {reserved} of on_hand {on_hand}")
    return problems


def audit_stock(items: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every way the table shows units sold or held that were not there; empty when there is none.

    `items` are the table's items, decoded: stock levels (`type` stock: sku, location, on_hand, reserved),
    movements (`type` movement: sku, location, reason, quantity, order_id) and orders (`type` order: id,
    status, lines of sku and quantity). Per SKU and location: sold + still reserved never exceeds what was
    received, no more is released or sold than was reserved, and the level item is what its movements add
    up to, with 0 <= reserved <= on_hand. Per paid order: the ledger sold it exactly its lines' units. Per
    SKU: paid orders hold no more units than were ever received."""
    ledger = _ledger(items)
    problems: list[str] = []
    received: Counter[str] = Counter()
    for sku, location in sorted(set(ledger.levels) | set(ledger.moves)):
        moves = ledger.moves.get((sku, location), Counter())
        received[sku] += sum(moves[reason] for reason in RECEIVED)
        problems += _place_problems(sku, location, moves, ledger.levels.get((sku, location)))
    paid_units: Counter[str] = Counter()
    for order in ledger.paid:
        wanted: Counter[str] = Counter()
        for line in order.get("lines", []):
            wanted[str(line["sku"])] += int(line["quantity"])
        for sku, quantity in sorted(wanted.items()):
            paid_units[sku] += quantity
            sold = ledger.sold_to[(str(order["id"]), sku)]
            if sold != quantity:
                problems.append(f"order {order['id']} paid for {quantity} x {sku}, the ledger sold it {sold}")
    for sku, units in sorted(paid_units.items()):
        if units > received[sku]:
            problems.append(f"{sku}: paid orders hold {units} units, {received[sku]} ever received")
    return problems


def stock_of(items: Iterable[Mapping[str, Any]], skus: Iterable[str]) -> dict[str, tuple[int, int, int]]:
    """Units received, sold and still reserved of each SKU, all locations together, from its movements."""
    totals = {sku: Counter[str]() for sku in skus}
    for (sku, _), moves in _ledger(items).moves.items():
        if sku in totals:
            totals[sku].update(moves)
    return {
        sku: (
            sum(m[reason] for reason in RECEIVED),
            m["sale"],
            m["reservation"] - m["release"] - m["sale"],
        )
        for sku, m in totals.items()
    }


# measuring

_SCOPE: ContextVar[str | None] = ContextVar("load_scope", default=None)


class CallMeter:
    """AWS calls of the functions by what they were serving (a route, or an invocation from elsewhere),
    and every request the HTTP API emulator served (status and time), while `on`."""

    def __init__(self) -> None:
        self.on = False
        self.calls: dict[str, Counter[str]] = defaultdict(Counter)
        self.served: Counter[str] = Counter()
        self.served_latency: dict[str, list[float]] = defaultdict(list)
        self.served_status: Counter[tuple[str, int]] = Counter()
        self.unattributed = 0  # calls made by the bench's own threads while on (expected: none)
        self._lock = threading.Lock()
        # Thread-local, not a set of thread ids: a finished client's id is reused by the servers' threads.
        self._own = threading.local()
        self.own_thread()

    def own_thread(self) -> None:
        """Calls made by the calling thread (a client, the bench) are not the functions'."""
        self._own.is_bench = True

    def _count(self, service: str, operation: str) -> None:
        scope = _SCOPE.get()
        with self._lock:
            if scope is not None:
                self.calls[scope][f"{service}:{operation}"] += 1
            elif getattr(self._own, "is_bench", False):
                self.unattributed += 1
            else:
                self.calls[ENGINE][f"{service}:{operation}"] += 1

    def _served(self, scope: str, seconds: float | None = None, status: int | None = None) -> None:
        with self._lock:
            self.served[scope] += 1
            if seconds is not None and status is not None:
                self.served_latency[scope].append(seconds)
                self.served_status[(scope, status)] += 1

    @contextmanager
    def installed(self) -> Iterator[None]:
        original_call: Callable[..., Any] = BaseClient._make_api_call
        original_route: Callable[..., Any] = HttpApi._call
        original_invoke: Callable[..., Any] = LambdaRuntime.invoke
        meter = self

        def make_api_call(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
            if meter.on:
                meter._count(client.meta.service_model.service_id, operation)
            return original_call(client, operation, params)

        def route_call(api: HttpApi, request: Any, match: Any) -> Any:
            token = _SCOPE.set(match.route.route_key)
            started = time.perf_counter()
            try:
                response = original_route(api, request, match)
            finally:
                _SCOPE.reset(token)
            if meter.on:
                meter._served(match.route.route_key, time.perf_counter() - started, response.status)
            return response

        def invoke(runtime: LambdaRuntime, name: str, event: Any) -> Any:
            if _SCOPE.get() is not None:  # a route's function: the route is the scope
                return original_invoke(runtime, name, event)
            spec = runtime.find(name)
            scope = f"{spec.logical_id if spec else name} (invoked outside HTTP)"
            token = _SCOPE.set(scope)
            try:
                return original_invoke(runtime, name, event)
            finally:
                _SCOPE.reset(token)
                if meter.on:
                    meter._served(scope)

        BaseClient._make_api_call = make_api_call  # type: ignore[method-assign]
        HttpApi._call = route_call  # type: ignore[method-assign]
        LambdaRuntime.invoke = invoke  # type: ignore[method-assign]
        try:
            yield
        finally:
            BaseClient._make_api_call = original_call  # type: ignore[method-assign]
            HttpApi._call = original_route  # type: ignore[method-assign]
            LambdaRuntime.invoke = original_invoke  # type: ignore[method-assign]


@dataclass
class Stats:
    """What the clients saw: each request's route, status and time; each operation's kind and outcome."""

    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[tuple[str, str]] = field(default_factory=Counter)
    examples: dict[tuple[str, str], str] = field(default_factory=dict)
    operations: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    outcomes: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_outcome: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def request(self, route: str, seconds: float) -> None:
        with self.lock:
            self.latency[route].append(seconds)

    def error(self, route: str, status: str, detail: str) -> None:
        with self.lock:
            self.errors[(route, status)] += 1
            self.examples.setdefault((route, status), detail[:300])

    def operation(self, kind: str, outcome: str, seconds: float) -> None:
        with self.lock:
            self.operations[kind].append(seconds)
            self.outcomes[(kind, outcome)] += 1
            self.by_outcome[(kind, outcome)].append(seconds)


@dataclass(frozen=True)
class Catalog:
    """What the clients pick from, read from the stack before the run."""

    product_ids: tuple[str, ...]
    categories: tuple[str, ...]
    terms: tuple[str, ...]
    skus: tuple[str, ...]  # in stock, plenty of it, cheap enough for a first order
    hot: tuple[str, ...]


class Failed(Exception):
    """A request answered what it must not; recorded already."""


class Client:
    """One shopper: a session of its own with the API and with localstripe."""

    def __init__(self, stack: LocalStack, catalog: Catalog, stats: Stats) -> None:
        self.api, self.catalog, self.stats = stack.api_url, catalog, stats
        self.session = requests.Session()
        self.stripe = stripe.StripeClient(stack.stripe_keys.api_key, base_addresses={"api": stack.stripe_url})

    def call(
        self, route: str, method: str, path: str, expected: Iterable[int], **kwargs: Any
    ) -> requests.Response:
        started = time.perf_counter()
        try:
            response = self.session.request(method, self.api + path, timeout=60, **kwargs)
        except requests.RequestException as error:
            self.stats.request(route, time.perf_counter() - started)
            self.stats.error(route, "no answer", repr(error))
            raise Failed(route) from error
        self.stats.request(route, time.perf_counter() - started)
        if response.status_code not in set(expected):
            self.stats.error(route, str(response.status_code), response.text)
            raise Failed(route)
        return response

    # the operations; each returns its outcome
    def browse(self, rng: random.Random) -> str:
        return self.browse_step(pick(rng, BROWSE_MIX), rng)

    def browse_step(self, step: str, rng: random.Random) -> str:
        if step == "list":
            self.call("GET /products", "GET", "/products", {200}, params={"limit": "20"})
        elif step == "product":
            product_id = rng.choice(self.catalog.product_ids)
            self.call("GET /products/{product_id}", "GET", f"/products/{product_id}", {200})
        elif step == "category":
            category = rng.choice(self.catalog.categories)
            self.call("GET /products", "GET", "/products", {200}, params={"category": category})
        elif step == "categories":
            self.call("GET /categories", "GET", "/categories", {200})
        else:
            self.call(
                "GET /products", "GET", "/products", {200}, params={"q": rng.choice(self.catalog.terms)}
            )
        return step

    def cart(self, rng: random.Random) -> str:
        sku = rng.choice(self.catalog.skus + self.catalog.hot)
        cart_id, token = self._cart_with(sku, rng.randint(1, 3))
        self.call("GET /carts/{cart_id}", "GET", f"/carts/{cart_id}", {200}, headers={"X-Cart-Token": token})
        return "ok"

    def checkout(self, rng: random.Random, hot: bool | None = None) -> str:
        hot = rng.random() < HOT_SHARE if hot is None else hot
        sku = rng.choice(self.catalog.hot if hot else self.catalog.skus)
        cart_id, token = self._cart_with(sku, rng.choice((1, 1, 2)) if hot else 1)
        body = {
            "cart_id": cart_id,
            # One email per order: fraud screening holds many orders from one address for review.
            "email": f"load.{uuid.uuid4().hex[:10]}@example.com",
            "shipping_address": SHIPPING,
        }
        headers = {"X-Cart-Token": token, "Idempotency-Key": str(uuid.uuid4())}
        placed = self.call("POST /checkout", "POST", "/checkout", {201, 409}, json=body, headers=headers)
        if placed.status_code == 409:
            kind = str(placed.json().get("type", ""))
            if hot and kind.endswith("out-of-stock"):
                return "sold out (409)"
            self.stats.error("POST /checkout", f"409 {kind.rsplit('/', 1)[-1]} for {sku}", placed.text)
            raise Failed("POST /checkout")
        order = placed.json()
        self._pay(order["payment"]["payment_intent_id"])
        self._wait_until_paid(order)
        return "paid"

    def _cart_with(self, sku: str, quantity: int) -> tuple[str, str]:
        cart = self.call("POST /carts", "POST", "/carts", {201}, json={"currency": "EUR"}).json()
        self.call(
            "PUT /carts/{cart_id}/lines/{sku}",
            "PUT",
            f"/carts/{cart['id']}/lines/{sku}",
            {200},
            json={"quantity": quantity},
            headers={"X-Cart-Token": cart["token"]},
        )
        return str(cart["id"]), str(cart["token"])

    def _pay(self, intent_id: str) -> None:
        try:
            method = self.stripe.v1.payment_methods.create(
                params={
                    "type": "card",
                    "card": {"number": VISA, "exp_month": 12, "exp_year": 2035, "cvc": "123"},
                }
            )
            self.stripe.v1.payment_intents.update(intent_id, params={"payment_method": method.id})
            self.stripe.v1.payment_intents.confirm(intent_id)
        except stripe.StripeError as error:
            self.stats.error("localstripe: pay the PaymentIntent", type(error).__name__, str(error))
            raise Failed("localstripe") from error

    def _wait_until_paid(self, order: Mapping[str, Any]) -> None:
        deadline = time.monotonic() + PAID_WITHIN
        headers = {"X-Order-Token": order["order_token"]}
        status = "?"
        while time.monotonic() < deadline:
            answer = self.call(
                "GET /orders/{order_id}", "GET", f"/orders/{order['order_id']}", {200}, headers=headers
            )
            status = str(answer.json()["status"])
            if status == "paid":
                return
            if status != "pending_payment":
                break
            time.sleep(POLL_EVERY)
        self.stats.error("order workflow: to paid", status, f"order {order['order_id']} is {status}")
        raise Failed("workflow")


def run_client(client: Client, plan: Plan, meter: CallMeter) -> None:
    meter.own_thread()
    operations: dict[str, Callable[[random.Random], str]] = {
        "browse": client.browse,
        "cart": client.cart,
        "checkout": client.checkout,
    }
    while (drawn := plan.next()) is not None:
        kind, seed = drawn
        started = time.perf_counter()
        try:
            outcome = operations[kind](random.Random(seed))
        except Failed:
            outcome = "failed"
        except Exception as error:  # a bug of the bench or a body it could not read: an error, not a crash
            client.stats.error(f"{kind} operation", type(error).__name__, repr(error))
            outcome = "failed"
        client.stats.operation(kind, outcome, time.perf_counter() - started)


# setting up


def add_hot_skus() -> tuple[str, ...]:
    """A product of the bench's own whose SKUs have a few units each, received through the use case."""
    # Imported only now: the stack has put the environment the composition root reads in place.
    from commerce.composition import catalog  # noqa: PLC0415
    from commerce.domain.catalog import Product, ProductStatus, Text, Variant  # noqa: PLC0415
    from commerce.domain.money import Money  # noqa: PLC0415

    product_id = f"LOAD{uuid.uuid4().hex[:8].upper()}"
    sizes = dict(zip(HOT_UNITS, ("S", "M", "L"), strict=True))
    variants = tuple(
        Variant(
            sku=f"{product_id}-{suffix}",
            attributes={"size": sizes[suffix]},
            prices={"EUR": Money(2500, "EUR"), "USD": Money(2700, "USD")},
        )
        for suffix in HOT_UNITS
    )
    admin = catalog.catalog_admin()
    admin.save_product(
        Product(
            id=product_id,
            slug=product_id.lower(),
            category="shoes",
            status=ProductStatus.ACTIVE,
            texts={"en": Text("Limited runner", "Three of each size, then none")},
            variants=variants,
            rank=999,
        )
    )
    for suffix, receipts in HOT_UNITS.items():
        for location, units in receipts:
            admin.receive_stock(f"{product_id}-{suffix}", location, units, note="bench/load.py")
    return tuple(v.sku for v in variants)


def read_catalog(api: str, hot: tuple[str, ...]) -> Catalog:
    session = requests.Session()
    categories = session.get(f"{api}/categories", timeout=30).json()["items"]
    products: list[dict[str, Any]] = []
    params: dict[str, str] = {"limit": "100"}
    while True:
        page = session.get(f"{api}/products", params=params, timeout=60).json()
        products += page["items"]
        if not page["next_cursor"]:
            break
        params = {"limit": "100", "cursor": page["next_cursor"]}
    skus = [
        str(v["sku"])
        for p in products
        for v in p["variants"]
        if v["availability"] == "in_stock"
        and v["price"]["currency"] == "EUR"
        and v["price"]["amount"] <= MAX_UNIT_PRICE
        and v["sku"] not in hot
    ]
    words = {w.strip(".,").lower() for p in products for w in str(p["name"]).split()}
    terms = sorted(w for w in words if w.isalpha() and len(w) >= 4)[:30]
    if not (products and categories and skus and terms):
        raise RuntimeError("the catalog has no products, categories, SKUs in stock or search terms")
    return Catalog(
        product_ids=tuple(str(p["id"]) for p in products),
        categories=tuple(str(c["slug"]) for c in categories),
        terms=tuple(terms),
        skus=tuple(skus),
        hot=hot,
    )


def table_items(stack: LocalStack) -> list[dict[str, Any]]:
    """Every item of the main table (a Scan: fine for a bench on a local table, never for a request)."""
    from commerce.adapters.dynamodb.codec import from_item  # noqa: PLC0415

    assert stack.deployment is not None
    table = stack.deployment.physical_ids["MainTable"]
    client = boto3.client("dynamodb", endpoint_url=stack.aws_url, region_name="us-east-1")
    items: list[dict[str, Any]] = []
    for page in client.get_paginator("scan").paginate(TableName=table, ConsistentRead=True):
        items += [from_item(item) for item in page["Items"]]
    return items


# reporting


def all_errors(stats: Stats, meter: CallMeter) -> Counter[tuple[str, str]]:
    """What the clients saw go wrong, and what the API answered wrong to requests no client sent (the
    webhooks localstripe delivers: anything but 200 there is an error)."""
    errors = Counter(stats.errors)
    for (route, status), count in meter.served_status.items():
        if route not in stats.latency and (status >= 500 or (route == WEBHOOK_ROUTE and status != 200)):
            errors[(route, str(status))] += count
    return errors


def _throughput(stats: Stats, wall: float) -> None:
    done = sum(len(times) for times in stats.operations.values())
    print("| kind | operations | per second | p50 (ms) | p90 (ms) | p99 (ms) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for kind in MIX:
        times = stats.operations.get(kind, [])
        if times:
            print(f"| {kind} | {len(times)} | {len(times) / wall:.2f} | {_spread(times, 0.5, 0.9, 0.99)} |")
    print(f"| **all** | **{done}** | **{done / wall:.2f}** | | | |")
    print("\n| kind: outcome | operations | p50 (ms) | p90 (ms) | p99 (ms) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for (kind, outcome), times in sorted(stats.by_outcome.items()):
        print(f"| {kind}: {outcome} | {len(times)} | {_spread(times, 0.5, 0.9, 0.99)} |")


def _spread(times: Sequence[float], *shares: float) -> str:
    return " | ".join(f"{percentile(times, share) * 1000:,.0f}" for share in shares)


def _latency(stats: Stats, meter: CallMeter) -> None:
    print("| route | requests | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    rows = sorted(stats.latency.items())
    served_only = sorted((f"{r} (*)", t) for r, t in meter.served_latency.items() if r not in stats.latency)
    for route, times in rows + served_only:
        print(f"| {route} | {len(times)} | {_spread(times, 0.5, 0.9, 0.99, 1.0)} |")
    if served_only:
        print("\n(*) sent by localstripe, not by a client: timed inside the local API emulator.")


def _errors(stats: Stats, meter: CallMeter) -> None:
    errors = all_errors(stats, meter)
    print(f"Errors: {sum(errors.values())}.")
    if errors:
        print("\n| route | status | count | first answer |\n| --- | --- | ---: | --- |")
        for (route, status), count in sorted(errors.items()):
            example = stats.examples.get((route, status), "").replace("|", "/").replace("\n", " ")
            print(f"| {route} | {status} | {count} | {example[:160]} |")


def _oversells(items: list[dict[str, Any]], problems: list[str], hot: Sequence[str], stats: Stats) -> None:
    print(f"Oversells and ledger problems (every SKU, every paid order): {len(problems)}.")
    for problem in problems[:50]:
        print(f"- {problem}")
    refused = stats.outcomes.get(("checkout", "sold out (409)"), 0)
    print(f"\nThe hot SKUs after the run ({refused} checkouts refused as sold out):\n")
    print("| SKU | received | sold | still reserved |\n| --- | ---: | ---: | ---: |")
    for sku, (received, sold, held) in sorted(stock_of(items, hot).items()):
        print(f"| {sku} | {received} | {sold} | {held} |")


def _calls(stats: Stats, meter: CallMeter) -> None:
    print("| route | served | calls per request | by service:operation, per request |")
    print("| --- | ---: | ---: | --- |")
    paid = stats.outcomes.get(("checkout", "paid"), 0)
    for scope in sorted(set(meter.served) | set(meter.calls)):
        calls = meter.calls.get(scope, Counter())
        served = paid if scope == ENGINE else meter.served.get(scope, 0)
        if not served:
            continue
        count = f"{served} paid orders" if scope == ENGINE else str(served)
        detail = ", ".join(f"{name} {n / served:.2f}" for name, n in sorted(calls.items())) or "none"
        print(f"| {scope} | {count} | {sum(calls.values()) / served:.2f} | {detail} |")
    if meter.unattributed:
        print(f"\n{meter.unattributed} calls made by the bench's own threads were left out.")


def report(args: argparse.Namespace, run: Run) -> None:
    now = dt.datetime.now(dt.UTC)
    done = sum(len(times) for times in run.stats.operations.values())
    print(f"# Load, {now:%Y-%m-%d %H:%M} UTC")
    print(
        f"\n{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"{args.clients} clients, seed {args.seed}, {done} operations in {run.wall:.1f} s "
        f"(bounds: {args.operations} operations, {args.seconds:g} s); {len(run.hot)} hot SKUs of 3 units; "
        f"load average {run.load[0]:.1f} at the start, {run.load[1]:.1f} at the end.\n"
    )
    _throughput(run.stats, run.wall)
    print()
    _latency(run.stats, run.meter)
    print()
    _errors(run.stats, run.meter)
    print()
    _oversells(run.items, run.problems, run.hot, run.stats)
    print(
        "\nAWS calls per request by route: botocore `_make_api_call` of the functions, attributed to the "
        "request (or invocation) each was serving.\n"
    )
    _calls(run.stats, run.meter)


@dataclass
class Run:
    stats: Stats
    meter: CallMeter
    hot: tuple[str, ...] = ()
    wall: float = 0.0
    load: tuple[float, float] = (0.0, 0.0)  # the machine's 1-minute load average, at start and end
    items: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def measure(args: argparse.Namespace) -> Run:
    run = Run(Stats(), CallMeter())
    with (
        run.meter.installed(),
        LocalStack.quiet_on_free_ports("load") as stack,
    ):
        run.hot = add_hot_skus()
        catalog = read_catalog(stack.api_url, run.hot)
        warm = Client(stack, catalog, Stats())  # every function's first call, out of the figures
        rng = random.Random(args.seed)
        for step in BROWSE_MIX:
            warm.browse_step(step, rng)
        warm.cart(rng)
        warm.checkout(rng, hot=False)
        if warm.stats.errors:
            raise RuntimeError(f"the warm-up failed: {dict(warm.stats.examples)}")
        plan = Plan(args.seed, args.operations, args.seconds)
        threads = [
            threading.Thread(
                target=run_client, args=(Client(stack, catalog, run.stats), plan, run.meter), daemon=True
            )
            for _ in range(args.clients)
        ]
        before = os.getloadavg()[0]
        run.meter.on = True
        plan.start()
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        run.wall = time.perf_counter() - started
        run.meter.on = False
        run.load = (before, os.getloadavg()[0])
        run.items = table_items(stack)
        run.problems = audit_stock(run.items)
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/load.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    parser.add_argument("--operations", type=int, default=600, help="stop after this many operations")
    parser.add_argument("--seconds", type=float, default=300.0, help="or after this many seconds")
    parser.add_argument("--seed", type=int, default=20261127, help="seed of the operation mix")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.operations < 1 or args.seconds <= 0:
        parser.error("--clients, --operations and --seconds must be positive")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request of three servers
    # The functions' metrics (EMF lines, which Lambda would send to CloudWatch) go nowhere, not between
    # the tables; they are still written, so their cost stays in the figures.
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        run = measure(args)
    report(args, run)
    errors = sum(all_errors(run.stats, run.meter).values())
    failed = bool(errors or run.problems)
    verdict = "FAILED" if failed else "OK"
    print(f"\n{verdict}: {errors} errors, {len(run.problems)} oversells or ledger problems.")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
