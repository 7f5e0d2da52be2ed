"""Money: minor units per currency, explicit rounding, allocation without lost cents, display."""

from __future__ import annotations

import decimal
import operator
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commerce.domain.errors import CurrencyMismatch, UnknownCurrency, ValidationFailed
from commerce.domain.money import Money, Rounding, sum_money

NBSP = "\u00a0"  # no-break space
NNBSP = "\u202f"  # narrow no-break space

ALL_ROUNDINGS = list(Rounding)
DECIMAL_ROUNDING = {
    Rounding.HALF_EVEN: decimal.ROUND_HALF_EVEN,
    Rounding.HALF_UP: decimal.ROUND_HALF_UP,
    Rounding.DOWN: decimal.ROUND_DOWN,
    Rounding.UP: decimal.ROUND_UP,
    Rounding.FLOOR: decimal.ROUND_FLOOR,
    Rounding.CEILING: decimal.ROUND_CEILING,
}


def usd(cents: int) -> Money:
    return Money(cents, "USD")


def eur(cents: int) -> Money:
    return Money(cents, "EUR")


# construction


def test_money_holds_an_integer_amount_and_a_currency_code() -> None:
    price = Money(1234, "EUR")
    assert price.amount == 1234
    assert price.currency == "EUR"


@pytest.mark.parametrize("amount", [12.34, 12.0, True, False, Decimal("12"), "12", Fraction(12), None])
def test_anything_but_an_int_amount_is_rejected(amount: object) -> None:
    with pytest.raises(TypeError):
        Money(amount, "EUR")  # type: ignore[arg-type]


@pytest.mark.parametrize("code", ["eur", "XYZ", "", "EURO"])
def test_an_unknown_currency_is_rejected(code: str) -> None:
    with pytest.raises(UnknownCurrency):
        Money(100, code)


def test_zero_is_zero_minor_units_of_the_currency() -> None:
    assert Money.zero("JPY") == Money(0, "JPY")


def test_money_is_immutable_and_hashable() -> None:
    price = eur(100)
    with pytest.raises(AttributeError):
        price.amount = 200  # type: ignore[misc]
    assert {eur(100), eur(100), usd(100)} == {eur(100), usd(100)}


# from_decimal


def test_from_decimal_reads_major_units_into_cents() -> None:
    assert Money.from_decimal("12.34", "USD", Rounding.HALF_EVEN) == usd(1234)
    assert Money.from_decimal("12.3", "USD", Rounding.HALF_EVEN) == usd(1230)
    assert Money.from_decimal(Decimal("-0.05"), "USD", Rounding.HALF_EVEN) == usd(-5)


def test_from_decimal_uses_the_currency_exponent_not_a_fixed_hundred() -> None:
    assert Money.from_decimal("1234", "JPY", Rounding.HALF_EVEN) == Money(1234, "JPY")
    assert Money.from_decimal("1.234", "KWD", Rounding.HALF_EVEN) == Money(1234, "KWD")
    assert Money.from_decimal("1.2345", "CLF", Rounding.HALF_EVEN) == Money(12345, "CLF")


# The classic rounding table (as in Java's RoundingMode docs), on whole yen so the input is the
# value being rounded. Columns: HALF_EVEN, HALF_UP, DOWN, UP, FLOOR, CEILING.
ROUNDING_TABLE = [
    ("5.5", (6, 6, 5, 6, 5, 6)),
    ("2.5", (2, 3, 2, 3, 2, 3)),
    ("1.6", (2, 2, 1, 2, 1, 2)),
    ("1.1", (1, 1, 1, 2, 1, 2)),
    ("1.0", (1, 1, 1, 1, 1, 1)),
    ("0.4", (0, 0, 0, 1, 0, 1)),
    ("-0.4", (0, 0, 0, -1, -1, 0)),
    ("-1.0", (-1, -1, -1, -1, -1, -1)),
    ("-1.1", (-1, -1, -1, -2, -2, -1)),
    ("-1.6", (-2, -2, -1, -2, -2, -1)),
    ("-2.5", (-2, -3, -2, -3, -3, -2)),
    ("-5.5", (-6, -6, -5, -6, -6, -5)),
]
MODES_IN_TABLE_ORDER = [
    Rounding.HALF_EVEN,
    Rounding.HALF_UP,
    Rounding.DOWN,
    Rounding.UP,
    Rounding.FLOOR,
    Rounding.CEILING,
]


@pytest.mark.parametrize(
    ("value", "rounding", "expected"),
    [
        (value, mode, row[index])
        for value, row in ROUNDING_TABLE
        for index, mode in enumerate(MODES_IN_TABLE_ORDER)
    ],
)
def test_from_decimal_rounds_each_mode_as_the_rounding_table_says(
    value: str, rounding: Rounding, expected: int
) -> None:
    assert Money.from_decimal(value, "JPY", rounding).amount == expected


@pytest.mark.parametrize(
    ("value", "half_even", "half_up"),
    [
        ("0.125", 12, 13),
        ("0.135", 14, 14),
        ("-0.125", -12, -13),
        ("-0.135", -14, -14),
        ("10.005", 1000, 1001),
        ("0.1250000001", 13, 13),
    ],
)
def test_half_even_sends_ties_to_the_even_cent_where_half_up_goes_away_from_zero(
    value: str, half_even: int, half_up: int
) -> None:
    assert Money.from_decimal(value, "USD", Rounding.HALF_EVEN).amount == half_even
    assert Money.from_decimal(value, "USD", Rounding.HALF_UP).amount == half_up


def test_from_decimal_rounds_sub_cent_amounts_per_mode() -> None:
    assert Money.from_decimal("0.001", "USD", Rounding.UP) == usd(1)
    assert Money.from_decimal("0.001", "USD", Rounding.CEILING) == usd(1)
    assert Money.from_decimal("-0.001", "USD", Rounding.FLOOR) == usd(-1)
    assert Money.from_decimal("-0.001", "USD", Rounding.DOWN) == usd(0)
    assert Money.from_decimal("1.0009", "KWD", Rounding.HALF_UP) == Money(1001, "KWD")


@given(
    value=st.decimals(min_value=-(10**9), max_value=10**9, places=6, allow_nan=False, allow_infinity=False),
    rounding=st.sampled_from(ALL_ROUNDINGS),
)
def test_from_decimal_agrees_with_the_decimal_module_for_every_mode(
    value: Decimal, rounding: Rounding
) -> None:
    with decimal.localcontext() as context:
        context.prec = 60
        expected = int(value.scaleb(2).quantize(Decimal(1), rounding=DECIMAL_ROUNDING[rounding]))
    assert Money.from_decimal(value, "USD", rounding).amount == expected


@pytest.mark.parametrize("value", ["NaN", "-NaN", "sNaN", "Infinity", "-inf", Decimal("NaN"), Decimal("Inf")])
def test_from_decimal_rejects_nan_and_infinity(value: str | Decimal) -> None:
    with pytest.raises(ValidationFailed):
        Money.from_decimal(value, "EUR", Rounding.HALF_EVEN)


@pytest.mark.parametrize("value", ["", "12,34", "12.34 EUR", "€12", "1.2.3", "abc"])
def test_from_decimal_rejects_text_that_is_not_a_number(value: str) -> None:
    with pytest.raises(ValidationFailed):
        Money.from_decimal(value, "EUR", Rounding.HALF_EVEN)


@pytest.mark.parametrize("value", ["1e40", "-1e40", "1e999999999", "1e-999999999"])
def test_from_decimal_rejects_absurd_magnitudes_without_computing_them(value: str) -> None:
    with pytest.raises(ValidationFailed):
        Money.from_decimal(value, "EUR", Rounding.HALF_EVEN)


def test_from_decimal_accepts_zero_with_any_exponent() -> None:
    assert Money.from_decimal("0E-50", "EUR", Rounding.HALF_EVEN) == eur(0)
    assert Money.from_decimal("0E+50", "EUR", Rounding.HALF_EVEN) == eur(0)


@pytest.mark.parametrize("value", [12.34, 12, None])
def test_from_decimal_refuses_floats_and_other_types(value: object) -> None:
    with pytest.raises(TypeError):
        Money.from_decimal(value, "EUR", Rounding.HALF_EVEN)  # type: ignore[arg-type]


def test_from_decimal_requires_a_rounding_mode() -> None:
    with pytest.raises(TypeError):
        Money.from_decimal("1.00", "EUR")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Money.from_decimal("1.00", "EUR", "HALF_UP")  # type: ignore[arg-type]


def test_from_decimal_rejects_an_unknown_currency() -> None:
    with pytest.raises(UnknownCurrency):
        Money.from_decimal("1.00", "eur", Rounding.HALF_EVEN)


# parse and to_dict


def test_to_dict_and_parse_round_trip() -> None:
    price = Money(1234, "KWD")
    assert price.to_dict() == {"amount": 1234, "currency": "KWD"}
    assert Money.parse(price.to_dict()) == price


@pytest.mark.parametrize(
    "data",
    [
        {"amount": 12.34, "currency": "EUR"},
        {"amount": "1234", "currency": "EUR"},
        {"amount": True, "currency": "EUR"},
        {"amount": None, "currency": "EUR"},
        {"currency": "EUR"},
        {"amount": 1234},
        {"amount": 1234, "currency": 978},
        {},
    ],
)
def test_parse_rejects_malformed_money(data: dict[str, object]) -> None:
    with pytest.raises(ValidationFailed):
        Money.parse(data)


def test_parse_rejects_something_that_is_not_an_object() -> None:
    with pytest.raises(ValidationFailed):
        Money.parse([1234, "EUR"])  # type: ignore[arg-type]


def test_parse_rejects_an_unknown_currency_as_such() -> None:
    with pytest.raises(UnknownCurrency):
        Money.parse({"amount": 1, "currency": "eur"})


def test_parse_names_the_missing_field() -> None:
    with pytest.raises(ValidationFailed) as raised:
        Money.parse({"amount": 1})
    assert "'currency'" in raised.value.detail


# arithmetic and comparison


def test_adding_and_subtracting_same_currency_amounts() -> None:
    assert eur(150) + eur(75) == eur(225)
    assert eur(150) - eur(175) == eur(-25)


@pytest.mark.parametrize(
    "operation", [operator.add, operator.sub, operator.lt, operator.le, operator.gt, operator.ge]
)
def test_mixing_currencies_raises_currency_mismatch(operation: Callable[[Money, Money], object]) -> None:
    with pytest.raises(CurrencyMismatch) as raised:
        operation(eur(100), usd(100))
    assert "EUR" in raised.value.detail and "USD" in raised.value.detail


def test_equal_amounts_in_different_currencies_are_not_equal() -> None:
    assert eur(100) != usd(100)
    assert eur(100) == eur(100)


def test_comparisons_order_same_currency_amounts() -> None:
    assert eur(1) < eur(2) <= eur(2)
    assert eur(3) > eur(2) >= eur(2)
    assert not eur(2) < eur(2)
    assert sorted([eur(3), eur(-1), eur(2)]) == [eur(-1), eur(2), eur(3)]


def test_money_does_not_mix_with_plain_numbers() -> None:
    with pytest.raises(TypeError):
        eur(100) + 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        eur(100) < 1  # type: ignore[operator]  # noqa: B015 - the comparison is what raises


def test_negation_and_absolute_value() -> None:
    assert -eur(250) == eur(-250)
    assert eur(-250).abs() == eur(250)
    assert abs(eur(-250)) == eur(250)
    assert eur(250).abs() == eur(250)


def test_zero_and_negative_predicates() -> None:
    assert eur(0).is_zero()
    assert not eur(1).is_zero()
    assert eur(-1).is_negative()
    assert not eur(0).is_negative()
    assert not eur(1).is_negative()


def test_multiplying_by_a_quantity_scales_the_amount() -> None:
    assert eur(199) * 3 == eur(597)
    assert 3 * eur(199) == eur(597)
    assert eur(199) * -2 == eur(-398)
    assert eur(199) * 0 == eur(0)


@pytest.mark.parametrize("factor", [1.5, 2.0, Decimal("2"), Fraction(2), True])
def test_the_star_operator_only_takes_whole_quantities(factor: Any) -> None:
    with pytest.raises(TypeError):
        eur(100) * factor
    with pytest.raises(TypeError):
        factor * eur(100)


def test_money_does_not_divide() -> None:
    with pytest.raises(TypeError):
        eur(100) / 3  # type: ignore[operator]


# multiply and percentage


def test_multiply_is_exact_where_floats_would_not_be() -> None:
    # 1.15 * 100 is 114.99999999999999 in binary floating point: a float path would round down to 114.
    assert eur(100).multiply(Decimal("1.15"), Rounding.DOWN) == eur(115)
    assert eur(10).multiply(Decimal("0.7"), Rounding.FLOOR) == eur(7)


def test_multiply_rounds_once_with_the_given_mode() -> None:
    assert eur(101).multiply(Decimal("1.5"), Rounding.HALF_EVEN) == eur(152)  # 151.5
    assert eur(103).multiply(Decimal("1.5"), Rounding.HALF_EVEN) == eur(154)  # 154.5
    assert eur(103).multiply(Decimal("1.5"), Rounding.HALF_UP) == eur(155)
    assert eur(103).multiply(Decimal("1.5"), Rounding.DOWN) == eur(154)
    assert eur(-103).multiply(Decimal("1.5"), Rounding.HALF_UP) == eur(-155)
    assert eur(-103).multiply(Decimal("1.5"), Rounding.CEILING) == eur(-154)


def test_multiply_accepts_fractions_and_ints() -> None:
    assert eur(100).multiply(Fraction(1, 3), Rounding.HALF_EVEN) == eur(33)
    assert eur(100).multiply(Fraction(2, 3), Rounding.HALF_EVEN) == eur(67)
    assert eur(100).multiply(3, Rounding.HALF_EVEN) == eur(300)


def test_multiply_keeps_the_currency() -> None:
    assert Money(1000, "JPY").multiply(Decimal("0.08"), Rounding.HALF_EVEN) == Money(80, "JPY")


@pytest.mark.parametrize("factor", [1.5, True, "1.5", None])
def test_multiply_refuses_floats_and_other_types(factor: object) -> None:
    with pytest.raises(TypeError):
        eur(100).multiply(factor, Rounding.HALF_EVEN)  # type: ignore[arg-type]


@pytest.mark.parametrize("factor", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_multiply_refuses_non_finite_decimals(factor: Decimal) -> None:
    with pytest.raises(ValidationFailed):
        eur(100).multiply(factor, Rounding.HALF_EVEN)


def test_multiply_has_no_default_rounding() -> None:
    with pytest.raises(TypeError):
        eur(100).multiply(Decimal("1.5"))  # type: ignore[call-arg]


def test_percentage_is_in_basis_points() -> None:
    assert eur(10_000).percentage(1250, Rounding.HALF_EVEN) == eur(1250)  # 12.5 %
    assert eur(1999).percentage(2000, Rounding.HALF_EVEN) == eur(400)  # 20 % of 19.99 is 3.998
    assert eur(10_000).percentage(1, Rounding.HALF_EVEN) == eur(1)  # 0.01 %
    assert eur(10_000).percentage(10_000, Rounding.HALF_EVEN) == eur(10_000)


def test_percentage_rounds_with_the_given_mode() -> None:
    assert eur(999).percentage(1, Rounding.HALF_EVEN) == eur(0)  # 0.0999 cent
    assert eur(999).percentage(1, Rounding.UP) == eur(1)
    assert eur(1).percentage(5000, Rounding.HALF_EVEN) == eur(0)  # half a cent
    assert eur(1).percentage(5000, Rounding.HALF_UP) == eur(1)
    assert eur(-1).percentage(5000, Rounding.HALF_UP) == eur(-1)


def test_percentage_accepts_negative_and_over_hundred_percent() -> None:
    assert eur(1000).percentage(-1000, Rounding.HALF_EVEN) == eur(-100)
    assert eur(1000).percentage(15_000, Rounding.HALF_EVEN) == eur(1500)


def test_percentage_refuses_fractional_basis_points() -> None:
    with pytest.raises(TypeError):
        eur(1000).percentage(12.5, Rounding.HALF_EVEN)  # type: ignore[arg-type]


# allocate and split


def test_allocation_gives_leftover_cents_to_the_largest_remainders() -> None:
    # 5 in 1:2:3 is 0.83, 1.67, 2.5: floors 0, 1, 2 leave two cents for the two largest remainders.
    assert eur(5).allocate([1, 2, 3]) == [eur(1), eur(2), eur(2)]
    assert eur(1001).allocate([70, 30]) == [eur(701), eur(300)]


def test_allocation_breaks_ties_in_favour_of_earlier_parts() -> None:
    assert eur(100).allocate([1, 1, 1]) == [eur(34), eur(33), eur(33)]
    assert eur(5).allocate([1, 1]) == [eur(3), eur(2)]


def test_allocation_of_a_negative_amount_mirrors_the_positive_one() -> None:
    assert eur(-100).allocate([1, 1, 1]) == [eur(-34), eur(-33), eur(-33)]
    assert eur(-5).allocate([1, 2, 3]) == [eur(-1), eur(-2), eur(-2)]


def test_a_zero_ratio_gets_nothing() -> None:
    assert eur(5).allocate([0, 1, 1]) == [eur(0), eur(3), eur(2)]
    assert eur(7).allocate([1, 0]) == [eur(7), eur(0)]


def test_allocation_keeps_the_currency() -> None:
    assert Money(1000, "JPY").allocate([1, 2]) == [Money(333, "JPY"), Money(667, "JPY")]


@pytest.mark.parametrize("ratios", [[], [0], [0, 0], [-1, 2], [1, -1, 5]])
def test_allocation_rejects_empty_negative_or_all_zero_ratios(ratios: list[int]) -> None:
    with pytest.raises(ValueError):
        eur(100).allocate(ratios)


@pytest.mark.parametrize("ratios", [[1.5, 1], [True, 1], ["1", "1"]])
def test_allocation_rejects_non_integer_ratios(ratios: list[object]) -> None:
    with pytest.raises(TypeError):
        eur(100).allocate(ratios)  # type: ignore[arg-type]


amounts = st.integers(min_value=-(10**12), max_value=10**12)
ratio_lists = st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=20).filter(
    lambda ratios: sum(ratios) > 0
)


@given(amount=amounts, ratios=ratio_lists)
def test_allocation_never_loses_a_minor_unit(amount: int, ratios: list[int]) -> None:
    parts = eur(amount).allocate(ratios)
    assert len(parts) == len(ratios)
    assert sum(part.amount for part in parts) == amount
    assert all(part.currency == "EUR" for part in parts)


@given(amount=amounts, ratios=ratio_lists)
def test_each_allocated_part_is_within_one_unit_of_its_exact_share(amount: int, ratios: list[int]) -> None:
    total = sum(ratios)
    for part, ratio in zip(eur(amount).allocate(ratios), ratios, strict=True):
        assert abs(part.amount - Fraction(amount * ratio, total)) < 1
        if ratio == 0:
            assert part.amount == 0


@given(amount=amounts, ratio=st.integers(min_value=1, max_value=1000), count=st.integers(1, 20))
def test_equal_ratios_give_parts_that_differ_by_at_most_one_unit(amount: int, ratio: int, count: int) -> None:
    parts = [part.amount for part in eur(amount).allocate([ratio] * count)]
    assert max(parts) - min(parts) <= 1
    # The earlier parts take the extra units.
    assert parts == sorted(parts, key=abs, reverse=True)


@given(amount=amounts, ratios=ratio_lists)
def test_allocating_a_refund_is_the_negation_of_allocating_the_charge(amount: int, ratios: list[int]) -> None:
    assert eur(-amount).allocate(ratios) == [-part for part in eur(amount).allocate(ratios)]


def test_split_shares_evenly_with_the_extra_units_first() -> None:
    assert eur(100).split(3) == [eur(34), eur(33), eur(33)]
    assert Money(1000, "JPY").split(3) == [Money(334, "JPY"), Money(333, "JPY"), Money(333, "JPY")]
    assert eur(-10).split(4) == [eur(-3), eur(-3), eur(-2), eur(-2)]
    assert eur(2).split(3) == [eur(1), eur(1), eur(0)]


def test_split_into_one_part_is_the_whole() -> None:
    assert eur(1234).split(1) == [eur(1234)]


@pytest.mark.parametrize("parts", [0, -1])
def test_split_into_fewer_than_one_part_is_refused(parts: int) -> None:
    with pytest.raises(ValueError):
        eur(100).split(parts)


@given(amount=amounts, count=st.integers(min_value=1, max_value=50))
def test_split_preserves_the_total_and_differs_by_at_most_one(amount: int, count: int) -> None:
    parts = [part.amount for part in eur(amount).split(count)]
    assert len(parts) == count
    assert sum(parts) == amount
    assert max(parts) - min(parts) <= 1


# to_decimal and sum_money


@pytest.mark.parametrize(
    ("money", "text"),
    [
        (usd(1234), "12.34"),
        (usd(-5), "-0.05"),
        (usd(0), "0.00"),
        (Money(1234, "JPY"), "1234"),
        (Money(1234, "KWD"), "1.234"),
        (Money(-1, "KWD"), "-0.001"),
        (Money(12345, "CLF"), "1.2345"),
        (usd(10**40 + 1), "1" + "0" * 38 + ".01"),
    ],
)
def test_to_decimal_gives_major_units_with_the_currency_decimals(money: Money, text: str) -> None:
    assert str(money.to_decimal()) == text
    assert money.to_decimal() == Decimal(text)


@given(
    amount=st.integers(min_value=-(10**20), max_value=10**20),
    code=st.sampled_from(["JPY", "USD", "KWD", "CLF"]),
    rounding=st.sampled_from(ALL_ROUNDINGS),
)
def test_to_decimal_and_from_decimal_round_trip(amount: int, code: str, rounding: Rounding) -> None:
    money = Money(amount, code)
    assert Money.from_decimal(money.to_decimal(), code, rounding) == money


def test_sum_money_adds_amounts_of_one_currency() -> None:
    assert sum_money([eur(100), eur(250), eur(-50)], "EUR") == eur(300)
    assert sum_money((eur(n) for n in range(5)), "EUR") == eur(10)


def test_sum_money_of_nothing_is_zero_in_the_given_currency() -> None:
    assert sum_money([], "JPY") == Money(0, "JPY")


def test_sum_money_refuses_a_foreign_amount() -> None:
    with pytest.raises(CurrencyMismatch):
        sum_money([eur(100), usd(100)], "EUR")
    with pytest.raises(CurrencyMismatch):
        sum_money([usd(100)], "EUR")


def test_sum_money_refuses_an_unknown_currency_even_when_empty() -> None:
    with pytest.raises(UnknownCurrency):
        sum_money([], "XYZ")


# format
# Expected strings match CLDR 48 as rendered by ICU's Intl.NumberFormat.


@pytest.mark.parametrize(
    ("money", "locale", "expected"),
    [
        # English: symbol first, minus before the symbol.
        (eur(123456), "en", "€1,234.56"),
        (usd(123456), "en-US", "$1,234.56"),
        (usd(-123456), "en-US", "-$1,234.56"),
        (usd(123456789), "en-US", "$1,234,567.89"),
        (usd(5), "en-US", "$0.05"),
        (usd(0), "en-US", "$0.00"),
        (Money(1235, "JPY"), "en", "¥1,235"),
        (Money(1234567, "KWD"), "en", "KD" + NBSP + "1,234.567"),
        (Money(123456, "CHF"), "en", "CHF" + NBSP + "1,234.56"),
        (Money(123456, "CAD"), "en-US", "CA$1,234.56"),
        (Money(123456, "GBP"), "en-GB", "£1,234.56"),
        (usd(123456), "en-GB", "US$1,234.56"),
        (Money(-123456, "GBP"), "en-GB", "-£1,234.56"),
        (Money(123456, "CAD"), "en-CA", "$1,234.56"),
        # French: narrow no-break space groups, comma decimals, symbol after a no-break space.
        (eur(123456), "fr", "1" + NNBSP + "234,56" + NBSP + "€"),
        (eur(123456), "fr-FR", "1" + NNBSP + "234,56" + NBSP + "€"),
        (eur(-123456789), "fr-FR", "-1" + NNBSP + "234" + NNBSP + "567,89" + NBSP + "€"),
        (eur(99), "fr", "0,99" + NBSP + "€"),
        (usd(123456), "fr", "1" + NNBSP + "234,56" + NBSP + "$US"),
        (Money(1235, "JPY"), "fr", "1" + NNBSP + "235" + NBSP + "JPY"),
        (Money(1234567, "KWD"), "fr", "1" + NNBSP + "234,567" + NBSP + "KD"),
        # Canadian French groups with a plain no-break space and writes its own dollar bare.
        (Money(123456, "CAD"), "fr-CA", "1" + NBSP + "234,56" + NBSP + "$"),
        (Money(-123456, "CAD"), "fr-CA", "-1" + NBSP + "234,56" + NBSP + "$"),
        (usd(123456), "fr-CA", "1" + NBSP + "234,56" + NBSP + "$" + NBSP + "US"),
        (eur(123456), "fr-CA", "1" + NBSP + "234,56" + NBSP + "€"),
        # German.
        (eur(123456), "de", "1.234,56" + NBSP + "€"),
        (eur(-123456), "de", "-1.234,56" + NBSP + "€"),
        (eur(123456789), "de-DE", "1.234.567,89" + NBSP + "€"),
        (Money(1235, "JPY"), "de", "1.235" + NBSP + "¥"),
        # Japanese: full-width yen, as CLDR's ja locale.
        (Money(1235, "JPY"), "ja", "￥1,235"),
        (Money(-1235, "JPY"), "ja-JP", "-￥1,235"),
        (usd(123456), "ja", "$1,234.56"),
        # Spanish and Italian leave four-digit integers ungrouped.
        (eur(123456), "es", "1234,56" + NBSP + "€"),
        (eur(1234567), "es-ES", "12.345,67" + NBSP + "€"),
        (eur(-123456789), "es", "-1.234.567,89" + NBSP + "€"),
        (usd(123456), "es", "1234,56" + NBSP + "US$"),
        (eur(123456), "it", "1234,56" + NBSP + "€"),
        (eur(123456789), "it-IT", "1.234.567,89" + NBSP + "€"),
        (usd(123456), "it", "1234,56" + NBSP + "USD"),
        # Dutch: symbol first, minus between symbol and number.
        (eur(123456), "nl", "€" + NBSP + "1.234,56"),
        (eur(-123456), "nl-NL", "€" + NBSP + "-1.234,56"),
        (usd(123456), "nl", "US$" + NBSP + "1.234,56"),
    ],
)
def test_format_follows_the_locale(money: Money, locale: str, expected: str) -> None:
    assert money.format(locale) == expected


@pytest.mark.parametrize("locale", ["en", "fr", "de", "ja", "es", "it", "nl"])
def test_format_shows_no_decimals_for_a_currency_without_minor_units(locale: str) -> None:
    text = Money(1235, "JPY").format(locale)
    assert "1235" in text.replace(",", "").replace(".", "").replace(NNBSP, "")
    assert "12,35" not in text and "12.35" not in text


@pytest.mark.parametrize(
    ("money", "locale", "expected"),
    [
        (Money(1234, "KWD"), "en", "KD" + NBSP + "1.234"),
        (Money(5, "BHD"), "de", "0,005" + NBSP + "BD"),
        (Money(12345, "CLF"), "en", "CLF" + NBSP + "1.2345"),
    ],
)
def test_format_shows_every_minor_digit_the_currency_has(money: Money, locale: str, expected: str) -> None:
    assert money.format(locale) == expected


@pytest.mark.parametrize(
    ("locale", "same_as"),
    [
        ("fr-BE", "fr"),
        ("fr_CA", "fr-CA"),
        ("fr_CA.UTF-8", "fr-CA"),
        ("FR-ca", "fr-CA"),
        ("de-AT", "de"),
        ("en-us", "en"),
        ("en-AU", "en"),
        ("pt-BR", "en"),
        ("zh-Hant-TW", "en"),
        ("xx", "en"),
        ("", "en"),
    ],
)
def test_unknown_locales_fall_back_through_the_language_to_english(locale: str, same_as: str) -> None:
    for money in (eur(-123456789), usd(123456), Money(1235, "JPY"), Money(123456, "CAD")):
        assert money.format(locale) == money.format(same_as)
