from __future__ import annotations

import pytest

from commerce.domain import locale


def test_fallback_chain_goes_from_region_to_language_to_default() -> None:
    assert locale.fallback_chain("fr-CA", "en") == ["fr-CA", "fr", "en"]
    assert locale.fallback_chain("en", "en") == ["en"]
    assert locale.fallback_chain("not a tag!", "en") == ["en"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr-CA,fr;q=0.9,en;q=0.8", ["fr-CA", "fr", "en"]),
        ("en;q=0.2, de", ["de", "en"]),
        ("*, fr;q=0", []),
        ("", []),
        ("de-de;q=x, it", ["it"]),
    ],
)
def test_accept_language_is_ordered_by_quality(header: str, expected: list[str]) -> None:
    assert locale.parse_accept_language(header) == expected


def test_the_locale_parameter_beats_the_header() -> None:
    assert locale.negotiate("fr_ca", "de", "en") == "fr-CA"
    assert locale.negotiate(None, "de-AT,de;q=0.5", "en") == "de-AT"
    assert locale.negotiate(None, None, "en") == "en"


def test_pick_uses_the_nearest_translation() -> None:
    texts = {"en": "Shoe", "fr": "Chaussure"}
    assert locale.pick(texts, "fr-CA", "en") == "Chaussure"
    assert locale.pick(texts, "ja", "en") == "Shoe"
    assert locale.pick({"de": "Schuh"}, "ja", "en") is None
