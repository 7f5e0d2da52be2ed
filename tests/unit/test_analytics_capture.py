"""Behaviour events and the aggregates they add up to, with in-memory fakes."""

from __future__ import annotations

from datetime import UTC, datetime

from commerce.api.models import CreateCartIn
from commerce.domain import analytics
from commerce.domain.events import DomainEvent, order_event
from commerce.services.analytics import ActivityTracker, AnalyticsRecorder
from tests.fakes.analytics import InMemoryAnalyticsStore, InMemoryProductDirectory, InMemoryRawEventArchive
from tests.fakes.events import FailingPublisher

AT = datetime(2026, 11, 26, 23, 59, tzinfo=UTC)
DAY = "2026-11-26"
WHO = analytics.ShopperContext(channel="mobile", currency="EUR", locale="fr-CA", customer_id="sub-1")
PERSONAL = {"email", "name", "address", "shipping_address", "billing_address", "phone", "recipient_name"}


def paid(order_id: str = "o1", currency: str = "EUR", channel: str = "web") -> DomainEvent:
    return order_event(
        "OrderPaid",
        order_id,
        AT,
        {
            "currency": currency,
            "total": 5_380,
            "discount": 500,
            "channel": channel,
            "customer_id": "sub-1",
            "lines": [
                {"sku": "TEE-M", "quantity": 2, "line_total": 3_000},
                {"sku": "TEE-L", "quantity": 1, "line_total": 1_500},
                {"sku": "MUG", "quantity": 1, "line_total": 880},
            ],
        },
    )


def recorder(
    store: InMemoryAnalyticsStore, archive: InMemoryRawEventArchive | None = None
) -> AnalyticsRecorder:
    products = InMemoryProductDirectory({"TEE-M": "tee", "TEE-L": "tee", "MUG": "mug"})
    return AnalyticsRecorder(store, archive or InMemoryRawEventArchive(), products)


def test_a_paid_order_adds_revenue_orders_units_and_discounts_to_its_day_channel_and_currency() -> None:
    store = InMemoryAnalyticsStore()

    recorder(store).record(paid().envelope())

    sales = store.partition(analytics.SALES + DAY)
    assert sales == {"web#EUR": {"revenue": 5_380, "orders": 1, "units": 4, "discounts": 500}}
    assert store.partition(analytics.FUNNEL + DAY) == {"web": {"paid": 1}}


def test_a_paid_order_adds_units_and_revenue_per_product_with_skus_resolved_to_their_product() -> None:
    store = InMemoryAnalyticsStore()

    recorder(store).record(paid().envelope())

    products = store.partition(analytics.PRODUCTS + DAY)
    assert products == {
        "tee": {"units_sold": 3, "revenue_EUR": 4_500},
        "mug": {"units_sold": 1, "revenue_EUR": 880},
    }


def test_a_replayed_event_changes_no_aggregate() -> None:
    store = InMemoryAnalyticsStore()
    archive = InMemoryRawEventArchive()
    counting = recorder(store, archive)
    envelope = paid().envelope()
    counting.record(envelope)
    before = {key: dict(counters) for key, counters in store.items.items()}

    counted_again = counting.record(envelope)

    assert counted_again is False
    assert store.items == before


def test_a_refund_adds_to_refunds_of_its_day_channel_and_currency() -> None:
    store = InMemoryAnalyticsStore()
    refund = DomainEvent(
        "RefundIssued", AT, {"order_id": "o1", "amount": 1_200, "currency": "USD", "channel": "pos"}
    )

    recorder(store).record(refund.envelope())

    assert store.partition(analytics.SALES + DAY) == {"pos#USD": {"refunds": 1_200, "refunded_orders": 1}}


def test_views_searches_cart_adds_and_checkouts_count_in_the_funnel_of_their_channel() -> None:
    store = InMemoryAnalyticsStore()
    counting = recorder(store)
    for event in (
        analytics.product_viewed(WHO, "tee", AT),
        analytics.product_viewed(WHO, "tee", AT),
        analytics.search_made(WHO, "tee shirt", 4, AT),
        analytics.cart_line_added(WHO, "cart-1", "TEE-M", "tee", 2, AT),
        analytics.checkout_started(WHO, "o1", AT),
    ):
        counting.record(event.envelope())

    assert store.partition(analytics.FUNNEL + DAY) == {
        "mobile": {"views": 2, "searches": 1, "cart_adds": 1, "checkouts": 1}
    }
    assert store.partition(analytics.PRODUCTS + DAY) == {"tee": {"views": 2, "cart_adds": 1}}


def test_every_event_is_archived_raw_even_one_the_aggregates_do_not_count() -> None:
    archive = InMemoryRawEventArchive()
    other = DomainEvent("FulfillmentRequested", AT, {"order_id": "o1"}).envelope()

    counted = recorder(InMemoryAnalyticsStore(), archive).record(other)

    assert counted is False
    assert archive.envelopes == [other]


def test_behaviour_events_carry_channel_currency_locale_and_customer_but_no_personal_data() -> None:
    events = [
        analytics.product_viewed(WHO, "tee", AT),
        analytics.search_made(WHO, "  tee  ", 3, AT),
        analytics.cart_line_added(WHO, "cart-1", "TEE-M", "tee", 1, AT),
        analytics.checkout_started(WHO, "o1", AT),
    ]

    for event in events:
        data = event.envelope()["data"]
        assert {
            "channel": "mobile",
            "currency": "EUR",
            "locale": "fr-CA",
            "customer_id": "sub-1",
        }.items() <= (data.items())
        assert not PERSONAL & set(data)
    assert events[1].data["query"] == "tee"
    assert events[1].data["result_count"] == 3


def test_an_order_taken_on_a_marketplace_or_in_a_store_counts_under_that_sales_channel() -> None:
    store = InMemoryAnalyticsStore()

    recorder(store).record(paid("o1", channel="marketplace:demo-market").envelope())
    recorder(store).record(paid("o2", channel="pos:paris").envelope())

    sales = store.partition(analytics.SALES + DAY)
    assert set(sales) == {"marketplace:demo-market#EUR", "pos:paris#EUR"}
    assert store.partition(analytics.FUNNEL + DAY) == {
        "marketplace:demo-market": {"paid": 1},
        "pos:paris": {"paid": 1},
    }


def test_an_unknown_channel_counts_as_the_web() -> None:
    assert analytics.ShopperContext(channel="carrier-pigeon").as_data()["channel"] == "web"
    assert analytics.ShopperContext(channel=" POS ").as_data()["channel"] == "pos"
    assert analytics.ShopperContext(channel="app").as_data()["channel"] == "app"
    assert analytics.ShopperContext(channel="marketplace:").as_data()["channel"] == "web"


def test_a_bus_that_refuses_events_is_logged_and_counted_and_the_request_goes_on() -> None:
    dropped: list[int] = []
    publisher = FailingPublisher()
    tracker = ActivityTracker(publisher, dropped.append)

    delivered = tracker.track(analytics.product_viewed(WHO, "tee", AT))

    assert delivered is False
    assert publisher.attempts == 1
    assert dropped == [1]


def test_a_day_is_the_utc_day_the_event_occurred() -> None:
    envelope = paid().envelope() | {"occurred_at": "2026-11-27T00:30:00+01:00"}

    assert analytics.parse_envelope(envelope).day.isoformat() == DAY


def test_a_carts_campaign_keeps_the_utm_fields_and_only_the_referrers_host() -> None:
    body = CreateCartIn(
        currency="EUR",
        utm_source=" newsletter ",
        utm_campaign="spring",
        referrer="https://mail.example.com/read?to=ada@example.com",
    )

    assert body.attribution() == {
        "utm_source": "newsletter",
        "utm_campaign": "spring",
        "referrer": "mail.example.com",
    }
    assert CreateCartIn(currency="EUR").attribution() == {}
