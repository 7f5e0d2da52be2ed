"""Addresses: each country's postal rules, the address book's limit and its default addresses."""

from __future__ import annotations

import pytest

from commerce.domain.customer import MAX_ADDRESSES, Address
from commerce.domain.errors import LimitExceeded, NotFound, ValidationFailed

from .customer_builders import ALICE, BOB, World, paris, world


@pytest.fixture
def w() -> World:
    return world()


def _address(**overrides: str | None) -> Address:
    now = world().clock()
    return Address.of("a1", paris(**overrides), created_at=now, updated_at=now)


@pytest.mark.parametrize(
    ("country", "typed", "written", "region"),
    [
        ("US", "94105", "94105", "CA"),
        ("US", "94105-1234", "94105-1234", "ny"),
        ("US", "941051234", "94105-1234", "DC"),
        ("CA", "k1a0b1", "K1A 0B1", "ON"),
        ("CA", "H2X 1Y4", "H2X 1Y4", "qc"),
        ("GB", "sw1a1aa", "SW1A 1AA", None),
        ("GB", "EC1A 1BB", "EC1A 1BB", None),
        ("GB", "M1 1AE", "M1 1AE", None),
        ("GB", "B33 8TH", "B33 8TH", None),
        ("GB", "W1A 0AX", "W1A 0AX", None),
        ("JP", "1000001", "100-0001", None),
        ("JP", "100-0001", "100-0001", None),
        ("FR", "75001", "75001", None),
        ("DE", "01067", "01067", None),
        ("ES", "28001", "28001", None),
        ("IT", "00184", "00184", None),
        ("NL", "1012ab", "1012 AB", None),
        ("NL", "1012 AB", "1012 AB", None),
        ("BE", "1000", "1000", None),
        ("AT", "1010", "1010", None),
        ("CH", "8001", "8001", None),
        ("PT", "1100148", "1100-148", None),
        ("SE", "11122", "111 22", None),
    ],
)
def test_a_postal_code_is_accepted_and_written_as_the_countrys_post_writes_it(
    country: str, typed: str, written: str, region: str | None
) -> None:
    address = _address(country=country.lower(), postal_code=f" {typed} ", region=region)
    assert address.country == country
    assert address.postal_code == written
    if region:
        assert address.region == region.upper()


@pytest.mark.parametrize(
    ("country", "postal_code", "region"),
    [
        ("US", "9410", "CA"),
        ("US", "94105-12", "CA"),
        ("US", "ABCDE", "CA"),
        ("CA", "D1A 0B1", "ON"),  # D is never the first letter of a Canadian code
        ("CA", "K1A 0B", "ON"),
        ("GB", "SW1A", None),
        ("GB", "QW1A 1AA", None),
        ("JP", "1000-001", None),
        ("JP", "10000011", None),
        ("FR", "7500", None),
        ("FR", "750011", None),
        ("DE", "1234A", None),
        ("ES", "53001", None),  # provinces run 01 to 52
        ("IT", "ABCDE", None),
        ("NL", "0123 AB", None),
        ("NL", "1234 SS", None),
        ("NL", "1234", None),
        ("BE", "0999", None),
        ("AT", "12345", None),
        ("CH", "800", None),
        ("FR", None, None),  # required where the country has codes
    ],
)
def test_a_postal_code_the_country_does_not_use_is_refused(
    country: str, postal_code: str | None, region: str | None
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _address(country=country, postal_code=postal_code, region=region)
    assert refused.value.extensions["field"] == "postal_code"
    with pytest.raises(ValidationFailed) as other:
        _address(country=country, postal_code="0", region=region)
    assert refused.value.detail == other.value.detail or postal_code is None  # never echoes what was typed


@pytest.mark.parametrize("country", ["XX", "UK", "EU", "FRA", "", "1"])
def test_an_unknown_country_is_refused(country: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _address(country=country)
    assert refused.value.extensions["field"] == "country"


def test_us_and_canadian_addresses_need_their_state_or_province() -> None:
    for country, postal_code, region in [
        ("US", "94105", None),
        ("US", "94105", "ZZ"),
        ("CA", "K1A 0B1", "CA"),
    ]:
        with pytest.raises(ValidationFailed) as refused:
            _address(country=country, postal_code=postal_code, region=region)
        assert refused.value.extensions["field"] == "region"


def test_a_country_without_a_known_format_takes_any_plausible_code_or_none() -> None:
    assert _address(country="BR", postal_code="01310-100").postal_code == "01310-100"
    assert _address(country="HK", postal_code=None).postal_code is None
    assert _address(country="IE", postal_code=None).postal_code is None
    assert _address(country="IE", postal_code="d02x285").postal_code == "D02 X285"
    with pytest.raises(ValidationFailed):
        _address(country="BR", postal_code="#!")


@pytest.mark.parametrize(
    "overrides",
    [
        {"recipient_name": " "},
        {"line1": ""},
        {"city": ""},
        {"phone": "call me"},
        {"phone": "+1234567890123456"},
    ],
)
def test_missing_or_malformed_fields_are_refused(overrides: dict[str, str]) -> None:
    with pytest.raises(ValidationFailed):
        _address(**overrides)


def test_an_address_is_added_listed_changed_and_deleted(w: World) -> None:
    saved = w.customers.add_address(ALICE, paris(), default_shipping=False, default_billing=False)
    assert [a.address.id for a in w.customers.addresses(ALICE)] == [saved.address.id]
    w.clock.advance(hours=1)
    changed = w.customers.update_address(ALICE, saved.address.id, paris(line1="3 quai Voltaire"), None, None)
    assert changed.address.line1 == "3 quai Voltaire"
    assert changed.address.created_at == saved.address.created_at < changed.address.updated_at
    w.customers.delete_address(ALICE, saved.address.id)
    assert w.customers.addresses(ALICE) == []
    with pytest.raises(NotFound):
        w.customers.delete_address(ALICE, saved.address.id)


def test_another_customer_can_neither_see_nor_change_nor_delete_my_address(w: World) -> None:
    mine = w.customers.add_address(ALICE, paris(), False, False).address.id
    assert w.customers.addresses(BOB) == []
    with pytest.raises(NotFound):
        w.customers.update_address(BOB, mine, paris(line1="hijacked"), True, True)
    with pytest.raises(NotFound):
        w.customers.delete_address(BOB, mine)
    assert w.repo.get_address("sub-alice", mine) is not None
    assert w.customers.profile(BOB).default_shipping_address_id is None


def test_the_address_book_holds_at_most_twenty(w: World) -> None:
    for _ in range(MAX_ADDRESSES):
        w.customers.add_address(ALICE, paris(), False, False)
    with pytest.raises(LimitExceeded):
        w.customers.add_address(ALICE, paris(), False, False)
    assert len(w.customers.addresses(ALICE)) == MAX_ADDRESSES


def test_flagging_an_address_as_default_makes_it_the_one_default(w: World) -> None:
    home = w.customers.add_address(ALICE, paris(), default_shipping=True, default_billing=True)
    assert home.default_shipping and home.default_billing
    work = w.customers.add_address(ALICE, paris(label="Work"), default_shipping=True, default_billing=False)
    profile = w.customers.profile(ALICE)
    assert profile.default_shipping_address_id == work.address.id
    assert profile.default_billing_address_id == home.address.id
    flags = {a.address.label: (a.default_shipping, a.default_billing) for a in w.customers.addresses(ALICE)}
    assert flags == {"Home": (False, True), "Work": (True, False)}


def test_unflagging_the_default_clears_it_and_leaving_the_flag_out_keeps_it(w: World) -> None:
    home = w.customers.add_address(ALICE, paris(), default_shipping=True, default_billing=True).address.id
    kept = w.customers.update_address(ALICE, home, paris(), default_shipping=None, default_billing=None)
    assert kept.default_shipping and kept.default_billing
    cleared = w.customers.update_address(ALICE, home, paris(), default_shipping=False, default_billing=None)
    assert not cleared.default_shipping and cleared.default_billing


def test_unflagging_an_address_that_is_not_the_default_leaves_the_default_alone(w: World) -> None:
    home = w.customers.add_address(ALICE, paris(), default_shipping=True, default_billing=False).address.id
    work = w.customers.add_address(ALICE, paris(label="Work"), False, False).address.id
    w.customers.update_address(
        ALICE, work, paris(label="Work"), default_shipping=False, default_billing=False
    )
    assert w.customers.profile(ALICE).default_shipping_address_id == home


def test_deleting_the_default_address_clears_the_default(w: World) -> None:
    home = w.customers.add_address(ALICE, paris(), default_shipping=True, default_billing=True).address.id
    work = w.customers.add_address(ALICE, paris(label="Work"), False, True).address.id
    w.customers.delete_address(ALICE, home)
    profile = w.customers.profile(ALICE)
    assert profile.default_shipping_address_id is None
    assert profile.default_billing_address_id == work
