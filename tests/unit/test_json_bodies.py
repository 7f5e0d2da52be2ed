"""The shared package's one reach into Powertools' internals (commerce/api/json_bodies.py) is only trusted on
the release it was written for: a new pin or a different install must send someone to re-check it."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import pytest
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from commerce.api.json_bodies import RELIES_ON, WRITTEN_FOR, JsonBodiesOnly, use_json_bodies_only
from commerce.api.resolver import CommerceResolver
from commerce.domain.permissions import RoleMap

LAYER_REQUIREMENTS = Path(__file__).resolve().parents[2] / "layers" / "shared" / "requirements.txt"


def _drift(found: str | None, where: str) -> str:
    checks = "\n  - ".join(RELIES_ON)
    return (
        f"aws-lambda-powertools {found} {where}, but commerce/api/json_bodies.py was written for "
        f"{WRITTEN_FOR}.\nRe-check in the new release:\n  - {checks}\n"
        "then run tests/unit/test_resolver_routes.py, and only then update WRITTEN_FOR."
    )


def test_the_layer_pins_the_powertools_release_the_json_body_reader_was_written_for() -> None:
    text = LAYER_REQUIREMENTS.read_text(encoding="utf-8")
    pinned = re.search(r"^aws-lambda-powertools(?:\[[^\]]*\])?==([^\s;#]+)", text, re.MULTILINE)
    found = pinned.group(1) if pinned else None
    assert found == WRITTEN_FOR, _drift(found, "is pinned in layers/shared/requirements.txt")


def test_the_installed_powertools_is_the_release_the_json_body_reader_was_written_for() -> None:
    installed = metadata.version("aws-lambda-powertools")
    assert installed == WRITTEN_FOR, _drift(installed, "is installed")


def test_the_commerce_resolver_validates_bodies_with_the_json_only_reader() -> None:
    resolver = CommerceResolver(RoleMap({}))
    assert isinstance(resolver._request_validation_middleware, JsonBodiesOnly)


def test_a_resolver_without_validation_is_refused_rather_than_left_reading_forms() -> None:
    with pytest.raises(RuntimeError, match="re-check"):
        use_json_bodies_only(APIGatewayHttpResolver())
