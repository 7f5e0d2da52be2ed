"""Foreign-exchange rate snapshots, for reports only: never to price or charge anything.

A snapshot is the rates of one day against one base (the merchant's reporting currency): `rates[X]` is
how many units of X one unit of the base buys (as the ECB publishes: 1 EUR = 1.0812 USD). Rates are
decimal strings, kept exact. Converting X to the base divides by the rate and rounds half even to the
base currency's minor unit; the converted figure carries the rate and the snapshot's date with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from commerce.domain.currency import currency as lookup_currency
from commerce.domain.errors import ValidationFailed
from commerce.domain.money import Money, Rounding

FX_ROUNDING = Rounding.HALF_EVEN
MAX_RATE_DIGITS = 20


@dataclass(frozen=True, slots=True)
class FxSnapshot:
    base: str
    day: date
    rates: Mapping[str, str]  # currency -> units of it per one unit of `base`, as a decimal string
    source: str = ""

    def __post_init__(self) -> None:
        lookup_currency(self.base)
        for code, text in self.rates.items():
            lookup_currency(code)
            _rate(text, code)

    def rate(self, code: str) -> Fraction:
        if code == self.base:
            return Fraction(1)
        text = self.rates.get(code)
        if text is None:
            raise ValidationFailed(
                f"the {self.day.isoformat()} snapshot has no {self.base}/{code} rate", currency=code
            )
        return _rate(text, code)

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> FxSnapshot:
        """Read `{"base": "EUR", "date": "2026-11-26", "rates": {"USD": "1.0812"}, "source": "..."}`."""
        try:
            rates = {str(k): str(v) for k, v in dict(data["rates"]).items()}
            return cls(
                base=str(data["base"]),
                day=date.fromisoformat(str(data["date"])),
                rates=rates,
                source=str(data.get("source", "")),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ValidationFailed(f"not an FX snapshot: {error}") from None


@dataclass(frozen=True, slots=True)
class ConvertedAmount:
    """A figure converted for a report, with what it was converted from and at which rate."""

    original: Money
    converted: Money
    rate: str  # units of `original.currency` per one unit of the base, as in the snapshot
    day: date


def convert(amount: Money, snapshot: FxSnapshot) -> ConvertedAmount:
    """`amount` in the snapshot's base currency, rounded half even once."""
    rate = snapshot.rate(amount.currency)
    exponent_shift = lookup_currency(snapshot.base).exponent - lookup_currency(amount.currency).exponent
    factor = Fraction(10) ** exponent_shift / rate
    converted = Money(amount.amount, snapshot.base).multiply(factor, FX_ROUNDING)
    shown = snapshot.rates.get(amount.currency, "1")
    return ConvertedAmount(original=amount, converted=converted, rate=shown, day=snapshot.day)


def _rate(text: str, code: str) -> Fraction:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationFailed(f"the {code} rate {text[:20]!r} is not a decimal number") from None
    if not value.is_finite() or value <= 0 or len(value.as_tuple().digits) > MAX_RATE_DIGITS:
        raise ValidationFailed(f"the {code} rate must be a positive decimal of at most 20 digits")
    return Fraction(value)
