from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from commerce.domain.cart import CartPolicy
from commerce.domain.catalog import ProductStatus
from commerce.domain.errors import LimitExceeded, NotFound, NotSellable, UnsupportedCurrency, ValidationFailed
from commerce.services.carts import Carts
from tests.fakes.carts import InMemoryCarts
from tests.fakes.catalog import InMemoryCatalog

from .catalog_builders import category, product, variant


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def catalog() -> InMemoryCatalog:
    repo = InMemoryCatalog()
    repo.save_category(category("shoes"))
    repo.save_product(
        product("RUN", variants=(variant("RUN-40", eur=8990, jpy=14400), variant("RUN-41", jpy=None)))
    )
    repo.save_product(product("OLD", status=ProductStatus.ARCHIVED, variants=(variant("OLD-1"),)))
    for i in range(5):
        repo.save_product(product(f"S{i}", variants=(variant(f"S{i}-A", eur=100 + i),)))
    return repo


@pytest.fixture
def carts(catalog: InMemoryCatalog, clock: Clock) -> Carts:
    policy = CartPolicy(max_quantity_per_line=10, max_lines=3, ttl=timedelta(days=30))
    return Carts(InMemoryCarts(), catalog, ["EUR", "USD", "JPY"], policy, clock, "en")


def test_a_new_cart_is_empty_and_opens_only_with_its_token(carts: Carts) -> None:
    priced, token = carts.create("EUR", "en")
    assert priced.lines == () and priced.subtotal.amount == 0 and priced.subtotal.currency == "EUR"
    assert carts.get(priced.cart.id, token, "en").cart.id == priced.cart.id
    for wrong in (None, "", token + "x", "another-token"):
        with pytest.raises(NotFound):
            carts.get(priced.cart.id, wrong, "en")


def test_a_wrong_token_and_an_unknown_cart_look_the_same(carts: Carts) -> None:
    priced, _ = carts.create("EUR", "en")
    with pytest.raises(NotFound) as wrong_token:
        carts.get(priced.cart.id, "nope", "en")
    with pytest.raises(NotFound) as no_cart:
        carts.get("no-such-cart", "nope", "en")
    assert wrong_token.value.detail == no_cart.value.detail


def test_lines_are_priced_from_the_price_list_in_the_cart_currency(carts: Carts) -> None:
    priced, token = carts.create("JPY", "en")
    cart = carts.set_line(priced.cart.id, token, "RUN-40", 3, "en")
    (line,) = cart.lines
    assert (line.unit_price.amount, line.unit_price.currency) == (14400, "JPY")
    assert line.line_total.amount == 43200
    assert cart.subtotal.amount == 43200


def test_setting_a_line_again_replaces_its_quantity_and_zero_removes_it(carts: Carts) -> None:
    priced, token = carts.create("EUR", "en")
    carts.set_line(priced.cart.id, token, "RUN-40", 2, "en")
    cart = carts.set_line(priced.cart.id, token, "RUN-40", 5, "en")
    assert [(line.sku, line.quantity) for line in cart.lines] == [("RUN-40", 5)]
    assert cart.subtotal.amount == 5 * 8990
    assert carts.set_line(priced.cart.id, token, "RUN-40", 0, "en").lines == ()


def test_removing_a_line_leaves_the_others(carts: Carts) -> None:
    priced, token = carts.create("EUR", "en")
    carts.set_line(priced.cart.id, token, "S0-A", 1, "en")
    carts.set_line(priced.cart.id, token, "S1-A", 2, "en")
    cart = carts.remove_line(priced.cart.id, token, "S0-A", "en")
    assert [line.sku for line in cart.lines] == ["S1-A"]
    assert cart.subtotal.amount == 202


@pytest.mark.parametrize(
    ("sku", "quantity", "error"),
    [
        ("NOPE-1", 1, NotSellable),
        ("OLD-1", 1, NotSellable),
        ("RUN-40", 11, LimitExceeded),
        ("RUN-40", -1, ValidationFailed),
    ],
)
def test_bad_lines_are_refused_and_change_nothing(
    carts: Carts, sku: str, quantity: int, error: type[Exception]
) -> None:
    priced, token = carts.create("EUR", "en")
    with pytest.raises(error):
        carts.set_line(priced.cart.id, token, sku, quantity, "en")
    assert carts.get(priced.cart.id, token, "en").lines == ()


def test_a_sku_without_a_price_in_the_cart_currency_is_refused(carts: Carts) -> None:
    priced, token = carts.create("JPY", "en")
    with pytest.raises(NotSellable, match="not sold in JPY"):
        carts.set_line(priced.cart.id, token, "RUN-41", 1, "en")


def test_a_cart_holds_at_most_the_maximum_number_of_lines(carts: Carts) -> None:
    priced, token = carts.create("EUR", "en")
    for i in range(3):
        carts.set_line(priced.cart.id, token, f"S{i}-A", 1, "en")
    with pytest.raises(LimitExceeded):
        carts.set_line(priced.cart.id, token, "S3-A", 1, "en")
    # changing an existing line is still allowed at the maximum
    assert carts.set_line(priced.cart.id, token, "S0-A", 4, "en").lines[0].quantity == 4


def test_a_cart_in_a_currency_not_offered_is_refused(carts: Carts) -> None:
    with pytest.raises(UnsupportedCurrency):
        carts.create("GBP", "en")


def test_a_cart_expires_thirty_days_after_its_last_change(carts: Carts, clock: Clock) -> None:
    priced, token = carts.create("EUR", "en")
    clock.now += timedelta(days=20)
    carts.set_line(priced.cart.id, token, "S0-A", 1, "en")
    clock.now += timedelta(days=29)
    assert carts.get(priced.cart.id, token, "en").lines[0].sku == "S0-A"
    clock.now += timedelta(days=2)
    with pytest.raises(NotFound):
        carts.get(priced.cart.id, token, "en")


def test_a_line_whose_product_was_archived_shows_but_is_not_counted(
    carts: Carts, catalog: InMemoryCatalog
) -> None:
    priced, token = carts.create("EUR", "en")
    carts.set_line(priced.cart.id, token, "S0-A", 2, "en")
    carts.set_line(priced.cart.id, token, "S1-A", 1, "en")
    catalog.save_product(product("S0", status=ProductStatus.ARCHIVED, variants=(variant("S0-A", eur=100),)))
    cart = carts.get(priced.cart.id, token, "en")
    assert {line.sku: line.available for line in cart.lines} == {"S0-A": False, "S1-A": True}
    assert cart.subtotal.amount == 101


def test_a_customer_has_one_active_cart_created_on_first_use(carts: Carts) -> None:
    first = carts.customer_cart("cust-a", "en")
    again = carts.customer_cart("cust-a", "en")
    other = carts.customer_cart("cust-b", "en")
    assert first.cart.id == again.cart.id != other.cart.id
    assert first.cart.customer_id == "cust-a"


def test_a_customer_cart_cannot_be_opened_with_a_guest_token(carts: Carts) -> None:
    mine = carts.customer_cart("cust-a", "en")
    with pytest.raises(NotFound):
        carts.get(mine.cart.id, "", "en")
    with pytest.raises(NotFound):
        carts.get(mine.cart.id, "any-token", "en")


def test_claiming_a_guest_cart_adds_its_quantities_and_deletes_it(carts: Carts) -> None:
    carts.set_customer_line("cust-a", "S0-A", 2, "en")
    carts.set_customer_line("cust-a", "RUN-40", 9, "en")
    guest, token = carts.create("EUR", "en")
    carts.set_line(guest.cart.id, token, "S0-A", 3, "en")
    carts.set_line(guest.cart.id, token, "RUN-40", 5, "en")
    carts.set_line(guest.cart.id, token, "S1-A", 1, "en")
    merged = carts.claim(guest.cart.id, token, "cust-a", "en")
    assert {line.sku: line.quantity for line in merged.lines} == {"S0-A": 5, "RUN-40": 10, "S1-A": 1}
    assert carts.customer_cart("cust-a", "en").cart.id == merged.cart.id
    with pytest.raises(NotFound):
        carts.get(guest.cart.id, token, "en")


def test_an_empty_customer_cart_takes_the_claimed_carts_currency(carts: Carts) -> None:
    guest, token = carts.create("JPY", "en")
    carts.set_line(guest.cart.id, token, "RUN-40", 1, "en")
    merged = carts.claim(guest.cart.id, token, "cust-new", "en")
    assert merged.cart.currency == "JPY"
    assert merged.subtotal.amount == 14400


def test_claiming_needs_the_guest_token(carts: Carts) -> None:
    guest, _ = carts.create("EUR", "en")
    with pytest.raises(NotFound):
        carts.claim(guest.cart.id, "wrong", "cust-a", "en")


def test_claiming_keeps_the_line_limit_and_changes_nothing_when_it_cannot(carts: Carts) -> None:
    for i in range(3):
        carts.set_customer_line("cust-a", f"S{i}-A", 1, "en")
    guest, token = carts.create("EUR", "en")
    carts.set_line(guest.cart.id, token, "S3-A", 1, "en")
    with pytest.raises(LimitExceeded):
        carts.claim(guest.cart.id, token, "cust-a", "en")
    assert len(carts.customer_cart("cust-a", "en").lines) == 3
    assert len(carts.get(guest.cart.id, token, "en").lines) == 1


def test_an_expired_customer_cart_is_replaced_by_a_new_one(carts: Carts, clock: Clock) -> None:
    old = carts.customer_cart("cust-a", "en")
    clock.now += timedelta(days=31)
    fresh = carts.customer_cart("cust-a", "en")
    assert fresh.cart.id != old.cart.id and fresh.lines == ()
