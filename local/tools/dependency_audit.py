"""`make audit`: pip-audit on the locked dependencies; fails on a known vulnerability that has a fix.

pip-audit asks PyPI's per-release JSON API (`/pypi/<name>/<version>/json`) for each pinned release.
A release it could not look up is not "safe": the audit then fails too, naming what it could not check,
so an unreachable vulnerability service never passes silently (docs/security.md, "Dependencies").
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

LOCK_FILES = ("requirements-lock.txt", "requirements-tools-lock.txt")


def audit(pip_audit: str, lock_file: str) -> list[dict[str, Any]]:
    """pip-audit's report on one lock file (the files pin different boto3s, so one run each)."""
    command = [pip_audit, "--no-deps", "--disable-pip", "--format", "json", "--progress-spinner", "off"]
    # pip-audit exits 1 when it finds a vulnerability; the JSON on stdout says what, so read that instead.
    done = subprocess.run([*command, "--requirement", lock_file], capture_output=True, text=True, check=False)
    if not done.stdout.strip():
        sys.exit(f"pip-audit gave no report on {lock_file} (exit {done.returncode}):\n{done.stderr}")
    dependencies: list[dict[str, Any]] = json.loads(done.stdout)["dependencies"]
    return dependencies


def verdict(dependencies: list[dict[str, Any]]) -> tuple[list[str], list[str], list[str]]:
    """(vulnerabilities with a fix, vulnerabilities without one, releases that could not be audited)."""
    fixable: list[str] = []
    unfixed: list[str] = []
    unaudited: list[str] = []
    for dependency in dependencies:
        name = f"{dependency['name']} {dependency.get('version', '')}".strip()
        if "skip_reason" in dependency:
            unaudited.append(f"{name}: {dependency['skip_reason']}")
        for vuln in dependency.get("vulns", []):
            fixes = vuln.get("fix_versions") or []
            line = f"{name}: {vuln['id']}" + (f" (fixed in {', '.join(fixes)})" if fixes else " (no fix yet)")
            (fixable if fixes else unfixed).append(line)
    return fixable, unfixed, unaudited


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pip-audit", default=str(Path(".venv-tools/bin/pip-audit")))
    parser.add_argument("lock_files", nargs="*", default=list(LOCK_FILES))
    args = parser.parse_args()
    dependencies = [dep for lock in args.lock_files for dep in audit(args.pip_audit, lock)]
    fixable, unfixed, unaudited = verdict(dependencies)
    for title, lines in (
        ("known vulnerabilities WITH a fix (upgrade the pin)", fixable),
        ("known vulnerabilities without a fix yet (reported, not failing)", unfixed),
        ("releases that could not be audited", unaudited),
    ):
        if lines:
            print(f"{title}:")
            print("\n".join(f"  {line}" for line in lines))
    if fixable:
        sys.exit(1)
    if unaudited:
        sys.exit(
            f"{len(unaudited)} pinned releases could not be audited: the vulnerability service is unreachable"
        )
    print(f"dependency audit: {', '.join(args.lock_files)}: no known vulnerability with a fix available")


if __name__ == "__main__":
    main()
