"""The dependency audit's verdict on pip-audit's JSON report (local/tools/dependency_audit.py)."""

from __future__ import annotations

from local.tools.dependency_audit import verdict


def test_a_vulnerability_with_a_fix_fails_the_audit_and_names_the_fixed_release() -> None:
    fixable, unfixed, unaudited = verdict(
        [
            {
                "name": "jinja2",
                "version": "2.10",
                "vulns": [{"id": "PYSEC-2019-217", "fix_versions": ["2.10.1"]}],
            },
            {"name": "stripe", "version": "16.1.0", "vulns": []},
        ]
    )
    assert fixable == ["jinja2 2.10: PYSEC-2019-217 (fixed in 2.10.1)"]
    assert unfixed == [] and unaudited == []


def test_a_vulnerability_without_a_fix_is_reported_apart() -> None:
    fixable, unfixed, _ = verdict(
        [{"name": "somepkg", "version": "1.0", "vulns": [{"id": "GHSA-x", "fix_versions": []}]}]
    )
    assert fixable == []
    assert unfixed == ["somepkg 1.0: GHSA-x (no fix yet)"]


def test_a_release_that_could_not_be_looked_up_is_not_counted_as_safe() -> None:
    _, _, unaudited = verdict([{"name": "boto3", "skip_reason": "Dependency not found on PyPI"}])
    assert unaudited == ["boto3: Dependency not found on PyPI"]
