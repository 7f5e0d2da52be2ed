"""Countries (ISO 3166-1 alpha-2) and how each writes its postal codes and regions.

A country with a format below gets its postal code checked and written the way its post office writes
it (`a1a1a1` -> `A1A 1A1`); any other known country takes an optional code of 2 to 10 letters, digits,
spaces or dashes, because many have none and the rest are not worth guessing at.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from commerce.domain.errors import ValidationFailed


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


COUNTRIES = _codes(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV
    BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES
    ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE
    IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY
    MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU
    NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM
    SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE
    VG VI VN VU WF WS YE YT ZA ZM ZW
    """
)

US_STATES = _codes(
    """
    AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC
    ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI UM AA AE AP
    """
)
CA_PROVINCES = _codes("AB BC MB NB NL NS NT NU ON PE QC SK YT")

# Regions that tax depends on, so they are required and checked (state or province, by its postal code).
REQUIRED_REGIONS: dict[str, frozenset[str]] = {"US": US_STATES, "CA": CA_PROVINCES}


@dataclass(frozen=True, slots=True)
class PostalFormat:
    pattern: re.Pattern[str]  # matched against the code upper-cased with spaces removed
    render: Callable[[re.Match[str]], str]
    example: str
    required: bool = True


def _whole(match: re.Match[str]) -> str:
    return match.group(0)


def _fmt(
    pattern: str, render: Callable[[re.Match[str]], str], example: str, required: bool = True
) -> PostalFormat:
    return PostalFormat(re.compile(pattern), render, example, required)


_FIVE_DIGITS = _fmt(r"^\d{5}$", _whole, "75001")
_FOUR_DIGITS = _fmt(r"^[1-9]\d{3}$", _whole, "1010")
_GB_OUTWARD = r"[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRV-Y])"

POSTAL_FORMATS: dict[str, PostalFormat] = {
    "US": _fmt(
        r"^(\d{5})(?:-?(\d{4}))?$", lambda m: m.group(1) + (f"-{m.group(2)}" if m.group(2) else ""), "94105"
    ),
    "CA": _fmt(
        r"^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])(\d[ABCEGHJ-NPRSTV-Z]\d)$",
        lambda m: f"{m.group(1)} {m.group(2)}",
        "K1A 0B1",
    ),
    "GB": _fmt(
        rf"^(GIR|{_GB_OUTWARD})(\d[ABD-HJLNP-UW-Z]{{2}})$", lambda m: f"{m.group(1)} {m.group(2)}", "SW1A 1AA"
    ),
    "JP": _fmt(r"^(\d{3})-?(\d{4})$", lambda m: f"{m.group(1)}-{m.group(2)}", "100-0001"),
    "FR": _FIVE_DIGITS,
    "DE": _FIVE_DIGITS,
    "IT": _FIVE_DIGITS,
    "FI": _FIVE_DIGITS,
    "ES": _fmt(r"^(?:0[1-9]|[1-4]\d|5[0-2])\d{3}$", _whole, "28001"),
    "AT": _FOUR_DIGITS,
    "BE": _FOUR_DIGITS,
    "CH": _FOUR_DIGITS,
    "LU": _FOUR_DIGITS,
    "DK": _FOUR_DIGITS,
    "NO": _fmt(r"^\d{4}$", _whole, "0150"),
    "AU": _fmt(r"^\d{4}$", _whole, "2000"),
    "NL": _fmt(r"^([1-9]\d{3})((?!SA|SD|SS)[A-Z]{2})$", lambda m: f"{m.group(1)} {m.group(2)}", "1012 AB"),
    "PT": _fmt(r"^(\d{4})-?(\d{3})$", lambda m: f"{m.group(1)}-{m.group(2)}", "1100-148"),
    "SE": _fmt(r"^(\d{3})(\d{2})$", lambda m: f"{m.group(1)} {m.group(2)}", "111 22"),
    "PL": _fmt(r"^(\d{2})-?(\d{3})$", lambda m: f"{m.group(1)}-{m.group(2)}", "00-950"),
    "IE": _fmt(
        r"^([AC-FHKNPRTV-Y]\d{2}|D6W)([0-9AC-FHKNPRTV-Y]{4})$",
        lambda m: f"{m.group(1)} {m.group(2)}",
        "D02 X285",
        required=False,  # Eircodes are recent and not every address uses one
    ),
}

_ANY_POSTAL_CODE = re.compile(r"^[A-Z0-9](?:[A-Z0-9 -]{0,8}[A-Z0-9])?$")


def country_code(raw: str) -> str:
    code = raw.strip().upper()
    if code not in COUNTRIES:
        raise ValidationFailed(
            "country must be an ISO 3166-1 alpha-2 code, such as FR or US", field="country"
        )
    return code


def postal_code(country: str, raw: str | None) -> str | None:
    """The code as the country's post writes it; ValidationFailed, never echoing the code, if it is wrong."""
    text = (raw or "").strip().upper()
    postal = POSTAL_FORMATS.get(country)
    if not text:
        if postal is not None and postal.required:
            raise ValidationFailed(f"a postal code is required for {country}", field="postal_code")
        return None
    if postal is None:
        if not _ANY_POSTAL_CODE.match(text):
            raise ValidationFailed(
                "postal code must be 2 to 10 letters, digits, spaces or dashes", field="postal_code"
            )
        return text
    match = postal.pattern.match(re.sub(r"\s+", "", text))
    if match is None:
        raise ValidationFailed(
            f"not a valid postal code for {country} (for example {postal.example})", field="postal_code"
        )
    return postal.render(match)


def region_code(country: str, raw: str | None) -> str | None:
    """States and provinces where tax depends on them are required and checked; elsewhere free text."""
    text = (raw or "").strip()
    allowed = REQUIRED_REGIONS.get(country)
    if allowed is None:
        return text or None
    code = text.upper()
    if code not in allowed:
        raise ValidationFailed(
            f"region must be a two-letter state or province code of {country}", field="region"
        )
    return code
