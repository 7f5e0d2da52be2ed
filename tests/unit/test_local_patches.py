"""The local stack's patches to moto and Powertools internals are only trusted on the versions they were
written for (local/patches/): a new pin or a different install must send someone to re-check them."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import pytest

from local.patches import RELIES_ON, WRITTEN_FOR

LOCK_FILE = Path(__file__).resolve().parents[2] / "requirements-lock.txt"


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_versions() -> dict[str, str]:
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==([^\s;#]+)", LOCK_FILE.read_text(encoding="utf-8"), re.MULTILINE)
    return {_normalised(name): version for name, version in pins}


def _drift(package: str, found: str | None, where: str) -> str:
    checks = "\n  - ".join(RELIES_ON[package])
    return (
        f"{package} {found} {where}, but local/patches/ was written for {package} "
        f"{WRITTEN_FOR[package]}.\nRe-check what the patches rely on in the new release:\n  - {checks}\n"
        "then run tests/integration/test_local_*.py and tests/integration/test_faults_workflow.py, and "
        "only then update WRITTEN_FOR in local/patches/__init__.py."
    )


@pytest.mark.parametrize("package", sorted(WRITTEN_FOR))
def test_the_lock_file_pins_the_version_the_patches_were_written_for(package: str) -> None:
    pinned = locked_versions().get(package)
    assert pinned == WRITTEN_FOR[package], _drift(package, pinned, "is pinned in requirements-lock.txt")


@pytest.mark.parametrize("package", sorted(WRITTEN_FOR))
def test_the_installed_version_is_the_one_the_patches_were_written_for(package: str) -> None:
    installed = metadata.version(package)
    assert installed == WRITTEN_FOR[package], _drift(package, installed, "is installed")


def test_every_patched_package_says_what_to_re_check() -> None:
    assert set(RELIES_ON) == set(WRITTEN_FOR)
    assert all(RELIES_ON[package] for package in WRITTEN_FOR)
