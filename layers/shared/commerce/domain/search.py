"""Keyword search terms: what a product is indexed under, and what a query looks for."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from commerce.domain.catalog import Product

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MIN_PREFIX = 3
MAX_PREFIX = 12
MAX_QUERY_TERMS = 5
MAX_NAME_KEY = 100
STAFF = "STAFF"  # the index "language" staff search: every status, every locale's names, slug and SKUs

# Words too common to narrow a search, per language; they are neither indexed nor searched.
_STOP_WORDS = frozenset(
    {
        *("a", "an", "and", "the", "of", "for", "with", "in", "on", "to", "by"),
        *("le", "la", "les", "un", "une", "des", "de", "du", "et", "en", "au", "aux", "pour", "avec", "sur"),
        *("der", "die", "das", "ein", "eine", "und", "mit", "von", "für", "zu", "im"),
    }
)


def fold(text: str) -> str:
    """Case- and accent-insensitive form: `Été` -> `ete`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(fold(text)) if w not in _STOP_WORDS]


def name_key(text: str) -> str:
    """A name as it sorts and is found by prefix: folded, spaces collapsed, cut to a key's length."""
    return " ".join(fold(text).split())[:MAX_NAME_KEY]


def index_terms(name: str, description: str) -> set[str]:
    """Whole words of name and description, plus prefixes of name words so `chaus` finds `chaussure`."""
    terms = set(words(name)) | set(words(description))
    for word in words(name):
        for end in range(MIN_PREFIX, min(len(word), MAX_PREFIX) + 1):
            terms.add(word[:end])
    return {t for t in terms if len(t) >= 2}


def query_terms(query: str) -> list[str]:
    """The distinct terms of a query, longest first (the most selective is read first)."""
    unique = dict.fromkeys(w[:MAX_PREFIX] for w in words(query) if len(w) >= 2)
    return sorted(unique, key=len, reverse=True)[:MAX_QUERY_TERMS]


def intersect(candidates: Iterable[set[str]]) -> set[str]:
    result: set[str] | None = None
    for ids in candidates:
        result = ids if result is None else result & ids
    return result or set()


def product_terms(product: Product) -> set[tuple[str, str]]:
    """(language, term) pairs a product is found by; none unless it is on sale."""
    if not product.is_sellable:
        return set()
    pairs: set[tuple[str, str]] = set()
    for loc, text in product.texts.items():
        language = loc.split("-")[0]
        pairs |= {(language, term) for term in index_terms(text.name, text.description)}
    return pairs


def staff_terms(product: Product) -> set[str]:
    """Terms staff find a product by, whatever its status: words and prefixes of its names in every
    locale, of its slug and of its SKUs."""
    names = " ".join(text.name for text in product.texts.values())
    skus = " ".join(v.sku for v in product.variants)
    return index_terms(f"{names} {product.slug} {skus}", "")
