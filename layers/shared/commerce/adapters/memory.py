"""In-memory fakes of every port, for unit tests of the use cases with no AWS at all."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from commerce.adapters.memory_outbox import InMemoryOutbox
from commerce.adapters.memory_promotions import InMemoryPromotions
from commerce.domain import search
from commerce.domain.cart import Cart
from commerce.domain.catalog import Category, Product, SkuRecord
from commerce.domain.channels import Channel
from commerce.domain.customer import Address, Profile
from commerce.domain.errors import (
    Conflict,
    InvalidState,
    NotFound,
    OutOfStock,
    PaymentDeclined,
    ValidationFailed,
)
from commerce.domain.events import DomainEvent
from commerce.domain.order import Order, OrderStatus, Reservation
from commerce.domain.order_history import OrderRecord
from commerce.domain.ports import Page, PaymentIntent


class InMemoryCatalog:
    def __init__(self) -> None:
        self.products: dict[str, Product] = {}
        self.categories: dict[str, Category] = {}
        self.skus: dict[str, SkuRecord] = {}

    def get_product(self, product_id: str) -> Product | None:
        return self.products.get(product_id)

    def get_products(self, product_ids: Sequence[str]) -> dict[str, Product]:
        return {pid: self.products[pid] for pid in product_ids if pid in self.products}

    def list_products(
        self, category: str | None, limit: int, position: Mapping[str, Any] | None
    ) -> Page[Product]:
        listed = sorted(
            (p for p in self.products.values() if p.is_sellable and category in (None, p.category)),
            key=lambda p: (p.rank, p.id),
        )
        start = int(position["offset"]) if position else 0
        page = listed[start : start + limit]
        more = start + limit < len(listed)
        return Page(items=tuple(page), next_position={"offset": start + limit} if more else None)

    def search(self, language: str, term: str) -> set[str]:
        return {p.id for p in self.products.values() if (language, term) in search.product_terms(p)}

    def list_categories(self) -> list[Category]:
        return sorted(self.categories.values(), key=lambda c: (c.rank, c.slug))

    def get_category(self, slug: str) -> Category | None:
        return self.categories.get(slug)

    def get_skus(self, skus: Sequence[str]) -> dict[str, SkuRecord]:
        return {s: self.skus[s] for s in skus if s in self.skus}

    def save_product(self, product: Product) -> None:
        """Refuses, as the table's conditions do, a SKU or a slug that another product owns."""
        for variant in product.variants:
            owner = self.skus.get(variant.sku)
            if owner and owner.product_id != product.id:
                raise Conflict(f"SKU {variant.sku} belongs to another product")
        if any(p.slug == product.slug and p.id != product.id for p in self.products.values()):
            raise Conflict(f"slug {product.slug} is used by another product")
        previous = self.products.get(product.id)
        for dropped in {v.sku for v in previous.variants} if previous else set():
            self.skus.pop(dropped, None)
        self.products[product.id] = product
        for variant in product.variants:
            self.skus[variant.sku] = SkuRecord.of(product, variant)

    def save_category(self, category: Category) -> None:
        self.categories[category.slug] = category


@dataclass
class InMemoryStock:
    on_hand: dict[tuple[str, str], int] = field(default_factory=dict)
    reserved: dict[tuple[str, str], int] = field(default_factory=dict)
    movements: list[dict[str, Any]] = field(default_factory=list)

    def available(self, skus: Sequence[str]) -> dict[str, int]:
        totals = dict.fromkeys(skus, 0)
        for (sku, loc), units in self.on_hand.items():
            if sku in totals:
                totals[sku] += max(0, units - self.reserved.get((sku, loc), 0))
        return totals

    def receive(self, sku: str, location: str, quantity: int, note: str) -> None:
        if quantity <= 0:
            raise ValidationFailed("a receipt adds at least one unit")
        self.on_hand[(sku, location)] = self.on_hand.get((sku, location), 0) + quantity
        self.movements.append({"sku": sku, "location": location, "reason": "receipt", "quantity": quantity})


class InMemoryCarts:
    def __init__(self) -> None:
        self.carts: dict[str, Cart] = {}
        self.expiry: dict[str, int] = {}
        self.by_customer: dict[str, str] = {}
        self._lock = threading.Lock()

    def get(self, cart_id: str) -> Cart | None:
        return self.carts.get(cart_id)

    def add(self, cart: Cart, expires_at_epoch: int) -> None:
        with self._lock:
            if cart.id in self.carts:
                raise Conflict("a cart with this id exists")
            self.carts[cart.id] = cart
            self.expiry[cart.id] = expires_at_epoch

    def save(self, cart: Cart, expected_version: int, expires_at_epoch: int) -> None:
        with self._lock:
            current = self.carts.get(cart.id)
            if current is None or current.version != expected_version:
                raise Conflict("the cart changed meanwhile; read it again")
            self.carts[cart.id] = cart
            self.expiry[cart.id] = expires_at_epoch

    def customer_cart_id(self, customer_id: str) -> str | None:
        return self.by_customer.get(customer_id)

    def add_for_customer(self, cart: Cart, expires_at_epoch: int, replacing: str | None = None) -> None:
        assert cart.customer_id
        with self._lock:
            if self.by_customer.get(cart.customer_id) not in (None, replacing):
                raise Conflict("the customer has an active cart")
            self.carts[cart.id] = cart
            self.expiry[cart.id] = expires_at_epoch
            self.by_customer[cart.customer_id] = cart.id

    def absorb(self, cart: Cart, expected_version: int, expires_at_epoch: int, guest: Cart) -> None:
        with self._lock:
            current, current_guest = self.carts.get(cart.id), self.carts.get(guest.id)
            if current is None or current.version != expected_version:
                raise Conflict("the cart changed meanwhile; read it again")
            if current_guest is None or current_guest.version != guest.version:
                raise Conflict("the guest cart changed meanwhile; read it again")
            self.carts[cart.id] = cart
            self.expiry[cart.id] = expires_at_epoch
            del self.carts[guest.id]


class InMemoryCustomers:
    """Profiles, address books and active-cart pointers; erasing a customer also drops their cart."""

    def __init__(self, carts: InMemoryCarts | None = None) -> None:
        self.profiles: dict[str, Profile] = {}
        self.addresses: dict[str, dict[str, Address]] = {}
        # Shares the carts fake's active-cart pointers: in the table both read the same item.
        self.cart_pointers: dict[str, str] = carts.by_customer if carts is not None else {}
        self._carts = carts
        self._lock = threading.Lock()
        self.outbox = InMemoryOutbox()  # the events a profile change announces, added with it

    def get_profile(self, customer_id: str) -> Profile | None:
        return self.profiles.get(customer_id)

    def save_profile(
        self, profile: Profile, expected_version: int | None, events: Sequence[DomainEvent] = ()
    ) -> None:
        with self._lock:
            current = self.profiles.get(profile.customer_id)
            if (current is None) != (expected_version is None) or (
                current is not None and current.version != expected_version
            ):
                raise Conflict("the profile changed meanwhile; read it again")
            self.profiles[profile.customer_id] = profile
            self.outbox.add(events)

    def list_addresses(self, customer_id: str) -> list[Address]:
        return list(self.addresses.get(customer_id, {}).values())

    def get_address(self, customer_id: str, address_id: str) -> Address | None:
        return self.addresses.get(customer_id, {}).get(address_id)

    def add_address(self, customer_id: str, address: Address) -> None:
        with self._lock:
            book = self.addresses.setdefault(customer_id, {})
            if address.id in book:
                raise Conflict("an address with this id exists")
            book[address.id] = address

    def replace_address(self, customer_id: str, address: Address) -> None:
        with self._lock:
            book = self.addresses.get(customer_id, {})
            if address.id not in book:
                raise NotFound("no such address")
            book[address.id] = address

    def delete_address(self, customer_id: str, address_id: str) -> bool:
        with self._lock:
            return self.addresses.get(customer_id, {}).pop(address_id, None) is not None

    def active_cart_id(self, customer_id: str) -> str | None:
        return self.cart_pointers.get(customer_id)

    def delete_customer(self, customer_id: str) -> int:
        with self._lock:
            deleted = len(self.addresses.pop(customer_id, {}))
            deleted += self.profiles.pop(customer_id, None) is not None
            cart_id = self.cart_pointers.pop(customer_id, None)
            if cart_id is not None:
                deleted += 1
                if self._carts is not None and self._carts.carts.pop(cart_id, None) is not None:
                    self._carts.expiry.pop(cart_id, None)
                    deleted += 1
            return deleted


class InMemoryOrderHistory:
    def __init__(self) -> None:
        self.orders: dict[str, OrderRecord] = {}

    def add(self, order: OrderRecord) -> None:
        self.orders[order.id] = order

    def list_orders(
        self, customer_id: str, limit: int, position: Mapping[str, Any] | None
    ) -> Page[OrderRecord]:
        mine = sorted(
            (o for o in self.orders.values() if o.customer_id == customer_id),
            key=lambda o: (o.created_at, o.id),
            reverse=True,
        )
        start = int(position["offset"]) if position else 0
        more = start + limit < len(mine)
        return Page(
            items=tuple(mine[start : start + limit]),
            next_position={"offset": start + limit} if more else None,
        )

    def pseudonymise_orders(self, customer_id: str, erased_at: datetime) -> int:
        mine = [o for o in self.orders.values() if o.customer_id == customer_id]
        for order in mine:
            self.orders[order.id] = order.pseudonymised(erased_at)
        return len(mine)


class InMemoryOrders:
    """OrderRepository and StockLedger over the stock and carts fakes, each change all-or-nothing."""

    def __init__(
        self, stock: InMemoryStock, carts: InMemoryCarts, outbox: InMemoryOutbox | None = None
    ) -> None:
        self.orders: dict[str, Order] = {}
        self.by_payment_intent: dict[str, str] = {}
        self._stock = stock
        self._carts = carts
        self._lock = threading.Lock()
        self.promotions: InMemoryPromotions | None = None  # pricing: counts promotion uses when set
        self.outbox = outbox or InMemoryOutbox()  # the events a change announces, added in its step

    def place(self, order: Order, cart: Cart, channel: Channel | None = None) -> Order:
        with self._lock:
            reservations: list[Reservation] = []
            unavailable: list[dict[str, Any]] = []
            for line in order.lines:
                levels = {
                    loc: units - self._stock.reserved.get((sku, loc), 0)
                    for (sku, loc), units in self._stock.on_hand.items()
                    # inventory: a channel reserves only from its locations
                    if sku == line.sku and (channel is None or channel.draws_from(loc))
                }
                if sum(max(0, units) for units in levels.values()) < line.quantity:
                    available = sum(max(0, units) for units in levels.values())
                    unavailable.append({"sku": line.sku, "requested": line.quantity, "available": available})
                    continue
                remaining = line.quantity
                for loc, units in sorted(levels.items(), key=lambda kv: (-kv[1], kv[0])):
                    take = min(max(0, units), remaining)
                    if take:
                        reservations.append(Reservation(line.sku, loc, take))
                        remaining -= take
            if unavailable:
                raise OutOfStock(
                    "not enough stock for some lines", unavailable=sorted(unavailable, key=lambda u: u["sku"])
                )
            current = self._carts.carts.get(cart.id)
            if current is None or current.version != cart.version:
                raise Conflict("the cart changed meanwhile; read it again")
            if order.id in self.orders:
                raise Conflict("an order with this id exists")
            # pricing: promotion usage limits, checked and counted with the placement
            if self.promotions is not None:
                self.promotions.count_uses(order)
            placed = replace(order, reservations=tuple(reservations))
            for r in reservations:
                self._stock.reserved[(r.sku, r.location)] = (
                    self._stock.reserved.get((r.sku, r.location), 0) + r.quantity
                )
                self._move(r, "reservation", order.id)
            del self._carts.carts[cart.id]
            self.orders[order.id] = placed
            return placed

    def get(self, order_id: str) -> Order | None:
        return self.orders.get(order_id)

    def save(self, order: Order, expected_version: int, events: Sequence[DomainEvent] = ()) -> None:
        with self._lock:
            self._put(order, expected_version)
            self.outbox.add(events)

    def attach_payment_intent(self, order: Order, expected_version: int) -> None:
        with self._lock:
            self._put(order, expected_version)
            if order.payment_intent_id:
                self.by_payment_intent[order.payment_intent_id] = order.id

    def set_task_token(self, order_id: str, task_token: str | None) -> Order:
        with self._lock:
            current = self.orders.get(order_id)
            if current is None:
                raise Conflict("no such order")
            updated = current.waiting_on(task_token)
            self.orders[order_id] = updated
            return updated

    def find_by_payment_intent(self, payment_intent_id: str) -> Order | None:
        order_id = self.by_payment_intent.get(payment_intent_id)
        return self.orders.get(order_id) if order_id else None

    def list_by_status(
        self,
        status: OrderStatus,
        since: datetime | None,
        until: datetime | None,
        limit: int,
        position: Mapping[str, Any] | None,
    ) -> Page[Order]:
        matching = sorted(
            (
                o
                for o in self.orders.values()
                if o.status is status
                and (since is None or o.created_at >= since)
                and (until is None or o.created_at < until)
            ),
            key=lambda o: (o.created_at, o.id),
            reverse=True,
        )
        start = int(position["offset"]) if position else 0
        more = start + limit < len(matching)
        return Page(
            items=tuple(matching[start : start + limit]),
            next_position={"offset": start + limit} if more else None,
        )

    def expired_reservations(self, now: datetime, limit: int) -> list[str]:
        expired = sorted(
            (o.reservation_expires_at, o.id)
            for o in self.orders.values()
            if o.is_pending and o.reservation_expires_at < now
        )
        return [order_id for _, order_id in expired[:limit]]

    def recent_orders_for_email(self, email: str, limit: int) -> list[tuple[datetime, str]]:
        wanted = email.strip().lower()
        mine = sorted(
            ((o.created_at, o.id) for o in self.orders.values() if o.email.strip().lower() == wanted),
            reverse=True,
        )
        return mine[:limit]

    # the stock ledger
    def sell(self, order: Order, expected_version: int) -> None:
        with self._lock:
            self._check(order, expected_version)
            for r in order.reservations:
                where = (r.sku, r.location)
                self._stock.on_hand[where] -= r.quantity
                self._stock.reserved[where] -= r.quantity
                self._move(r, "sale", order.id)
            self._put(order, expected_version)

    def release(
        self, order: Order, expected_version: int, reason: str, events: Sequence[DomainEvent] = ()
    ) -> None:
        with self._lock:
            self._check(order, expected_version)
            for r in order.reservations:
                self._stock.reserved[(r.sku, r.location)] -= r.quantity
                self._move(r, "release", order.id, reason)
            self._put(order, expected_version)
            self.outbox.add(events)
            if self.promotions is not None:
                self.promotions.return_uses(order)

    def _check(self, order: Order, expected_version: int) -> None:
        current = self.orders.get(order.id)
        if current is None or current.version != expected_version:
            raise Conflict("the order changed meanwhile; read it again")

    def _put(self, order: Order, expected_version: int) -> None:
        self._check(order, expected_version)
        self.orders[order.id] = order

    def _move(self, r: Reservation, reason: str, order_id: str, note: str = "") -> None:
        self._stock.movements.append(
            {
                "sku": r.sku,
                "location": r.location,
                "reason": reason,
                "quantity": r.quantity,
                "order_id": order_id,
                "note": note,
            }
        )


class InMemoryPayments:
    """A PaymentGateway that keeps intents in a dict; `fail_next` makes the next call raise it."""

    def __init__(self) -> None:
        self.intents: dict[str, PaymentIntent] = {}
        self.by_order: dict[str, str] = {}
        self.refunds: dict[str, tuple[str, int]] = {}
        self.fail_next: Exception | None = None
        self.cancel_calls = 0

    def _maybe_fail(self) -> None:
        if self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error

    def create_intent(self, order: Order) -> PaymentIntent:
        self._maybe_fail()
        if order.id in self.by_order:
            return self.intents[self.by_order[order.id]]
        intent = PaymentIntent(
            id=f"pi_{len(self.intents) + 1}",
            status="requires_payment_method",
            amount=order.totals.total.amount,
            currency=order.currency,
            client_secret=f"pi_{len(self.intents) + 1}_secret",
            order_id=order.id,
        )
        self.intents[intent.id] = intent
        self.by_order[order.id] = intent.id
        return intent

    def succeed(self, intent_id: str, risk_level: str | None = None) -> None:
        self.intents[intent_id] = replace(self.intents[intent_id], status="succeeded", risk_level=risk_level)

    def cancel_intent(self, intent_id: str) -> PaymentIntent:
        self._maybe_fail()
        self.cancel_calls += 1
        intent = self.retrieve(intent_id)
        if intent.status == "succeeded":
            raise InvalidState("the payment succeeded; refund it instead")
        canceled = replace(intent, status="canceled")
        self.intents[intent_id] = canceled
        return canceled

    def refund(self, intent_id: str, amount: int, idempotency_key: str | None = None) -> str:
        self._maybe_fail()
        key = idempotency_key or f"refund-{intent_id}-{amount}"
        if key not in self.refunds:
            if self.retrieve(intent_id).status != "succeeded":
                raise PaymentDeclined("nothing to refund")
            self.refunds[key] = (intent_id, amount)
        return f"re_{key}"

    def retrieve(self, intent_id: str) -> PaymentIntent:
        if intent_id not in self.intents:
            raise NotFound("no such payment")
        return self.intents[intent_id]


class InMemoryWorkflow:
    """Records starts and the answers sent to waiting tasks; a token answered once is gone."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.answers: dict[str, tuple[str, Any]] = {}  # token -> ("success", output) | ("failure", error)
        self.fail_start: Exception | None = None

    def start(self, order_id: str) -> None:
        if self.fail_start is not None:
            raise self.fail_start
        if order_id not in self.started:
            self.started.append(order_id)

    def resume(self, task_token: str, output: Mapping[str, Any]) -> bool:
        if task_token in self.answers:
            return False
        self.answers[task_token] = ("success", dict(output))
        return True

    def fail(self, task_token: str, error: str, cause: str) -> bool:
        if task_token in self.answers:
            return False
        self.answers[task_token] = ("failure", error)
        return True


class InMemoryEvents:
    def __init__(self) -> None:
        self.published: list[DomainEvent] = []
        self.fail_next: Exception | None = None

    def publish(self, events: Sequence[DomainEvent]) -> None:
        if self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error
        self.published.extend(events)

    def types(self) -> list[str]:
        return [event.type for event in self.published]
