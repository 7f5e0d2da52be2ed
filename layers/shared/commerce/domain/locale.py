"""Locale negotiation: the request's `locale` or `Accept-Language`, with a fallback chain to the default."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TypeVar

T = TypeVar("T")

_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def normalize(tag: str) -> str | None:
    """`fr_ca` -> `fr-CA`; None when the tag is not a language tag."""
    tag = tag.strip().replace("_", "-")
    if not _TAG.match(tag):
        return None
    head, *rest = tag.split("-")
    parts = [head.lower()] + [p.upper() if len(p) == 2 else p.lower() for p in rest]
    return "-".join(parts)


def fallback_chain(tag: str, default: str) -> list[str]:
    """`fr-CA` -> [`fr-CA`, `fr`, default]: the locales to try, most specific first."""
    chain: list[str] = []
    norm = normalize(tag)
    if norm:
        parts = norm.split("-")
        chain = ["-".join(parts[:i]) for i in range(len(parts), 0, -1)]
    if default not in chain:
        chain.append(default)
    return chain


def parse_accept_language(header: str | None) -> list[str]:
    """The tags of an Accept-Language header, best first (q=0 dropped, ties keep header order)."""
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if "q=" in params:
            match = re.fullmatch(r"\s*q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)\s*", params)
            if not match:
                continue  # a malformed weight: ignore that entry rather than guess
            quality = float(match.group(1))  # a preference weight, never money
        norm = normalize(tag) if tag.strip() != "*" else None
        if norm and quality > 0:
            weighted.append((-quality, index, norm))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate(requested: str | None, accept_language: str | None, default: str) -> str:
    """The locale a response speaks: the explicit parameter first, then the header, then the default."""
    if requested and normalize(requested):
        return normalize(requested) or default
    preferences = parse_accept_language(accept_language)
    return preferences[0] if preferences else default


def pick(translations: Mapping[str, T], locale: str, default: str) -> T | None:
    """The translation for the locale, falling back along its chain; None when nothing matches."""
    for candidate in fallback_chain(locale, default):
        if candidate in translations:
            return translations[candidate]
    return None


def languages(tags: Iterable[str]) -> set[str]:
    """The bare languages of some tags: {`fr-CA`, `en`} -> {`fr`, `en`}."""
    return {t.split("-")[0] for t in tags}
