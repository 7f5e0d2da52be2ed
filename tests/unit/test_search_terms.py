from __future__ import annotations

from commerce.domain import search


def test_folding_ignores_case_and_accents() -> None:
    assert search.fold("ÉCHARPE Été") == "echarpe ete"


def test_name_words_are_indexed_with_their_prefixes_and_description_words_whole() -> None:
    terms = search.index_terms("Chaussures de randonnée", "Imperméables et légères")
    assert {"chaussures", "cha", "chau", "randonnee", "ran", "impermeables", "legeres"} <= terms
    assert "imp" not in terms
    assert "de" not in terms  # a stop word narrows nothing


def test_query_terms_are_distinct_and_most_selective_first() -> None:
    assert search.query_terms("Sac à dos sac") == ["sac", "dos"]
    assert search.query_terms("the") == []
