"""A path that exists with another method answers 405 with the methods that path really takes, in the
function (where API Gateway sends `GET /admin/inventory/transfers`, since `GET /admin/inventory/{sku}` fits
it) and in the local HTTP API (where no route of that method fits at all)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path

from commerce.api.access import PUBLIC
from commerce.api.resolver import create_resolver
from commerce.domain.permissions import DEFAULT_ROLES, roles_from
from local.routes import Route, RouteTable

app = create_resolver(roles_from(DEFAULT_ROLES))
Sku = Annotated[str, Path(pattern=r"^[A-Z0-9][A-Z0-9-]{1,63}$")]


@app.get("/admin/inventory/<sku>", access=PUBLIC)
def get_stock(sku: Sku) -> dict[str, str]:
    return {"sku": sku}


@app.post("/admin/inventory/transfers", access=PUBLIC)
def send_transfer() -> dict[str, str]:
    return {"sent": "yes"}


@app.get("/admin/inventory/transfers/<transfer_id>", access=PUBLIC)
def get_transfer(transfer_id: str) -> dict[str, str]:
    return {"transfer": transfer_id}


def _call(method: str, path: str) -> tuple[int, dict[str, str], dict[str, Any]]:
    event = {
        "version": "2.0",
        "routeKey": f"{method} {path}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {},
        "requestContext": {"http": {"method": method, "path": path}, "requestId": "r", "stage": "$default"},
        "isBase64Encoded": False,
    }
    answer = app.resolve(event, None)  # type: ignore[arg-type]
    return answer["statusCode"], answer.get("headers") or {}, json.loads(answer["body"] or "{}")


def test_a_get_of_the_transfers_path_is_a_405_allowing_post_not_a_400_about_a_sku() -> None:
    status, headers, body = _call("GET", "/admin/inventory/transfers")

    assert status == 405, body
    assert headers["Allow"] == "POST"
    assert body["type"].endswith("/method-not-allowed") and body["status"] == 405


def test_the_routes_of_a_path_still_answer_as_before() -> None:
    assert _call("POST", "/admin/inventory/transfers")[0] == 200
    assert _call("GET", "/admin/inventory/SKU-1")[2] == {"sku": "SKU-1"}
    assert _call("GET", "/admin/inventory/transfers/t-1")[2] == {"transfer": "t-1"}
    assert _call("GET", "/admin/inventory/not-a-sku")[0] == 400  # a parameter path: its schema decides


def test_a_method_no_route_of_the_function_has_is_a_405_with_the_paths_own_methods() -> None:
    status, headers, _ = _call("DELETE", "/admin/inventory/SKU-1")
    assert (status, headers["Allow"]) == (405, "GET")


def test_the_local_http_api_allows_the_methods_of_the_most_specific_path_only() -> None:
    table = RouteTable(
        [
            Route("GET", "/admin/inventory/{sku}", "Inventory"),
            Route("POST", "/admin/inventory/transfers", "Inventory"),
            Route("PUT", "/admin/inventory/{sku}/hot", "Inventory"),
        ]
    )
    assert table.match("DELETE", "/admin/inventory/transfers") == ["POST"]
    assert table.match("DELETE", "/admin/inventory/SKU-1") == ["GET"]
    assert table.match("GET", "/nowhere") == []


def test_a_path_parameter_reaches_its_route_percent_decoded_as_api_gateway_passes_it() -> None:
    status, _, body = _call("GET", "/admin/inventory/transfers/caf%C3%A9%2F1")
    assert (status, body) == (200, {"transfer": "café/1"})
