"""Money as an integer count of minor units in one currency: exact arithmetic, explicit rounding.

Formatting uses a small table derived from CLDR 48 (the data behind ICU and browsers' Intl), not
full CLDR: separators, grouping, symbol position and minus-sign position for en, en-GB, en-CA, fr,
fr-CA, de, ja, es, it and nl, plus the symbols those locales use for the major currencies. Other
currencies show `Currency.symbol`; other locales fall back to their language, then to "en"
(so en-US is en, fr-FR and fr-BE are fr, de-AT and de-CH are de, without their regional quirks).
Choices worth knowing:

- ja shows the yen as the full-width "￥" (U+FFE5), as CLDR's ja locale does; other locales show "¥".
- fr groups with a narrow no-break space (U+202F), fr-CA with a no-break space (U+00A0), both as CLDR.
- es and it do not group four-digit integers ("1234,56 €", "12.345,67 €"): CLDR's minimum grouping.
- Amounts always show the currency's ISO 4217 exponent (none for JPY, three for KWD), never CLDR's
  occasional cash rounding.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import TypeGuard

from commerce.domain.currency import currency as lookup_currency
from commerce.domain.errors import CurrencyMismatch, ValidationFailed


class Rounding(enum.Enum):
    """How to turn an exact amount into whole minor units; HALF_UP breaks ties away from zero."""

    HALF_EVEN = "half_even"
    HALF_UP = "half_up"
    DOWN = "down"
    UP = "up"
    FLOOR = "floor"
    CEILING = "ceiling"


# Bounds on decimal input, so that "1e999999999" cannot make us build a billion-digit integer.
_MAX_INTEGER_DIGITS = 30
_MAX_FRACTION_DIGITS = 30

_BASIS_POINTS_PER_WHOLE = 10_000


@dataclass(frozen=True, slots=True, order=False)
class Money:
    """An amount in minor units (cents, yen, fils) of an ISO 4217 currency."""

    amount: int
    currency: str

    def __post_init__(self) -> None:
        if not _is_int(self.amount):
            raise TypeError(f"Money amount must be an int of minor units, not {type(self.amount).__name__}")
        lookup_currency(self.currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    @classmethod
    def from_decimal(cls, value: str | Decimal, currency: str, rounding: Rounding) -> Money:
        """Read an amount in major units ("12.34") and round it to the currency's minor unit."""
        if isinstance(value, str):
            try:
                number = Decimal(value)
            except InvalidOperation:
                raise ValidationFailed(f"{value[:40]!r} is not a decimal amount.") from None
        elif isinstance(value, Decimal):
            number = value
        else:
            raise TypeError(f"from_decimal takes a str or Decimal, not {type(value).__name__}")
        _check_rounding(rounding)
        if not number.is_finite():
            raise ValidationFailed(f"{number} is not an amount of money.")
        if not number.is_zero():
            if number.adjusted() >= _MAX_INTEGER_DIGITS:
                raise ValidationFailed(f"{number} is too large an amount of money.")
            exponent = number.as_tuple().exponent
            if isinstance(exponent, int) and exponent < -_MAX_FRACTION_DIGITS:
                raise ValidationFailed(f"{number} has more than {_MAX_FRACTION_DIGITS} decimal places.")
        minor_units = Fraction(number) * 10 ** lookup_currency(currency).exponent
        return cls(_round(minor_units, rounding), currency)

    @classmethod
    def parse(cls, data: Mapping[str, object]) -> Money:
        """Read the {"amount": int, "currency": str} shape that `to_dict` writes."""
        if not isinstance(data, Mapping):
            raise ValidationFailed("Money must be an object with 'amount' and 'currency'.")
        missing = [key for key in ("amount", "currency") if key not in data]
        if missing:
            raise ValidationFailed(f"Money is missing {', '.join(repr(key) for key in missing)}.")
        amount, code = data["amount"], data["currency"]
        if not _is_int(amount):
            raise ValidationFailed("Money 'amount' must be an integer number of minor units.")
        if not isinstance(code, str):
            raise ValidationFailed("Money 'currency' must be an ISO 4217 code such as 'EUR'.")
        return cls(amount, code)

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._require_same_currency(other, "add")
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._require_same_currency(other, "subtract")
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __abs__(self) -> Money:
        return Money(abs(self.amount), self.currency)

    def __mul__(self, factor: int) -> Money:
        # Only whole quantities: anything fractional must go through multiply() and name a rounding.
        if not _is_int(factor):
            return NotImplemented
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._require_same_currency(other, "compare")
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._require_same_currency(other, "compare")
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._require_same_currency(other, "compare")
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._require_same_currency(other, "compare")
        return self.amount >= other.amount

    def is_zero(self) -> bool:
        return self.amount == 0

    def is_negative(self) -> bool:
        return self.amount < 0

    def abs(self) -> Money:
        return Money(abs(self.amount), self.currency)

    def multiply(self, factor: Decimal | Fraction | int, rounding: Rounding) -> Money:
        """Multiply exactly, then round once to whole minor units."""
        _check_rounding(rounding)
        return Money(_round(self.amount * _exact(factor), rounding), self.currency)

    def percentage(self, basis_points: int, rounding: Rounding) -> Money:
        """Return basis_points / 10 000 of this amount (1 bp = 0.01 %), rounded once."""
        if not _is_int(basis_points):
            raise TypeError(f"basis_points must be an int, not {type(basis_points).__name__}")
        return self.multiply(Fraction(basis_points, _BASIS_POINTS_PER_WHOLE), rounding)

    def allocate(self, ratios: Sequence[int]) -> list[Money]:
        """Split in proportion to `ratios` without losing or creating a minor unit (largest remainder)."""
        if isinstance(ratios, (str, bytes)) or not ratios:
            raise ValueError("allocate needs at least one ratio")
        for ratio in ratios:
            if not _is_int(ratio):
                raise TypeError(f"ratios must be ints, not {type(ratio).__name__}")
            if ratio < 0:
                raise ValueError(f"ratios must not be negative, got {ratio}")
        total = sum(ratios)
        if total == 0:
            raise ValueError("ratios must not all be zero")
        # Allocate the magnitude and give each part the sign back, so that splitting a refund
        # mirrors splitting the charge exactly.
        magnitude = abs(self.amount)
        shares = [divmod(magnitude * ratio, total) for ratio in ratios]
        leftover = magnitude - sum(quotient for quotient, _ in shares)
        # leftover < number of non-zero remainders, so a zero ratio never receives a unit.
        by_remainder = sorted(range(len(shares)), key=lambda index: (-shares[index][1], index))
        parts = [quotient for quotient, _ in shares]
        for index in by_remainder[:leftover]:
            parts[index] += 1
        sign = -1 if self.amount < 0 else 1
        return [Money(sign * part, self.currency) for part in parts]

    def split(self, n: int) -> list[Money]:
        """Split into `n` parts that differ by at most one minor unit, larger parts first."""
        if not _is_int(n):
            raise TypeError(f"split takes an int, not {type(n).__name__}")
        if n < 1:
            raise ValueError(f"cannot split into {n} parts")
        return self.allocate([1] * n)

    def to_decimal(self) -> Decimal:
        """Return the amount in major units, with exactly the currency's number of decimals."""
        exponent = lookup_currency(self.currency).exponent
        digits = tuple(int(digit) for digit in str(abs(self.amount)))
        # Built from its parts rather than divided, so no decimal context can round it.
        return Decimal((1 if self.amount < 0 else 0, digits, -exponent))

    def to_dict(self) -> dict[str, int | str]:
        return {"amount": self.amount, "currency": self.currency}

    def format(self, locale: str) -> str:
        """Render for people reading `locale` (a BCP 47 tag such as "fr-CA"), e.g. "1 234,56 €"."""
        style = _style_for(locale)
        found = lookup_currency(self.currency)
        symbol = style.symbols.get(found.code, found.symbol)
        number = _group_and_point(abs(self.amount), found.exponent, style)
        pattern = style.negative if self.amount < 0 else style.positive
        return _space_symbol(pattern, symbol).format(s=symbol, n=number)

    def _require_same_currency(self, other: Money, operation: str) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(
                f"Cannot {operation} {self.currency} and {other.currency}.",
                currencies=[self.currency, other.currency],
            )


def sum_money(items: Iterable[Money], currency: str) -> Money:
    """Add up amounts of one currency; an empty iterable sums to zero in `currency`."""
    total = Money.zero(currency)
    for item in items:
        total = total + item
    return total


def _is_int(value: object) -> TypeGuard[int]:
    # bool is an int subclass, but True cents or "times False" is always a bug upstream.
    return isinstance(value, int) and not isinstance(value, bool)


def _check_rounding(rounding: object) -> None:
    if not isinstance(rounding, Rounding):
        raise TypeError(f"rounding must be a Rounding, not {type(rounding).__name__}")


def _exact(factor: Decimal | Fraction | int) -> Fraction:
    if isinstance(factor, Fraction):
        return factor
    if isinstance(factor, Decimal):
        if not factor.is_finite():
            raise ValidationFailed(f"{factor} is not a usable factor.")
        return Fraction(factor)
    if _is_int(factor):
        return Fraction(factor)
    # Floats carry binary error into money (0.1 is not 1/10); callers pass Decimal("0.1") instead.
    raise TypeError(f"factor must be a Decimal, Fraction or int, not {type(factor).__name__}")


def _round(value: Fraction, rounding: Rounding) -> int:
    floor = value.numerator // value.denominator
    remainder = value - floor
    if remainder == 0:
        return floor
    ceiling = floor + 1
    half = Fraction(1, 2)
    if rounding in (Rounding.HALF_EVEN, Rounding.HALF_UP) and remainder != half:
        return ceiling if remainder > half else floor
    away_from_zero = ceiling if value > 0 else floor
    # From here the HALF_ modes only see exact ties.
    choices = {
        Rounding.FLOOR: floor,
        Rounding.CEILING: ceiling,
        Rounding.DOWN: floor if value > 0 else ceiling,
        Rounding.UP: away_from_zero,
        Rounding.HALF_UP: away_from_zero,
        Rounding.HALF_EVEN: floor if floor % 2 == 0 else ceiling,
    }
    return choices[rounding]


@dataclass(frozen=True, slots=True)
class _Style:
    """How one locale writes an amount of money; `{s}` is the symbol and `{n}` the unsigned number."""

    decimal: str
    group: str
    positive: str
    negative: str
    # CLDR minimumGroupingDigits: 2 means a four-digit integer part stays ungrouped.
    min_grouping: int = 1
    symbols: Mapping[str, str] = field(default_factory=dict)


_NBSP = "\u00a0"
_NNBSP = "\u202f"


def _as_code(*codes: str) -> dict[str, str]:
    return {code: code for code in codes}


_EN = _Style(decimal=".", group=",", positive="{s}{n}", negative="-{s}{n}")
_FR = _Style(
    decimal=",",
    group=_NNBSP,
    positive="{n}" + _NBSP + "{s}",
    negative="-{n}" + _NBSP + "{s}",
    symbols={
        "USD": "$US",
        "GBP": "£GB",
        "CAD": "$CA",
        "AUD": "$AU",
        "NZD": "$NZ",
        "MXN": "$MX",
        "XPF": "FCFP",
        **_as_code("JPY", "CNY", "HKD", "TWD", "PHP", "XCD"),
    },
)
_DE = _Style(
    decimal=",",
    group=".",
    positive="{n}" + _NBSP + "{s}",
    negative="-{n}" + _NBSP + "{s}",
    symbols={"AUD": "AU$", **_as_code("PHP")},
)

_STYLES: Mapping[str, _Style] = {
    "en": _EN,
    "en-GB": replace(_EN, symbols={"USD": "US$", "JPY": "JP¥"}),
    "en-CA": replace(_EN, symbols={"CAD": "$", "USD": "US$", "JPY": "JP¥"}),
    "fr": _FR,
    "fr-CA": replace(
        _FR,
        group=_NBSP,
        symbols={
            "CAD": "$",
            "USD": "$" + _NBSP + "US",
            "AUD": "$" + _NBSP + "AU",
            "HKD": "$" + _NBSP + "HK",
            "NZD": "$" + _NBSP + "NZ",
            **_as_code("MXN", "INR", "KRW", "ILS", "TWD", "PHP", "VND", "XAF", "XOF", "XPF", "XCD"),
        },
    ),
    "de": _DE,
    "ja": replace(_EN, symbols={"JPY": "￥", "CNY": "元", **_as_code("PHP")}),
    "es": replace(
        _DE,
        min_grouping=2,
        symbols={
            "USD": "US$",
            **_as_code("GBP", "JPY", "CAD", "AUD", "CNY", "HKD", "NZD", "MXN", "BRL", "INR", "KRW"),
            **_as_code("ILS", "TWD", "PHP", "XAF", "XOF", "XCD"),
        },
    ),
    "it": replace(
        _DE,
        min_grouping=2,
        symbols=_as_code("USD", "JPY", "HKD", "MXN", "BRL", "INR", "KRW", "TWD", "VND"),
    ),
    "nl": _Style(
        decimal=",",
        group=".",
        positive="{s}" + _NBSP + "{n}",
        negative="{s}" + _NBSP + "-{n}",
        symbols={"USD": "US$", "JPY": "JP¥", "CAD": "C$", "AUD": "AU$", **_as_code("PHP", "XPF")},
    ),
}


def _style_for(locale: str) -> _Style:
    # Accept "fr_CA" and "fr_CA.UTF-8" as well as "fr-CA": callers pass Accept-Language or POSIX names.
    tag = locale.split(".", maxsplit=1)[0].split("@", maxsplit=1)[0].replace("_", "-")
    subtags = [subtag for subtag in tag.split("-") if subtag]
    candidates: list[str] = []
    if subtags:
        language = subtags[0].lower()
        regions = [subtag.upper() for subtag in subtags[1:] if len(subtag) == 2 and subtag.isalpha()]
        if regions:
            candidates.append(f"{language}-{regions[0]}")
        candidates.append(language)
    for candidate in candidates:
        style = _STYLES.get(candidate)
        if style is not None:
            return style
    return _EN


def _group_and_point(minor_units: int, exponent: int, style: _Style) -> str:
    digits = str(minor_units).rjust(exponent + 1, "0")
    integer, fraction = (digits[:-exponent], digits[-exponent:]) if exponent else (digits, "")
    if len(integer) >= 3 + style.min_grouping:
        head = len(integer) % 3 or 3
        groups = [integer[:head]] + [integer[start : start + 3] for start in range(head, len(integer), 3)]
        integer = style.group.join(groups)
    return f"{integer}{style.decimal}{fraction}" if fraction else integer


def _space_symbol(pattern: str, symbol: str) -> str:
    """Apply CLDR currency spacing: a symbol ending in a letter ("CHF") gets a no-break space by digits."""
    if "{s}{n}" in pattern and not _is_symbol_or_space(symbol[-1]):
        return pattern.replace("{s}{n}", "{s}" + _NBSP + "{n}")
    if "{n}{s}" in pattern and not _is_symbol_or_space(symbol[0]):
        return pattern.replace("{n}{s}", "{n}" + _NBSP + "{s}")
    return pattern


def _is_symbol_or_space(character: str) -> bool:
    return unicodedata.category(character)[0] in ("S", "Z")
