"""The email-marketing event sources: who is abandoned and when, with a fake clock; the job's
once-only announcement; consent changes published once per actual change."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from commerce.domain.cart import Cart, CartPolicy
from commerce.domain.customer import ProfileChanges
from commerce.domain.errors import Conflict, DependencyFailed, ValidationFailed
from commerce.domain.events import DomainEvent
from commerce.domain.marketing import index_time, is_abandoned, is_watched
from commerce.services.abandoned_carts import AbandonedCarts
from commerce.services.carts import Carts
from commerce.services.customers import Customers
from commerce.services.outbox import OutboxRelay
from commerce.services.pagination import CursorCodec
from tests.fakes.carts import InMemoryCarts
from tests.fakes.catalog import InMemoryCatalog
from tests.fakes.customers import InMemoryCustomers
from tests.fakes.events import InMemoryEvents
from tests.fakes.marketing import InMemoryAbandonedCarts

from .catalog_builders import category, product, variant
from .customer_builders import ALICE, Clock, World, world

HOUR = timedelta(hours=1)
T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _cart(**fields: object) -> Cart:
    base = Cart(id="c1", token_hash="h", currency="EUR", created_at=T0, updated_at=T0)
    return replace(base, **fields)  # type: ignore[arg-type]


# the pure rules
def test_a_cart_is_watched_only_with_lines_and_an_email_or_a_signed_in_owner() -> None:
    assert not is_watched(_cart())
    assert not is_watched(_cart(lines={"A": 1}))
    assert not is_watched(_cart(email="a@example.com"))
    assert is_watched(_cart(lines={"A": 1}, email="a@example.com"))
    assert is_watched(_cart(lines={"A": 1}, customer_id="sub-1"))


def test_a_watched_cart_is_abandoned_once_untouched_for_the_configured_time() -> None:
    cart = _cart(lines={"A": 1}, email="a@example.com")
    assert not is_abandoned(cart, T0 + HOUR - timedelta(seconds=1), HOUR)
    assert is_abandoned(cart, T0 + HOUR, HOUR)
    assert is_abandoned(cart, T0, timedelta(0))  # threshold 0: every watched cart, at once
    assert not is_abandoned(_cart(lines={"A": 1}), T0 + 2 * HOUR, HOUR)


def test_index_times_sort_as_text_in_time_order_whatever_the_offset_and_precision() -> None:
    times = [
        T0,
        T0 + timedelta(microseconds=1),
        (T0 + timedelta(seconds=1)).astimezone(UTC),
        datetime(2026, 11, 27, 14, 0, 2, tzinfo=UTC).astimezone(
            datetime(2026, 1, 1, tzinfo=UTC).astimezone().tzinfo
        ),
    ]
    assert sorted(index_time(t) for t in times) == [index_time(t) for t in sorted(times)]


# the job
class Shop:
    def __init__(self) -> None:
        self.clock = Clock()
        self.catalog = InMemoryCatalog()
        self.catalog.save_category(category("shoes"))
        self.catalog.save_product(product("RUN", variants=(variant("RUN-40", eur=8990),)))
        self.catalog.save_product(product("CAP", variants=(variant("CAP-1", eur=1500),)))
        self.store = InMemoryCarts()
        self.customers = InMemoryCustomers(self.store)
        self.index = InMemoryAbandonedCarts(self.store)
        self.events = InMemoryEvents()
        policy = CartPolicy(ttl=timedelta(days=30))
        self.carts = Carts(self.store, self.catalog, ["EUR"], policy, self.clock, "en")

    def job(self) -> AbandonedCarts:
        return AbandonedCarts(
            index=self.index,
            carts=self.store,
            catalog=self.catalog,
            customers=self.customers,
            relay=self.relay(),
            clock=self.clock,
            after=HOUR,
            default_locale="en",
            policy=CartPolicy(ttl=timedelta(days=30)),
        )

    def relay(self) -> OutboxRelay:
        return OutboxRelay(self.index.outbox, self.events, self.clock)

    def guest_cart(self, email: str | None = "Guest@Example.COM", consent: bool = True) -> tuple[str, str]:
        priced, token = self.carts.create("EUR", "en")
        self.carts.set_line(priced.cart.id, token, "RUN-40", 2, "en")
        self.carts.set_line(priced.cart.id, token, "CAP-1", 1, "en")
        if email:
            self.carts.set_contact(priced.cart.id, token, email, consent, "fr-FR")
        return priced.cart.id, token

    def abandoned(self) -> list[dict[str, object]]:
        return [dict(e.data) for e in self.events.published if e.type == "CartAbandoned"]


@pytest.fixture
def shop() -> Shop:
    return Shop()


def test_a_guest_cart_idle_past_the_threshold_is_announced_with_its_lines_and_contact(shop: Shop) -> None:
    cart_id, _ = shop.guest_cart()
    touched = shop.clock()
    shop.clock.advance(minutes=59)
    assert shop.job().run().announced == ()
    shop.clock.advance(minutes=1)
    assert shop.job().run().announced == (cart_id,)
    (data,) = shop.abandoned()
    assert data == {
        "cart_id": cart_id,
        "email": "Guest@example.com",
        "customer_id": None,
        "locale": "fr-FR",
        "currency": "EUR",
        "marketing_consent": True,
        "lines": [
            {"sku": "CAP-1", "name": data["lines"][0]["name"], "quantity": 1, "unit_price": 1500},  # type: ignore[index]
            {"sku": "RUN-40", "name": data["lines"][1]["name"], "quantity": 2, "unit_price": 8990},  # type: ignore[index]
        ],
        "subtotal": 2 * 8990 + 1500,
        "last_touched_at": touched.isoformat(),
        "abandoned_at": shop.clock().isoformat(),
    }


def test_each_idle_period_is_announced_once_and_a_touch_re_arms_it(shop: Shop) -> None:
    cart_id, token = shop.guest_cart()
    shop.clock.advance(hours=2)
    shop.job().run()
    shop.clock.advance(hours=2)
    assert shop.job().run().announced == ()  # a later run: the same idle period
    shop.carts.set_line(cart_id, token, "CAP-1", 3, "en")
    shop.clock.advance(hours=2)
    assert shop.job().run().announced == (cart_id,)
    first, second = [e for e in shop.events.published if e.type == "CartAbandoned"]
    assert first.event_id != second.event_id and second.data["lines"][0]["quantity"] == 3


def test_two_overlapping_runs_announce_a_cart_once() -> None:
    """Both runs read the cart as idle; only the first claim of that version succeeds."""
    shop = Shop()
    cart_id, _ = shop.guest_cart()
    shop.clock.advance(hours=2)
    read_by_both = shop.store.get(cart_id)
    assert read_by_both is not None
    first = shop.job().run()
    assert first.announced == (cart_id,)
    assert shop.index.claim(read_by_both, None) is False  # the second run's claim of the same idle period
    assert shop.job().run().announced == ()
    assert len(shop.abandoned()) == 1


def test_carts_without_an_email_emptied_or_checked_out_are_not_announced(shop: Shop) -> None:
    shop.guest_cart(email=None)
    emptied, token = shop.guest_cart()
    for sku in ("RUN-40", "CAP-1"):
        shop.carts.remove_line(emptied, token, sku, "en")
    checked_out, _ = shop.guest_cart()
    del shop.store.carts[checked_out]  # the checkout deletes the cart in the order's transaction
    shop.clock.advance(hours=2)
    assert shop.job().run().announced == ()


def test_an_expired_cart_that_ttl_has_not_deleted_yet_is_not_announced(shop: Shop) -> None:
    shop.guest_cart()
    shop.clock.advance(days=31)  # past the cart's 30 days; DynamoDB TTL deletes it up to days later
    assert shop.job().run().announced == ()


def test_a_signed_in_cart_uses_the_profiles_email_consent_and_locale(shop: Shop) -> None:
    w = world()
    w.customers.profile(ALICE)
    w.customers.update_profile(ALICE, ProfileChanges(locale="de", marketing_consent=False))
    shop.customers = w.repo
    shop.store = w.carts
    shop.index = InMemoryAbandonedCarts(w.carts)
    shop.carts = Carts(w.carts, shop.catalog, ["EUR"], CartPolicy(), shop.clock, "en")
    priced = shop.carts.set_customer_line(ALICE.subject, "RUN-40", 1, "en")
    shop.clock.advance(hours=2)
    assert shop.job().run().announced == (priced.cart.id,)
    (data,) = shop.abandoned()
    assert (data["email"], data["marketing_consent"], data["locale"], data["customer_id"]) == (
        "Alice.Martin@example.com",
        False,
        "de",
        ALICE.subject,
    )


def test_a_run_that_dies_before_publishing_leaves_its_claims_to_the_sweeper_with_the_same_event_id(
    shop: Shop,
) -> None:
    cart_id, _ = shop.guest_cart()
    shop.clock.advance(hours=2)
    shop.events.fail_next = DependencyFailed("EventBridge is down")  # as a crash after the claims

    assert shop.job().run().announced == (cart_id,)
    assert shop.abandoned() == []
    (left,) = shop.index.outbox.entries.values()  # written in the claim's transaction
    assert shop.job().run().announced == ()  # claimed: no second event for this idle period

    shop.clock.advance(minutes=5)
    assert shop.relay().sweep() == 1
    (event,) = [e for e in shop.events.published if e.type == "CartAbandoned"]
    assert (event.event_id, event.data["cart_id"]) == (left.event_id, cart_id)
    assert shop.relay().sweep() == 0


def test_a_guest_contact_must_be_an_email_address(shop: Shop) -> None:
    priced, token = shop.carts.create("EUR", "en")
    with pytest.raises(ValidationFailed):
        shop.carts.set_contact(priced.cart.id, token, "not an email", True, "en")


# consent changes
def _consent_world() -> tuple[World, InMemoryEvents]:
    w, events = world(), InMemoryEvents()
    customers = Customers(
        customers=w.repo,
        orders=w.orders,
        carts=w.carts,
        cursors=CursorCodec(lambda: b"unit-test-key"),
        currencies=("EUR",),
        clock=w.clock,
        relay=OutboxRelay(w.repo.outbox, events, w.clock),
        default_locale="en",
    )
    return replace(w, customers=customers), events


def test_a_consent_change_is_published_once_and_the_same_answer_again_publishes_nothing() -> None:
    w, events = _consent_world()
    customers = w.customers
    customers.update_profile(ALICE, ProfileChanges(marketing_consent=True, locale="fr"))
    customers.update_profile(ALICE, ProfileChanges(marketing_consent=True))
    customers.update_profile(ALICE, ProfileChanges(name="Alice"))
    w.clock.advance(hours=1)
    customers.update_profile(ALICE, ProfileChanges(marketing_consent=False))
    assert [(e.type, e.data["marketing_consent"], e.data["reason"]) for e in events.published] == [
        ("CustomerConsentChanged", True, "profile"),
        ("CustomerConsentChanged", False, "profile"),
    ]
    first = events.published[0].data
    assert (first["customer_id"], first["email"], first["locale"]) == (
        "sub-alice",
        "Alice.Martin@example.com",
        "fr",
    )
    assert events.published[1].data["changed_at"] == w.clock().isoformat()


def test_a_consenting_customers_new_address_unsubscribes_the_old_one_and_subscribes_the_new() -> None:
    w, events = _consent_world()
    customers = w.customers
    customers.update_profile(ALICE, ProfileChanges(marketing_consent=True))
    customers.update_profile(ALICE, ProfileChanges(email="alice@new.example"))
    customers.update_profile(ALICE, ProfileChanges(email="alice@newer.example", marketing_consent=False))

    assert [(e.data["email"], e.data["marketing_consent"], e.data["reason"]) for e in events.published] == [
        ("Alice.Martin@example.com", True, "profile"),
        ("Alice.Martin@example.com", False, "email_replaced"),
        ("alice@new.example", True, "email_changed"),
        ("alice@new.example", False, "profile"),  # withdrawn: the address the tool knows is told
    ]
    assert len({e.event_id for e in events.published}) == 4


def test_a_new_address_of_a_customer_who_never_consented_publishes_nothing() -> None:
    w, events = _consent_world()
    w.customers.update_profile(ALICE, ProfileChanges(email="alice@new.example"))
    assert events.published == []


def test_erasure_withdraws_a_granted_consent_once_and_leaves_a_withheld_one_silent() -> None:
    w, events = _consent_world()
    customers = w.customers
    customers.update_profile(ALICE, ProfileChanges(marketing_consent=True))
    customers.erase(ALICE)
    customers.erase(ALICE)
    assert [(e.data["marketing_consent"], e.data["reason"]) for e in events.published] == [
        (True, "profile"),
        (False, "erased"),
    ]
    w2, events2 = _consent_world()
    w2.customers.profile(ALICE)
    w2.customers.erase(ALICE)
    assert events2.published == []


def test_a_consent_change_whose_publish_never_happened_is_published_by_the_sweeper_with_its_event_id() -> (
    None
):
    w, events = _consent_world()
    events.fail_next = DependencyFailed("EventBridge is down")  # as a crash right after the profile's save

    w.customers.update_profile(ALICE, ProfileChanges(marketing_consent=True))

    saved = w.repo.get_profile(ALICE.subject)
    assert saved and saved.marketing_consent.granted and events.published == []
    (left,) = w.repo.outbox.entries.values()  # written in the profile's transaction
    w.clock.advance(minutes=5)
    assert OutboxRelay(w.repo.outbox, events, w.clock).sweep() == 1
    (event,) = events.published
    assert (event.event_id, event.type, event.data["marketing_consent"]) == (
        left.event_id,
        "CustomerConsentChanged",
        True,
    )


def test_a_profile_save_refused_for_its_version_writes_no_consent_event() -> None:
    w, _ = _consent_world()
    w.customers.profile(ALICE)
    stale = w.repo.get_profile(ALICE.subject)
    assert stale is not None
    w.customers.update_profile(ALICE, ProfileChanges(name="Alice"))

    with pytest.raises(Conflict):
        w.repo.save_profile(stale, stale.version, [_any_event()])

    assert w.repo.outbox.entries == {}


def test_an_erasure_that_dies_after_writing_its_withdrawal_leaves_it_for_the_sweeper() -> None:
    w, events = _consent_world()
    w.customers.update_profile(ALICE, ProfileChanges(marketing_consent=True))
    events.fail_next = DependencyFailed("EventBridge is down")

    w.customers.erase(ALICE)

    assert [e.data["reason"] for e in events.published] == ["profile"]
    w.clock.advance(minutes=5)
    assert OutboxRelay(w.repo.outbox, events, w.clock).sweep() == 1
    assert [(e.data["reason"], e.data["marketing_consent"]) for e in events.published][-1] == (
        "erased",
        False,
    )


def _any_event() -> DomainEvent:
    return DomainEvent("CustomerConsentChanged", T0, {"customer_id": ALICE.subject})
