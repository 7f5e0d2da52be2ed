"""The pure parts of bench/load.py: percentiles, the seeded operation mix, the oversell audit. No stack."""

from __future__ import annotations

import importlib.util
import random
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

PARIS, BERLIN = "wh-paris", "wh-berlin"


def _load_bench() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "bench" / "load.py"
    spec = importlib.util.spec_from_file_location("bench_load", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_load"] = module
    spec.loader.exec_module(module)
    return module


load = _load_bench()


# fabricated table items
def level(sku: str, location: str, on_hand: int, reserved: int) -> dict[str, Any]:
    return {"type": "stock", "sku": sku, "location": location, "on_hand": on_hand, "reserved": reserved}


def move(reason: str, sku: str, location: str, quantity: int, order_id: str | None = None) -> dict[str, Any]:
    item = {"type": "movement", "sku": sku, "location": location, "reason": reason, "quantity": quantity}
    return item | ({"order_id": order_id} if order_id else {})


def order(order_id: str, status: str, **lines: int) -> dict[str, Any]:
    return {
        "type": "order",
        "id": order_id,
        "status": status,
        "lines": [{"sku": sku.replace("_", "-"), "quantity": q} for sku, q in lines.items()],
    }


def three_units_two_sold_one_held() -> list[dict[str, Any]]:
    """HOT-1: 3 received in Paris; o1 bought 2 (reserved, then sold), o2 holds the last one."""
    return [
        level("HOT-1", PARIS, on_hand=1, reserved=1),
        move("receipt", "HOT-1", PARIS, 3),
        move("reservation", "HOT-1", PARIS, 2, "o1"),
        move("sale", "HOT-1", PARIS, 2, "o1"),
        move("reservation", "HOT-1", PARIS, 1, "o2"),
        order("o1", "paid", HOT_1=2),
        order("o2", "pending_payment", HOT_1=1),
        {"type": "product", "id": "p1"},  # other items are ignored
    ]


# percentiles
def test_a_percentile_is_the_nearest_rank_value() -> None:
    values = [float(v) for v in range(10, 0, -1)]  # 10 .. 1, unsorted on purpose

    assert load.percentile(values, 0.5) == 5.0
    assert load.percentile(values, 0.9) == 9.0  # 0.9 * 10 is 9.000000000000002 in floating point
    assert load.percentile(values, 0.99) == 10.0
    assert load.percentile(values, 1.0) == 10.0
    assert load.percentile(values, 0.0) == 1.0


def test_a_percentile_of_a_hundred_values_picks_the_value_at_that_rank() -> None:
    values = [v / 1000 for v in range(1, 101)]

    assert [load.percentile(values, s) for s in (0.5, 0.9, 0.99)] == [0.05, 0.09, 0.099]


def test_a_percentile_of_one_value_is_that_value_and_of_none_is_refused() -> None:
    assert load.percentile([0.25], 0.99) == 0.25
    with pytest.raises(ValueError, match="no values"):
        load.percentile([], 0.5)
    with pytest.raises(ValueError, match="within"):
        load.percentile([1.0], 1.5)


# the mix
def test_the_seeded_mix_draws_browse_cart_and_checkout_in_the_configured_proportions() -> None:
    plan = load.Plan(seed=20261127, operations=20_000, seconds=60)
    plan.start()

    kinds = Counter(drawn[0] for drawn in iter(plan.next, None))

    assert sum(kinds.values()) == 20_000
    assert kinds["browse"] / 20_000 == pytest.approx(0.80, abs=0.01)
    assert kinds["cart"] / 20_000 == pytest.approx(0.15, abs=0.01)
    assert kinds["checkout"] / 20_000 == pytest.approx(0.05, abs=0.005)


def test_one_seed_gives_one_sequence_of_operations_and_another_seed_another() -> None:
    def sequence(seed: int) -> list[tuple[str, int]]:
        plan = load.Plan(seed=seed, operations=200, seconds=60)
        plan.start()
        return list(iter(plan.next, None))

    assert sequence(7) == sequence(7)
    assert sequence(7) != sequence(8)


def test_the_plan_ends_after_its_operations_or_its_seconds_whichever_comes_first() -> None:
    now = [100.0]
    plan = load.Plan(seed=1, operations=3, seconds=10, clock=lambda: now[0])
    plan.start()
    assert [plan.next() is not None for _ in range(4)] == [True, True, True, False]

    timed = load.Plan(seed=1, operations=1_000, seconds=10, clock=lambda: now[0])
    timed.start()
    assert timed.next() is not None
    now[0] += 10
    assert timed.next() is None


def test_pick_follows_the_weights_of_any_mix() -> None:
    rng = random.Random(3)

    picked = Counter(load.pick(rng, {"a": 1.0, "b": 3.0}) for _ in range(8_000))

    assert picked["b"] / 8_000 == pytest.approx(0.75, abs=0.02)


# the oversell audit
def test_a_ledger_where_sold_and_held_units_were_received_has_no_problem() -> None:
    assert load.audit_stock(three_units_two_sold_one_held()) == []


def test_units_sold_and_held_beyond_what_was_received_are_an_oversell() -> None:
    items = [
        level("HOT-1", PARIS, on_hand=1, reserved=2),
        move("receipt", "HOT-1", PARIS, 3),
        move("reservation", "HOT-1", PARIS, 2, "o1"),
        move("sale", "HOT-1", PARIS, 2, "o1"),
        move("reservation", "HOT-1", PARIS, 2, "o2"),
        order("o1", "paid", HOT_1=2),
    ]

    problems = load.audit_stock(items)

    assert "HOT-1 at wh-paris: sold 2 + reserved 2 > received 3" in problems
    assert "HOT-1 at wh-paris: reserved 2 of on_hand 1" in problems


def test_a_level_that_disagrees_with_its_movements_is_reported() -> None:
    items = three_units_two_sold_one_held()
    items[0] = level("HOT-1", PARIS, on_hand=3, reserved=1)  # the sale never reached the level

    assert load.audit_stock(items) == ["HOT-1 at wh-paris: level on_hand 3 / reserved 1, movements say 1 / 1"]


def test_a_paid_order_the_ledger_sold_nothing_to_is_paid_for_stock_that_did_not_exist() -> None:
    items = [
        level("COLD-1", BERLIN, on_hand=0, reserved=0),
        order("o9", "paid", COLD_1=1),
    ]

    problems = load.audit_stock(items)

    assert problems == [
        "order o9 paid for 1 x COLD-1, the ledger sold it 0",
        "COLD-1: paid orders hold 1 units, 0 ever received",
    ]


def test_more_released_than_reserved_is_reported() -> None:
    items = [
        level("HOT-2", BERLIN, on_hand=2, reserved=0),
        move("receipt", "HOT-2", BERLIN, 2),
        move("reservation", "HOT-2", BERLIN, 1, "o3"),
        move("release", "HOT-2", BERLIN, 2, "o3"),
    ]

    problems = load.audit_stock(items)

    assert "HOT-2 at wh-berlin: 1 more units released or sold than reserved" in problems


def test_units_spread_over_two_locations_count_together_for_a_paid_order() -> None:
    items = [
        level("HOT-3", PARIS, on_hand=0, reserved=0),
        level("HOT-3", BERLIN, on_hand=1, reserved=0),
        move("receipt", "HOT-3", PARIS, 1),
        move("receipt", "HOT-3", BERLIN, 2),
        move("reservation", "HOT-3", PARIS, 1, "o4"),
        move("reservation", "HOT-3", BERLIN, 1, "o4"),
        move("sale", "HOT-3", PARIS, 1, "o4"),
        move("sale", "HOT-3", BERLIN, 1, "o4"),
        order("o4", "paid", HOT_3=2),
    ]

    assert load.audit_stock(items) == []
    assert load.stock_of(items, ["HOT-3"]) == {"HOT-3": (3, 2, 0)}


def test_the_stock_summary_adds_receipts_sales_and_open_reservations_of_each_sku() -> None:
    assert load.stock_of(three_units_two_sold_one_held(), ["HOT-1", "NONE"]) == {
        "HOT-1": (3, 2, 1),
        "NONE": (0, 0, 0),
    }


# what counts as an error
def test_errors_are_what_clients_saw_plus_bad_answers_to_the_webhooks_no_client_sent() -> None:
    stats, meter = load.Stats(), load.CallMeter()
    stats.request("POST /checkout", 0.2)
    stats.error("POST /checkout", "500", '{"message": "Internal Server Error"}')
    meter.served_status.update(
        {
            ("POST /checkout", 500): 1,  # the client's own error: not counted twice
            ("POST /webhooks/stripe", 200): 7,
            ("POST /webhooks/stripe", 400): 1,
            ("GET /products", 200): 3,
        }
    )

    assert load.all_errors(stats, meter) == {
        ("POST /checkout", "500"): 1,
        ("POST /webhooks/stripe", "400"): 1,
    }
