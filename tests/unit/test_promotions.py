"""Discount codes on carts and at checkout, with in-memory fakes: each refusal says which, a code's limits
hold at checkout, and the cart shows each discount and why."""

from __future__ import annotations

from datetime import timedelta

import pytest

from commerce.domain.cart import CartPolicy
from commerce.domain.money import Money
from commerce.domain.order import Order
from commerce.domain.promotions import (
    DiscountCodeExhausted,
    DiscountCodeExpired,
    DiscountCodeInvalid,
    DiscountCodeNotApplicable,
    DiscountLine,
    Promotion,
    PromotionKind,
    PromotionStatus,
    line_discounts,
)
from commerce.services.carts import Carts
from commerce.services.checkout import Checkout
from commerce.services.pricing import Pricer
from tests.fakes.carts import InMemoryCarts
from tests.fakes.catalog import InMemoryCatalog
from tests.fakes.orders import InMemoryOrders, InMemoryStock, InMemoryWorkflow
from tests.fakes.payments import InMemoryPayments
from tests.fakes.promotions import InMemoryPromotions

from .catalog_builders import product, variant
from .checkout_world import PAYMENT_TIMEOUT, Clock, request


class PromoShop:
    def __init__(self) -> None:
        self.clock = Clock()
        self.catalog = InMemoryCatalog()
        self.stock = InMemoryStock()
        self.carts_repo = InMemoryCarts()
        self.promotions = InMemoryPromotions()
        self.orders = InMemoryOrders(self.stock, self.carts_repo)
        self.orders.promotions = self.promotions
        self.customers_with_orders: set[str] = set()
        pricer = Pricer(
            self.promotions,
            lambda customer: customer not in self.customers_with_orders,
            self.clock,
            {"name": "Shop"},
        )
        policy = CartPolicy()
        self.carts = Carts(
            self.carts_repo, self.catalog, ["EUR", "USD", "JPY"], policy, self.clock, "en", pricer, "FR"
        )
        self.checkout = Checkout(
            carts=self.carts_repo,
            catalog=self.catalog,
            orders=self.orders,
            ledger=self.orders,
            payments=InMemoryPayments(),
            workflow=InMemoryWorkflow(),
            clock=self.clock,
            policy=policy,
            payment_timeout=PAYMENT_TIMEOUT,
            default_locale="en",
            pricer=pricer,
        )
        self.catalog.save_product(product("RUN", category="shoes", variants=(variant("RUN-40", eur=8990),)))
        self.catalog.save_product(product("SOCK", category="socks", variants=(variant("SOCK-1", eur=990),)))
        self.stock.receive("RUN-40", "paris", 100, "initial")
        self.stock.receive("SOCK-1", "paris", 100, "initial")

    def code(self, code: str, **terms: object) -> Promotion:
        fields: dict[str, object] = {
            "id": code,
            "code": code,
            "kind": PromotionKind.PERCENTAGE,
            "description": f"{code}: 10 % off",
            "starts_at": self.clock.now - timedelta(days=1),
            "percent_bp": 1000,
        }
        fields.update(terms)
        promotion = Promotion(**fields)  # type: ignore[arg-type]
        self.promotions.add(promotion)
        return promotion

    def cart(self, lines: dict[str, int]) -> tuple[str, str]:
        priced, token = self.carts.create("EUR", "en", "FR")
        for sku, quantity in lines.items():
            self.carts.set_line(priced.cart.id, token, sku, quantity, "en")
        return priced.cart.id, token

    def buy_with_code(self, code: str, email: str) -> Order:
        """A pair of socks bought by a guest with `code` on the cart (a guest cart does not know the email
        until checkout)."""
        cart_id, token = self.cart({"SOCK-1": 1})
        self.carts.apply_code(cart_id, token, code, "en")
        return self.checkout.guest(cart_id, token, request(email)).order


@pytest.fixture
def shop() -> PromoShop:
    return PromoShop()


def test_a_code_on_the_cart_shows_each_discount_and_why(shop: PromoShop) -> None:
    shop.code("SAVE10")
    cart_id, token = shop.cart({"RUN-40": 1, "SOCK-1": 1})

    priced = shop.carts.apply_code(cart_id, token, " save10 ", "en")

    assert priced.cart.discount_code == "SAVE10"
    estimate = priced.estimate
    assert estimate is not None and estimate.code_refusal is None
    # 10 % of 89.90 is 8.99; of 9.90 is 0.99: rounded down per line, 9.98 in all
    assert [(d.promotion_id, d.description, d.amount.amount) for d in estimate.discounts] == [
        ("SAVE10", "SAVE10: 10 % off", 899 + 99)
    ]
    assert estimate.totals.total.amount == 8990 + 990 - 998  # FR: inclusive, free shipping over 50 EUR
    removed = shop.carts.remove_code(cart_id, token, "en")
    assert removed.cart.discount_code is None and removed.estimate and not removed.estimate.discounts


@pytest.mark.parametrize(
    ("terms", "error", "reason"),
    [
        ({"status": PromotionStatus.PAUSED}, DiscountCodeInvalid, None),
        ({"ends_at": "past"}, DiscountCodeExpired, None),
        ({"starts_at": "future"}, DiscountCodeExpired, None),
        ({"min_subtotal": {"EUR": 20_000}}, DiscountCodeNotApplicable, "min_subtotal"),
        ({"categories": frozenset({"hats"})}, DiscountCodeNotApplicable, "no_eligible_line"),
        ({"signed_in_only": True}, DiscountCodeNotApplicable, "signed_in_only"),
        (
            {"kind": PromotionKind.FIXED_AMOUNT, "amounts": {"USD": 500}},
            DiscountCodeNotApplicable,
            "currency",
        ),
        ({"usage_limit": 1, "uses": 1}, DiscountCodeExhausted, "usage_limit"),
    ],
)
def test_a_code_that_cannot_go_on_the_cart_gets_a_problem_that_says_which(
    shop: PromoShop, terms: dict[str, object], error: type[Exception], reason: str | None
) -> None:
    terms = dict(terms)
    uses = terms.pop("uses", 0)
    if terms.get("ends_at") == "past":
        terms["starts_at"], terms["ends_at"] = (
            shop.clock.now - timedelta(days=9),
            shop.clock.now - timedelta(days=1),
        )
    if terms.get("starts_at") == "future":
        terms["starts_at"] = shop.clock.now + timedelta(days=1)
    shop.code("NOPE10", **terms)
    shop.promotions.uses["NOPE10"] = int(uses)  # type: ignore[call-overload]
    cart_id, token = shop.cart({"RUN-40": 1})

    with pytest.raises(error) as refused:
        shop.carts.apply_code(cart_id, token, "NOPE10", "en")

    assert refused.value.extensions.get("reason") == reason  # type: ignore[attr-defined]
    assert shop.carts.get(cart_id, token, "en").cart.discount_code is None


def test_an_unknown_or_malformed_code_is_invalid(shop: PromoShop) -> None:
    cart_id, token = shop.cart({"RUN-40": 1})
    for code in ("NOSUCH", "x", "bad code!"):
        with pytest.raises(DiscountCodeInvalid):
            shop.carts.apply_code(cart_id, token, code, "en")


def test_checkout_counts_the_use_and_the_discount_given_and_keeps_them_on_the_order(shop: PromoShop) -> None:
    shop.code("SAVE10", usage_limit=5)
    cart_id, token = shop.cart({"RUN-40": 1})
    shop.carts.apply_code(cart_id, token, "SAVE10", "en")

    order = shop.checkout.guest(cart_id, token, request()).order

    assert order.totals.discount.amount == 899 and order.lines[0].discount == Money(899, "EUR")
    assert order.pricing is not None and order.pricing.discount_code == "SAVE10"
    assert [d.promotion_id for d in order.pricing.discounts] == ["SAVE10"]
    assert shop.promotions.usage("SAVE10").uses == 1
    assert shop.promotions.usage("SAVE10").discount_given == {"EUR": 899}


def test_a_per_customer_limit_stops_the_same_guest_email_the_second_time(shop: PromoShop) -> None:
    shop.code("ONCE", per_customer_limit=1)
    shop.buy_with_code("ONCE", "ada@example.com")

    with pytest.raises(DiscountCodeExhausted):
        shop.buy_with_code("ONCE", "ADA@example.com")

    assert shop.buy_with_code("ONCE", "bob@example.com").totals.discount.amount == 99


def test_an_unpaid_order_gives_its_code_use_back_when_it_is_cancelled(shop: PromoShop) -> None:
    shop.code("LAST", usage_limit=1, per_customer_limit=1)
    declined = shop.buy_with_code("LAST", "ada@example.com")

    # the card is declined: the workflow compensates, releasing the units and the code's use
    shop.orders.release(
        declined.cancelled(shop.clock.now, "payment_failed"), declined.version, "payment_failed"
    )

    assert shop.promotions.usage("LAST").uses == 0
    assert shop.promotions.usage("LAST").discount_given == {"EUR": 0}
    assert shop.buy_with_code("LAST", "ada@example.com").totals.discount.amount == 99


def test_a_code_that_stopped_applying_since_it_went_on_the_cart_refuses_checkout(shop: PromoShop) -> None:
    shop.code("SOON", ends_at=shop.clock.now + timedelta(hours=1))
    cart_id, token = shop.cart({"RUN-40": 1})
    shop.carts.apply_code(cart_id, token, "SOON", "en")
    shop.clock.advance(timedelta(hours=2))

    assert isinstance(shop.carts.get(cart_id, token, "en").estimate.code_refusal, DiscountCodeExpired)  # type: ignore[union-attr]
    with pytest.raises(DiscountCodeExpired):
        shop.checkout.guest(cart_id, token, request())


def test_a_first_order_code_is_for_signed_in_customers_without_an_order(shop: PromoShop) -> None:
    shop.code("WELCOME", first_order_only=True)
    shop.carts.set_customer_line("cust-1", "SOCK-1", 1, "en")

    priced = shop.carts.apply_customer_code("cust-1", "welcome", "en")

    assert priced.cart.discount_code == "WELCOME" and priced.estimate and priced.estimate.discounts
    shop.customers_with_orders.add("cust-1")
    refused = shop.carts.customer_cart("cust-1", "en").estimate.code_refusal  # type: ignore[union-attr]
    assert (
        isinstance(refused, DiscountCodeNotApplicable) and refused.extensions["reason"] == "first_order_only"
    )
    with pytest.raises(DiscountCodeNotApplicable):
        shop.carts.apply_customer_code("cust-1", "WELCOME", "en")
    assert shop.carts.remove_customer_code("cust-1", "en").cart.discount_code is None


def test_a_first_order_code_goes_to_one_of_two_first_orders_placed_before_either_is_counted(
    shop: PromoShop,
) -> None:
    shop.code("WELCOME", first_order_only=True)
    shop.carts.set_customer_line("cust-1", "SOCK-1", 1, "en")
    shop.carts.apply_customer_code("cust-1", "WELCOME", "en")
    first = shop.checkout.customer("cust-1", request()).order
    # the customer's orders are read outside the transaction: the second checkout still sees no order
    shop.carts.set_customer_line("cust-1", "SOCK-1", 1, "en")
    shop.carts.apply_customer_code("cust-1", "WELCOME", "en")

    with pytest.raises(DiscountCodeExhausted):
        shop.checkout.customer("cust-1", request())

    assert first.totals.discount.amount == 99
    assert shop.promotions.usage("WELCOME").uses == 1


def test_a_cart_priced_for_another_destination_shows_that_regions_tax_and_shipping(shop: PromoShop) -> None:
    cart_id, token = shop.cart({"SOCK-1": 1})
    assert shop.carts.get(cart_id, token, "en").estimate.tax_region == "FR"  # type: ignore[union-attr]

    moved = shop.carts.ship_to(cart_id, token, "US", "ny", "en")

    assert moved.cart.country == "US" and moved.cart.currency == "EUR"  # the currency stays
    assert (
        moved.estimate is not None
        and moved.estimate.tax_region == "US-NY"
        and not moved.estimate.tax_included
    )
    customer = shop.carts.ship_customer_cart_to("cust-2", "DE", None, "en")
    assert customer.cart.country == "DE" and customer.cart.customer_id == "cust-2"


def test_an_automatic_promotion_applies_without_a_code_only_in_its_window_and_category(
    shop: PromoShop,
) -> None:
    shop.promotions.add(
        Promotion(
            id="shoe-week",
            kind=PromotionKind.PERCENTAGE,
            description="20 % off shoes this week",
            starts_at=shop.clock.now - timedelta(days=1),
            ends_at=shop.clock.now + timedelta(days=6),
            percent_bp=2000,
            categories=frozenset({"shoes"}),
        )
    )
    cart_id, token = shop.cart({"RUN-40": 1, "SOCK-1": 1})
    estimate = shop.carts.get(cart_id, token, "en").estimate
    assert estimate is not None
    assert [(line.sku, line.discount.amount) for line in estimate.lines] == [("RUN-40", 1798), ("SOCK-1", 0)]  # type: ignore[union-attr]
    shop.clock.advance(timedelta(days=7))
    assert not shop.carts.get(cart_id, token, "en").estimate.discounts  # type: ignore[union-attr]


def test_a_fixed_amount_is_split_over_the_eligible_lines_exactly_and_never_beyond_them() -> None:
    promotion = Promotion(
        id="TENEUR", code="TENEUR", kind=PromotionKind.FIXED_AMOUNT, description="10 EUR",
        starts_at=Clock().now, amounts={"EUR": 1000},
    )  # fmt: skip
    lines = [DiscountLine("A", "x", Money(300, "EUR")), DiscountLine("B", "x", Money(400, "EUR"))]
    assert line_discounts(promotion, lines, {}) == {"A": Money(300, "EUR"), "B": Money(400, "EUR")}
    lines = [DiscountLine("A", "x", Money(3333, "EUR")), DiscountLine("B", "x", Money(6667, "EUR"))]
    split = line_discounts(promotion, lines, {})
    assert sum(m.amount for m in split.values()) == 1000 and split == {
        "A": Money(333, "EUR"),
        "B": Money(667, "EUR"),
    }
