"""Recommendations from paid orders and a customer's recently viewed products, with in-memory fakes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from commerce.domain import analytics
from commerce.domain.errors import NotFound
from commerce.domain.events import order_event
from commerce.services.analytics import AnalyticsRecorder
from commerce.services.insight import BESTSELLER, BOUGHT_TOGETHER, Recommendations
from tests.fakes.analytics import (
    InMemoryAnalyticsStore,
    InMemoryProductDirectory,
    InMemoryRawEventArchive,
    InMemoryViewHistory,
)

AT = datetime(2026, 11, 26, 12, tzinfo=UTC)
SKUS = {"TEE": "tee", "CAP": "cap", "MUG": "mug", "SOCK": "sock", "BOOT": "boot"}
CATEGORIES = {"tee": "apparel", "cap": "apparel", "sock": "apparel", "mug": "home", "boot": "shoes"}


def world(
    skus: dict[str, str] = SKUS, categories: dict[str, str] = CATEGORIES
) -> tuple[AnalyticsRecorder, Recommendations, InMemoryViewHistory]:
    store, views = InMemoryAnalyticsStore(), InMemoryViewHistory()
    directory = InMemoryProductDirectory(skus, categories)
    return (
        AnalyticsRecorder(store, InMemoryRawEventArchive(), directory, views),
        Recommendations(store, directory, views),
        views,
    )


def pay(recorder: AnalyticsRecorder, order_id: str, *skus: tuple[str, int]) -> None:
    lines = [{"sku": sku, "quantity": q, "line_total": 100 * q} for sku, q in skus]
    data = {"currency": "EUR", "total": sum(100 * q for _, q in skus), "lines": lines}
    recorder.record(order_event("OrderPaid", order_id, AT, data).envelope())


def test_products_bought_together_come_first_by_how_many_orders_had_both() -> None:
    recorder, recommendations, _ = world()
    pay(recorder, "o1", ("TEE", 1), ("MUG", 1))
    pay(recorder, "o2", ("TEE", 1), ("MUG", 2), ("CAP", 1))
    pay(recorder, "o3", ("TEE", 1), ("CAP", 1))
    pay(recorder, "o4", ("TEE", 1), ("MUG", 1))
    pay(recorder, "o4", ("TEE", 1), ("MUG", 1))  # a replay counts once

    found = recommendations.for_product("tee", 2)

    assert found == [("mug", BOUGHT_TOGETHER, 3), ("cap", BOUGHT_TOGETHER, 2)]


def test_too_few_bought_together_are_made_up_with_the_categorys_bestsellers() -> None:
    recorder, recommendations, _ = world()
    pay(recorder, "o1", ("SOCK", 5))
    pay(recorder, "o2", ("CAP", 2))
    pay(recorder, "o3", ("TEE", 1), ("MUG", 1))
    pay(recorder, "o4", ("BOOT", 9))  # another category

    found = recommendations.for_product("tee", 3)

    assert found == [("mug", BOUGHT_TOGETHER, 1), ("sock", BESTSELLER, 5), ("cap", BESTSELLER, 2)]


def test_an_order_of_more_than_eight_products_adds_no_pairs_but_still_counts_its_bestsellers() -> None:
    many = {f"S{n}": f"p{n}" for n in range(analytics.MAX_PAIRED_PRODUCTS + 1)}
    recorder, recommendations, _ = world(many, dict.fromkeys(many.values(), "bulk"))

    pay(recorder, "big", *((sku, 1) for sku in many))

    found = recommendations.for_product("p0", 4)
    assert len(found) == 4
    assert all(reason == BESTSELLER for _, reason, _ in found)


def test_recommendations_for_an_unknown_product_are_not_found() -> None:
    _, recommendations, _ = world()

    with pytest.raises(NotFound):
        recommendations.for_product("nope", 4)


def test_recently_viewed_lists_a_customers_latest_views_first_and_keeps_the_latest_time() -> None:
    recorder, recommendations, _ = world()
    who = analytics.ShopperContext(customer_id="sub-1")
    for minutes, product in [(0, "tee"), (1, "mug"), (2, "tee")]:
        recorder.record(analytics.product_viewed(who, product, AT + timedelta(minutes=minutes)).envelope())
    recorder.record(analytics.product_viewed(who, "cap", AT - timedelta(days=1)).envelope())
    recorder.record(analytics.product_viewed(analytics.ShopperContext(), "boot", AT).envelope())  # a guest's

    recent = recommendations.recently_viewed("sub-1", 10)

    assert [v.product_id for v in recent] == ["tee", "mug", "cap"]
    assert recent[0].viewed_at == (AT + timedelta(minutes=2)).isoformat()


def test_a_signed_in_customer_records_a_view_of_a_product_that_exists() -> None:
    _, recommendations, views = world()

    recommendations.viewed("sub-2", "mug", AT.isoformat())

    assert [v.product_id for v in views.recent("sub-2", 5)] == ["mug"]
    with pytest.raises(NotFound):
        recommendations.viewed("sub-2", "nope", AT.isoformat())
