"""The customer account use cases with in-memory fakes: profile, orders, export and erasure."""

from __future__ import annotations

from datetime import timedelta

import pytest

from commerce.domain.cart import Cart
from commerce.domain.customer import Consent, Profile, ProfileChanges
from commerce.domain.errors import InvalidCursor, UnknownCurrency, UnsupportedCurrency, ValidationFailed
from commerce.domain.order_history import ERASED, pseudonymised_address

from .customer_builders import ALICE, BOB, World, order, paris, world


@pytest.fixture
def w() -> World:
    return world()


# profile
def test_the_first_read_creates_the_profile_from_the_tokens_email(w: World) -> None:
    profile = w.customers.profile(ALICE)
    assert profile.customer_id == "sub-alice"
    assert profile.email == "Alice.Martin@example.com"  # the domain is lower-cased, the mailbox is not
    assert profile.marketing_consent == Consent(granted=False, changed_at=None)
    assert w.repo.get_profile("sub-alice") == profile
    w.clock.advance(hours=1)
    assert w.customers.profile(ALICE) == profile  # read again, not created again


def test_a_token_without_email_still_gets_a_profile() -> None:
    assert Profile.new("sub", None, world().clock()).email is None
    assert Profile.new("sub", "not an email", world().clock()).email is None


def test_the_profile_takes_name_locale_currency_and_a_new_email(w: World) -> None:
    changes = ProfileChanges(name="  Alice M.  ", locale="fr_ca", currency="JPY", email="alice@new.example")
    profile = w.customers.update_profile(ALICE, changes)
    assert (profile.name, profile.locale, profile.currency, profile.email) == (
        "Alice M.",
        "fr-CA",
        "JPY",
        "alice@new.example",
    )
    assert profile.version == 1 and profile.updated_at == w.clock()


def test_none_clears_a_field_and_a_field_not_sent_stays(w: World) -> None:
    w.customers.update_profile(ALICE, ProfileChanges(name="Alice", locale="fr"))
    profile = w.customers.update_profile(ALICE, ProfileChanges(name=None))
    assert profile.name is None and profile.locale == "fr"


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        (ProfileChanges(locale="not a tag!"), ValidationFailed),
        (ProfileChanges(currency="GBP"), UnsupportedCurrency),
        (ProfileChanges(currency="XYZ"), UnknownCurrency),
        (ProfileChanges(email="nobody"), ValidationFailed),
        (ProfileChanges(email="a@b"), ValidationFailed),
        (ProfileChanges(name="x" * 201), ValidationFailed),
        (ProfileChanges(name="tab\there"), ValidationFailed),
    ],
)
def test_a_bad_profile_value_is_refused_and_nothing_changes(
    w: World, changes: ProfileChanges, error: type[Exception]
) -> None:
    before = w.customers.profile(ALICE)
    with pytest.raises(error):
        w.customers.update_profile(ALICE, changes)
    assert w.repo.get_profile("sub-alice") == before


def test_giving_consent_records_when_and_repeating_it_keeps_the_first_time(w: World) -> None:
    given_at = w.clock()
    assert w.customers.update_profile(
        ALICE, ProfileChanges(marketing_consent=True)
    ).marketing_consent == Consent(True, given_at)
    w.clock.advance(days=3)
    again = w.customers.update_profile(ALICE, ProfileChanges(marketing_consent=True))
    assert again.marketing_consent == Consent(True, given_at)
    assert again.version == 1  # nothing changed, nothing written


def test_withdrawing_consent_records_the_time_of_withdrawal(w: World) -> None:
    w.customers.update_profile(ALICE, ProfileChanges(marketing_consent=True))
    withdrawn_at = w.clock.advance(days=10)
    profile = w.customers.update_profile(ALICE, ProfileChanges(marketing_consent=False))
    assert profile.marketing_consent == Consent(False, withdrawn_at)


def test_refusing_consent_never_given_keeps_it_unrecorded(w: World) -> None:
    profile = w.customers.update_profile(ALICE, ProfileChanges(marketing_consent=False))
    assert profile.marketing_consent == Consent(False, None)


# orders
def test_orders_come_newest_first_a_page_at_a_time(w: World) -> None:
    start = w.clock()
    for i in range(5):
        w.orders.add(order(f"o{i}", "sub-alice", start + timedelta(days=i)))
    w.orders.add(order("bobs", "sub-bob", start + timedelta(days=9), email="bob@example.org"))
    first = w.customers.orders(ALICE, 2, None)
    assert [o.id for o in first.items] == ["o4", "o3"] and first.next_cursor
    second = w.customers.orders(ALICE, 2, first.next_cursor)
    third = w.customers.orders(ALICE, 2, second.next_cursor)
    assert [o.id for o in second.items + third.items] == ["o2", "o1", "o0"]
    assert third.next_cursor is None


def test_a_cursor_of_another_customer_is_refused(w: World) -> None:
    for i in range(3):
        w.orders.add(order(f"o{i}", "sub-alice", w.clock() + timedelta(days=i)))
    cursor = w.customers.orders(ALICE, 1, None).next_cursor
    with pytest.raises(InvalidCursor):
        w.customers.orders(BOB, 1, cursor)


def test_an_order_page_limit_out_of_range_is_refused(w: World) -> None:
    for limit in (0, 51):
        with pytest.raises(ValidationFailed):
            w.customers.orders(ALICE, limit, None)


# export
def _alice_with_everything(w: World) -> None:
    w.customers.update_profile(ALICE, ProfileChanges(name="Alice", marketing_consent=True))
    w.customers.add_address(ALICE, paris(), default_shipping=True, default_billing=True)
    w.clock.advance(minutes=1)
    w.customers.add_address(ALICE, paris(label="Work", line1="1 avenue Foch"), False, False)
    cart = Cart(
        id="cart-1",
        token_hash="",
        currency="EUR",
        created_at=w.clock(),
        updated_at=w.clock(),
        lines={"RUN-40": 2},
    )
    w.carts.carts["cart-1"] = cart
    w.repo.cart_pointers["sub-alice"] = "cart-1"
    for i in range(3):
        w.orders.add(order(f"o{i}", "sub-alice", w.clock() + timedelta(days=i)))


def test_export_holds_profile_addresses_cart_and_every_order(w: World) -> None:
    _alice_with_everything(w)
    for i in range(3, 130):  # more than one page of orders
        w.orders.add(order(f"o{i:03d}", "sub-alice", w.clock() + timedelta(days=i)))
    export = w.customers.export(ALICE)
    assert export.profile.name == "Alice" and export.profile.marketing_consent.granted
    assert [a.address.label for a in export.addresses] == ["Home", "Work"]
    assert export.addresses[0].default_shipping and export.addresses[0].default_billing
    assert export.cart is not None and dict(export.cart.lines) == {"RUN-40": 2}
    assert len(export.orders) == 130
    assert export.orders[0].created_at > export.orders[-1].created_at


def test_export_of_a_customer_with_nothing_yet_is_just_the_profile(w: World) -> None:
    export = w.customers.export(BOB)
    assert export.profile.customer_id == "sub-bob"
    assert export.addresses == () and export.cart is None and export.orders == ()


# erasure
def test_erase_deletes_profile_addresses_and_cart_and_pseudonymises_orders(w: World) -> None:
    _alice_with_everything(w)
    w.orders.add(order("bobs", "sub-bob", w.clock(), email="bob@example.org"))
    erased_at = w.clock.advance(days=30)
    erasure = w.customers.erase(ALICE)
    assert erasure.orders_pseudonymised == 3
    assert erasure.items_deleted == 5  # profile, two addresses, cart pointer, cart
    assert w.repo.get_profile("sub-alice") is None
    assert w.repo.list_addresses("sub-alice") == []
    assert "cart-1" not in w.carts.carts and w.repo.active_cart_id("sub-alice") is None
    for order_id in ("o0", "o1", "o2"):
        kept = w.orders.orders[order_id]
        assert kept.customer_id is None and kept.erased_at == erased_at
        assert kept.email == ERASED
        assert kept.shipping_address == {
            "recipient_name": ERASED,
            "line1": ERASED,
            "city": ERASED,
            "postal_code": ERASED,
            "country": "FR",
            "phone": ERASED,
        }
        assert kept.totals.total.amount == 2900 and kept.lines[0].sku == "RUN-40" and kept.status == "paid"
    assert w.customers.orders(ALICE, 10, None).items == ()
    assert w.orders.orders["bobs"].customer_id == "sub-bob"  # someone else's order is untouched


def test_erasing_twice_is_fine_and_keeps_the_first_erasure_time(w: World) -> None:
    _alice_with_everything(w)
    first_at = w.clock()
    w.customers.erase(ALICE)
    w.clock.advance(days=1)
    again = w.customers.erase(ALICE)
    assert (again.items_deleted, again.orders_pseudonymised) == (0, 0)
    assert w.orders.orders["o0"].erased_at == first_at
    assert w.orders.orders["o0"].pseudonymised(w.clock()).erased_at == first_at


def test_a_new_sign_in_after_erasure_starts_a_fresh_profile(w: World) -> None:
    _alice_with_everything(w)
    w.customers.erase(ALICE)
    fresh = w.customers.profile(ALICE)
    assert fresh.name is None and fresh.marketing_consent == Consent() and fresh.version == 0


def test_pseudonymising_keeps_country_and_region_and_erases_any_other_field() -> None:
    address = {"country": "US", "region": "CA", "city": "San Francisco", "company": "Acme", "line2": ""}
    assert pseudonymised_address(address) == {
        "country": "US",
        "region": "CA",
        "city": ERASED,
        "company": ERASED,
    }
    assert pseudonymised_address(None) is None
