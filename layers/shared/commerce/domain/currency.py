"""ISO 4217 currencies in use, with the minor-unit exponent that amounts are stored in."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from commerce.domain.errors import UnknownCurrency


@dataclass(frozen=True, slots=True)
class Currency:
    """An ISO 4217 currency: `exponent` minor units per major unit are 10**exponent."""

    code: str
    exponent: int
    symbol: str


# ISO 4217 list one, active codes with a minor unit. Left out on purpose: the codes with no minor
# unit ("N.A.": precious metals, SDR, test and bond-market units), and codes already replaced:
# HRK (EUR, 2023), CUC (withdrawn, 2021), SLL (SLE, 2022), ZWL (ZWG, 2024), ANG (XCG, 2025).
# Fund codes (BOV, CHE, CHW, CLF, COU, MXV, USN, UYI, UYW) are kept: they are priced in, if rarely.
# Symbols: CLDR's English symbol where it has one, else a sign that is common and unambiguous in the
# currency's own country (zł, Ft, KD...). A bare "$", "£", "kr" or "Rs" is shared by several
# currencies, so those fall back to the code, as CLDR does.
_TABLE: tuple[tuple[str, int, str], ...] = (
    ("AED", 2, "AED"),
    ("AFN", 2, "؋"),
    ("ALL", 2, "ALL"),
    ("AMD", 2, "֏"),
    ("AOA", 2, "Kz"),
    ("ARS", 2, "ARS"),
    ("AUD", 2, "A$"),
    ("AWG", 2, "AWG"),
    ("AZN", 2, "₼"),
    ("BAM", 2, "KM"),
    ("BBD", 2, "BBD"),
    ("BDT", 2, "৳"),
    ("BGN", 2, "BGN"),
    ("BHD", 3, "BD"),
    ("BIF", 0, "BIF"),
    ("BMD", 2, "BMD"),
    ("BND", 2, "BND"),
    ("BOB", 2, "Bs"),
    ("BOV", 2, "BOV"),
    ("BRL", 2, "R$"),
    ("BSD", 2, "BSD"),
    ("BTN", 2, "BTN"),
    ("BWP", 2, "BWP"),
    ("BYN", 2, "BYN"),
    ("BZD", 2, "BZD"),
    ("CAD", 2, "CA$"),
    ("CDF", 2, "CDF"),
    ("CHE", 2, "CHE"),
    ("CHF", 2, "CHF"),
    ("CHW", 2, "CHW"),
    ("CLF", 4, "CLF"),
    ("CLP", 0, "CLP"),
    ("CNY", 2, "CN¥"),
    ("COP", 2, "COP"),
    ("COU", 2, "COU"),
    ("CRC", 2, "₡"),
    ("CUP", 2, "CUP"),
    ("CVE", 2, "CVE"),
    ("CZK", 2, "Kč"),
    ("DJF", 0, "DJF"),
    ("DKK", 2, "DKK"),
    ("DOP", 2, "DOP"),
    ("DZD", 2, "DZD"),
    ("EGP", 2, "E£"),
    ("ERN", 2, "ERN"),
    ("ETB", 2, "ETB"),
    ("EUR", 2, "€"),
    ("FJD", 2, "FJD"),
    ("FKP", 2, "FKP"),
    ("GBP", 2, "£"),
    ("GEL", 2, "₾"),
    ("GHS", 2, "GH₵"),
    ("GIP", 2, "GIP"),
    ("GMD", 2, "GMD"),
    ("GNF", 0, "FG"),
    ("GTQ", 2, "Q"),
    ("GYD", 2, "GYD"),
    ("HKD", 2, "HK$"),
    ("HNL", 2, "HNL"),
    ("HTG", 2, "HTG"),
    ("HUF", 2, "Ft"),
    ("IDR", 2, "Rp"),
    ("ILS", 2, "₪"),
    ("INR", 2, "₹"),
    ("IQD", 3, "IQD"),
    ("IRR", 2, "IRR"),
    ("ISK", 0, "ISK"),
    ("JMD", 2, "JMD"),
    ("JOD", 3, "JD"),
    ("JPY", 0, "¥"),
    ("KES", 2, "KES"),
    ("KGS", 2, "KGS"),
    ("KHR", 2, "៛"),
    ("KMF", 0, "KMF"),
    ("KPW", 2, "KPW"),
    ("KRW", 0, "₩"),
    ("KWD", 3, "KD"),
    ("KYD", 2, "KYD"),
    ("KZT", 2, "₸"),
    ("LAK", 2, "₭"),
    ("LBP", 2, "LBP"),
    ("LKR", 2, "LKR"),
    ("LRD", 2, "LRD"),
    ("LSL", 2, "LSL"),
    ("LYD", 3, "LD"),
    ("MAD", 2, "MAD"),
    ("MDL", 2, "MDL"),
    ("MGA", 2, "Ar"),
    ("MKD", 2, "MKD"),
    ("MMK", 2, "MMK"),
    ("MNT", 2, "₮"),
    ("MOP", 2, "MOP"),
    ("MRU", 2, "MRU"),
    ("MUR", 2, "MUR"),
    ("MVR", 2, "MVR"),
    ("MWK", 2, "MWK"),
    ("MXN", 2, "MX$"),
    ("MXV", 2, "MXV"),
    ("MYR", 2, "RM"),
    ("MZN", 2, "MZN"),
    ("NAD", 2, "NAD"),
    ("NGN", 2, "₦"),
    ("NIO", 2, "NIO"),
    ("NOK", 2, "NOK"),
    ("NPR", 2, "NPR"),
    ("NZD", 2, "NZ$"),
    ("OMR", 3, "OMR"),
    ("PAB", 2, "PAB"),
    ("PEN", 2, "PEN"),
    ("PGK", 2, "PGK"),
    ("PHP", 2, "₱"),
    ("PKR", 2, "PKR"),
    ("PLN", 2, "zł"),
    ("PYG", 0, "₲"),
    ("QAR", 2, "QAR"),
    ("RON", 2, "lei"),
    ("RSD", 2, "RSD"),
    ("RUB", 2, "₽"),
    ("RWF", 0, "RWF"),
    ("SAR", 2, "SAR"),
    ("SBD", 2, "SBD"),
    ("SCR", 2, "SCR"),
    ("SDG", 2, "SDG"),
    ("SEK", 2, "SEK"),
    ("SGD", 2, "SGD"),
    ("SHP", 2, "SHP"),
    ("SLE", 2, "SLE"),
    ("SOS", 2, "SOS"),
    ("SRD", 2, "SRD"),
    ("SSP", 2, "SSP"),
    ("STN", 2, "Db"),
    ("SVC", 2, "SVC"),
    ("SYP", 2, "SYP"),
    ("SZL", 2, "SZL"),
    ("THB", 2, "฿"),
    ("TJS", 2, "TJS"),
    ("TMT", 2, "TMT"),
    ("TND", 3, "DT"),
    ("TOP", 2, "T$"),
    ("TRY", 2, "₺"),
    ("TTD", 2, "TTD"),
    ("TWD", 2, "NT$"),
    ("TZS", 2, "TZS"),
    ("UAH", 2, "₴"),
    ("UGX", 0, "UGX"),
    ("USD", 2, "$"),
    ("USN", 2, "USN"),
    ("UYI", 0, "UYI"),
    ("UYU", 2, "UYU"),
    ("UYW", 4, "UYW"),
    ("UZS", 2, "UZS"),
    ("VED", 2, "VED"),
    ("VES", 2, "VES"),
    ("VND", 0, "₫"),
    ("VUV", 0, "VUV"),
    ("WST", 2, "WST"),
    ("XAF", 0, "FCFA"),
    ("XCD", 2, "EC$"),
    ("XCG", 2, "Cg."),
    ("XOF", 0, "F\u202fCFA"),
    ("XPF", 0, "CFPF"),
    ("YER", 2, "YER"),
    ("ZAR", 2, "R"),
    ("ZMW", 2, "ZK"),
    ("ZWG", 2, "ZWG"),
)

CURRENCIES: Mapping[str, Currency] = MappingProxyType(
    {code: Currency(code=code, exponent=exponent, symbol=symbol) for code, exponent, symbol in _TABLE}
)

# Enough of the input to recognise it in an error message without echoing a whole payload back.
_SHOWN_CHARS = 16


def currency(code: str) -> Currency:
    """Return the currency for an ISO 4217 code; raise UnknownCurrency for anything else."""
    if not isinstance(code, str):
        raise UnknownCurrency(f"A currency code must be a string, not {type(code).__name__}.")
    shown = code[:_SHOWN_CHARS]
    # No case folding: "eur" reaching the domain means a caller skipped normalising its input.
    if len(code) != 3 or not (code.isascii() and code.isalpha() and code.isupper()):
        raise UnknownCurrency(
            f"{shown!r} is not a currency code: expected three uppercase letters, such as 'EUR'.",
            currency=shown,
        )
    found = CURRENCIES.get(code)
    if found is None:
        raise UnknownCurrency(f"{code!r} is not an ISO 4217 currency in use.", currency=code)
    return found


def is_currency(code: str) -> bool:
    """Tell whether `code` is an ISO 4217 currency in use, spelled in uppercase."""
    return isinstance(code, str) and code in CURRENCIES
