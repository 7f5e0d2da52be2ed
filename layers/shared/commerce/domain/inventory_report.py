"""The staff inventory report (pure): stock value at cost per location, low and out-of-stock SKUs, days of
cover from sales velocity. Figures come from the stock levels (on hand per SKU and location) and the
movements ledger (units sold), never from a second copy of them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from commerce.domain.inventory import Movement, Reason, ReorderPolicy, StockLevel

VELOCITY_WINDOW = timedelta(days=28)  # the window restocking measures sales over (services/restock.py)


def units_sold_per_day(movements: Iterable[Movement], now: datetime) -> float:
    """Units sold per day over the velocity window: the restock job's measure."""
    since = now - VELOCITY_WINDOW
    sold = sum(m.quantity for m in movements if m.reason == Reason.SALE and m.at >= since)
    return sold / VELOCITY_WINDOW.days


@dataclass(frozen=True, slots=True)
class SkuStock:
    """What the report reads about one SKU."""

    sku: str
    levels: Sequence[StockLevel]
    policy: ReorderPolicy | None
    sold_per_day: float


@dataclass(frozen=True, slots=True)
class SkuFigures:
    sku: str
    on_hand: int
    available: int
    reorder_point: int | None
    sold_per_day: float
    days_of_cover: float | None  # available ÷ units sold per day; None when nothing sold


@dataclass(frozen=True, slots=True)
class LocationValue:
    location: str
    units: int  # on hand, all SKUs
    value: dict[str, int] = field(default_factory=dict)  # currency -> minor units at cost
    units_without_cost: int = 0


@dataclass(frozen=True, slots=True)
class InventoryReport:
    generated_at: datetime
    locations: tuple[LocationValue, ...]
    skus: tuple[SkuFigures, ...]
    low_stock: tuple[str, ...]  # at or below the reorder point, not out
    out_of_stock: tuple[str, ...]  # nothing available
    without_cost: tuple[str, ...]  # on hand somewhere but no unit cost: valued nowhere, listed here
    truncated: bool = False  # more SKUs than one report reads: the figures cover the first ones only
    next_after: str | None = None  # the last SKU of this page when another page of `skus` follows


def inventory_report(stock: Iterable[SkuStock], now: datetime) -> InventoryReport:
    units: dict[str, int] = {}
    values: dict[str, dict[str, int]] = {}
    uncosted: dict[str, int] = {}
    figures: list[SkuFigures] = []
    low: list[str] = []
    out: list[str] = []
    without_cost: list[str] = []
    for item in sorted(stock, key=lambda s: s.sku):
        policy = item.policy
        cost = _cost(policy)
        on_hand = sum(level.on_hand for level in item.levels)
        available = sum(level.available for level in item.levels)
        for level in item.levels:
            units[level.location] = units.get(level.location, 0) + level.on_hand
            values.setdefault(level.location, {})
            if level.on_hand == 0:
                continue
            if cost is not None:
                currency, unit = cost
                at = values[level.location]
                at[currency] = at.get(currency, 0) + level.on_hand * unit
            else:
                uncosted[level.location] = uncosted.get(level.location, 0) + level.on_hand
        if on_hand > 0 and cost is None:
            without_cost.append(item.sku)
        if available == 0:
            out.append(item.sku)
        elif policy is not None and policy.needs_restock(available):
            low.append(item.sku)
        cover = round(available / item.sold_per_day, 1) if item.sold_per_day > 0 else None
        figures.append(
            SkuFigures(
                sku=item.sku,
                on_hand=on_hand,
                available=available,
                reorder_point=policy.reorder_point if policy else None,
                sold_per_day=round(item.sold_per_day, 3),
                days_of_cover=cover,
            )
        )
    locations = tuple(
        LocationValue(loc, units[loc], dict(sorted(values[loc].items())), uncosted.get(loc, 0))
        for loc in sorted(units)
    )
    return InventoryReport(now, locations, tuple(figures), tuple(low), tuple(out), tuple(without_cost))


def _cost(policy: ReorderPolicy | None) -> tuple[str, int] | None:
    if policy is None or policy.unit_cost is None or policy.cost_currency is None:
        return None
    return policy.cost_currency, policy.unit_cost
