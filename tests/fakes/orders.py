"""Orders and stock in memory: placing, selling and releasing all-or-nothing under one lock; and the order
workflow's starts and answers."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from commerce.domain.cart import Cart
from commerce.domain.channels import Channel
from commerce.domain.errors import (
    Conflict,
    OutOfStock,
    ValidationFailed,
)
from commerce.domain.events import DomainEvent
from commerce.domain.flags import FlaggedOrder
from commerce.domain.order import Order, OrderStatus, Reservation
from commerce.domain.ports import Page, Period
from tests.fakes.carts import InMemoryCarts
from tests.fakes.outbox import InMemoryOutbox
from tests.fakes.paging import offset_page
from tests.fakes.promotions import InMemoryPromotions


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
        created: Period,
        limit: int,
        position: Mapping[str, Any] | None,
        channel: str | None = None,
    ) -> Page[Order]:
        return self._listed(lambda o: o.status is status, created, limit, position, channel)

    def list_for_email(
        self,
        email: str,
        created: Period,
        limit: int,
        position: Mapping[str, Any] | None,
        status: OrderStatus | None = None,
        channel: str | None = None,
    ) -> Page[Order]:
        wanted = email.strip().lower()

        def mine(o: Order) -> bool:
            return o.email.strip().lower() == wanted and (status is None or o.status is status)

        return self._listed(mine, created, limit, position, channel)

    def _listed(
        self,
        keep: Callable[[Order], bool],
        created: Period,
        limit: int,
        position: Mapping[str, Any] | None,
        channel: str | None,
    ) -> Page[Order]:
        matching = sorted(
            (
                o
                for o in self.orders.values()
                if keep(o)
                and created.includes(o.created_at)
                and (channel is None or (o.channel or "web") == channel)
            ),
            key=lambda o: (o.created_at, o.id),
            reverse=True,
        )
        return offset_page(matching, limit, position)

    def count_by_status(self, status: OrderStatus) -> int:
        return sum(1 for o in self.orders.values() if o.status is status)

    def flagged(self, limit: int) -> list[FlaggedOrder]:
        newest = sorted((o for o in self.orders.values() if o.flags), key=lambda o: (o.created_at, o.id))
        return [FlaggedOrder(o.id, o.flags, o.created_at) for o in reversed(newest)][:limit]

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
