"""The promotion and FX stores in memory."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date

from commerce.domain.errors import Conflict, NotFound
from commerce.domain.fx import FxSnapshot
from commerce.domain.order import Order
from commerce.domain.ports import PromotionUsage
from commerce.domain.promotions import DiscountCodeExhausted, Promotion, PromotionStatus


class InMemoryPromotions:
    def __init__(self) -> None:
        self.promotions: dict[str, Promotion] = {}
        self.uses: dict[str, int] = {}
        self.given: dict[str, dict[str, int]] = {}
        self.shoppers: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    def get(self, promotion_id: str) -> Promotion | None:
        return self.promotions.get(promotion_id)

    def automatic(self) -> list[Promotion]:
        return [p for p in self.promotions.values() if p.is_automatic]

    def list_all(self) -> list[Promotion]:
        return sorted(self.promotions.values(), key=lambda p: p.id)

    def add(self, promotion: Promotion) -> None:
        if promotion.id in self.promotions:
            raise Conflict(f"a promotion {promotion.id} exists")
        self.promotions[promotion.id] = promotion

    def set_status(self, promotion_id: str, status: PromotionStatus) -> Promotion:
        found = self.promotions.get(promotion_id)
        if found is None:
            raise NotFound(f"no promotion {promotion_id}")
        self.promotions[promotion_id] = replace(found, status=status)
        return self.promotions[promotion_id]

    def usage(self, promotion_id: str) -> PromotionUsage:
        return PromotionUsage(self.uses.get(promotion_id, 0), dict(self.given.get(promotion_id, {})))

    def shopper_uses(self, promotion_id: str, shopper_key: str) -> int:
        return self.shoppers.get((promotion_id, shopper_key), 0)

    def return_uses(self, order: Order) -> None:
        """What the release transaction's updates do: an unpaid order's uses given back."""
        pricing = order.pricing
        if pricing is None:
            return
        with self._lock:
            for d in pricing.discounts:
                self.uses[d.promotion_id] = self.uses.get(d.promotion_id, 0) - 1
                given = self.given.setdefault(d.promotion_id, {})
                given[d.amount.currency] = given.get(d.amount.currency, 0) - d.amount.amount
                if d.per_customer_limit is not None and pricing.shopper_key:
                    key = (d.promotion_id, pricing.shopper_key)
                    self.shoppers[key] = self.shoppers.get(key, 0) - 1

    def count_uses(self, order: Order) -> None:
        """What the checkout transaction's conditional updates do: all counted, or none and an error."""
        pricing = order.pricing
        if pricing is None:
            return
        with self._lock:
            for d in pricing.discounts:
                if d.usage_limit is not None and self.uses.get(d.promotion_id, 0) >= d.usage_limit:
                    raise DiscountCodeExhausted(f"{d.promotion_id} is used up", reason="usage_limit")
                key = (d.promotion_id, pricing.shopper_key or "")
                limited = d.per_customer_limit is not None and pricing.shopper_key
                if limited and self.shoppers.get(key, 0) >= (d.per_customer_limit or 0):
                    raise DiscountCodeExhausted(f"{d.promotion_id} is used up", reason="per_customer_limit")
            for d in pricing.discounts:
                self.uses[d.promotion_id] = self.uses.get(d.promotion_id, 0) + 1
                given = self.given.setdefault(d.promotion_id, {})
                given[d.amount.currency] = given.get(d.amount.currency, 0) + d.amount.amount
                if d.per_customer_limit is not None and pricing.shopper_key:
                    key = (d.promotion_id, pricing.shopper_key)
                    self.shoppers[key] = self.shoppers.get(key, 0) + 1


class InMemoryFxRates:
    def __init__(self) -> None:
        self.snapshots: dict[tuple[str, date], FxSnapshot] = {}

    def put(self, snapshot: FxSnapshot) -> None:
        self.snapshots[(snapshot.base, snapshot.day)] = snapshot

    def get(self, base: str, day: date) -> FxSnapshot | None:
        return self.snapshots.get((base, day))

    def latest(self, base: str, on_or_before: date) -> FxSnapshot | None:
        days = [d for (b, d) in self.snapshots if b == base and d <= on_or_before]
        return self.snapshots[(base, max(days))] if days else None
