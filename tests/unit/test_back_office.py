from __future__ import annotations

import json
from typing import Any

from commerce.api.back_office import refusal


def _event(path: str, groups: str | None, signed_in: bool = True) -> dict[str, Any]:
    claims: dict[str, Any] = {"sub": "u-1"}
    if groups is not None:
        claims["cognito:groups"] = groups
    context: dict[str, Any] = {"authorizer": {"jwt": {"claims": claims, "scopes": None}}} if signed_in else {}
    return {"rawPath": path, "requestContext": context}


def test_staff_and_admins_pass_to_the_back_office() -> None:
    assert refusal(_event("/admin/products", "[staff]")) is None
    assert refusal(_event("/admin/orders", "[admin]")) is None


def test_a_customer_is_refused_with_403_before_validation() -> None:
    response = refusal(_event("/admin/products", None))
    assert response is not None and response["statusCode"] == 403
    assert response["headers"]["Content-Type"] == "application/problem+json"
    assert json.loads(response["body"])["status"] == 403


def test_nobody_signed_in_gets_401() -> None:
    response = refusal(_event("/admin/products", None, signed_in=False))
    assert response is not None and response["statusCode"] == 401


def test_storefront_routes_are_not_the_back_office() -> None:
    assert refusal(_event("/orders/o-1", None, signed_in=False)) is None
    assert refusal(_event("/administrator", None, signed_in=False)) is None
