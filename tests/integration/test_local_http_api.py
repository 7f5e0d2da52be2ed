"""The HTTP API emulator: routes from a template, payload format 2.0 events, responses, CORS, errors."""

from __future__ import annotations

import base64
import json
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from werkzeug.test import Client

from local.cloudformation import deploy
from local.http_api import HttpApi, HttpApiServer
from local.lambdas import LambdaRuntime
from local.specs import FunctionSpec
from local.testing import offline_aws, unique_name, write_function

_TEMPLATE = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      CorsConfiguration:
        AllowOrigins: [https://shop.example]
        AllowMethods: [GET, POST]
        AllowHeaders: [content-type, x-cart-token]
        ExposeHeaders: [location]
        MaxAge: 600
  EchoFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: echo/
      Handler: app.lambda_handler
      Runtime: python3.12
      Events:
        List: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /items, Method: GET}}
        Create: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /items, Method: POST}}
        Get: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: "/items/{id}", Method: GET}}
        Special: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /items/special, Method: GET}}
        Files: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: "/files/{proxy+}", Method: ANY}}
        Boom: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /boom, Method: GET}}
"""

_ECHO = """
    import base64
    import json


    def lambda_handler(event, context):
        mode = (event.get("queryStringParameters") or {}).get("mode")
        if event["rawPath"] == "/boom":
            raise RuntimeError("boom")
        if mode == "plain":
            return {"route": event["routeKey"]}
        if mode == "binary":
            body = base64.b64encode(bytes([0, 255])).decode()
            headers = {"content-type": "image/png"}
            return {"statusCode": 200, "headers": headers, "body": body, "isBase64Encoded": True}
        if mode == "cookies":
            return {"statusCode": 201, "cookies": ["a=1; Path=/", "b=2"], "body": ""}
        return {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": json.dumps(event)}
"""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("api")
    (root / "template.yaml").write_text(textwrap.dedent(_TEMPLATE), encoding="utf-8")
    write_function(root / "echo", _ECHO)
    with offline_aws():
        deployment = deploy(root / "template.yaml", stack_name=unique_name("api"))
    runtime = LambdaRuntime(deployment.functions, root)
    server = HttpApiServer(HttpApi(runtime, root, cors_config=deployment.cors), port=0).start()
    yield server.url
    server.stop()
    runtime.close()


def _event(api: str, path: str, **kwargs: Any) -> dict[str, Any]:
    response = requests.request(kwargs.pop("method", "GET"), api + path, timeout=10, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()


def test_path_parameters_are_decoded_and_the_route_key_is_the_template_route(api: str) -> None:
    event = _event(api, "/items/a%20b")

    assert event["version"] == "2.0"
    assert event["routeKey"] == "GET /items/{id}"
    assert event["rawPath"] == "/items/a%20b"
    assert event["pathParameters"] == {"id": "a b"}
    assert event["requestContext"]["routeKey"] == "GET /items/{id}"
    assert event["requestContext"]["http"]["path"] == "/items/a%20b"


def test_a_literal_route_beats_a_parameter_route(api: str) -> None:
    event = _event(api, "/items/special")

    assert event["routeKey"] == "GET /items/special"
    assert "pathParameters" not in event


def test_greedy_proxy_takes_the_rest_of_the_path_for_any_method(api: str) -> None:
    event = _event(api, "/files/a/b/c.txt", method="DELETE")

    assert event["routeKey"] == "ANY /files/{proxy+}"
    assert event["pathParameters"] == {"proxy": "a/b/c.txt"}


def test_repeated_query_parameters_are_joined_with_commas(api: str) -> None:
    event = _event(api, "/items?tag=red&tag=blue&q=")

    assert event["rawQueryString"] == "tag=red&tag=blue&q="
    assert event["queryStringParameters"] == {"tag": "red,blue", "q": ""}


def test_no_query_and_no_path_parameters_means_no_keys(api: str) -> None:
    event = _event(api, "/items")

    assert "queryStringParameters" not in event
    assert "pathParameters" not in event
    assert "body" not in event
    assert "authorizer" not in event["requestContext"]
    assert event["isBase64Encoded"] is False


def test_headers_are_lower_case_and_cookies_are_a_list(api: str) -> None:
    event = _event(api, "/items", headers={"X-Cart-Token": "t1", "Cookie": "a=1; b=2", "User-Agent": "probe"})

    assert event["headers"]["x-cart-token"] == "t1"
    assert "cookie" not in event["headers"]
    assert event["cookies"] == ["a=1", "b=2"]
    context = event["requestContext"]
    assert context["http"] == {
        "method": "GET",
        "path": "/items",
        "protocol": "HTTP/1.1",
        "sourceIp": "127.0.0.1",
        "userAgent": "probe",
    }
    assert context["stage"] == "$default"
    assert context["accountId"] == "123456789012"
    assert isinstance(context["timeEpoch"], int)
    assert context["requestId"]


def test_a_json_body_is_text_and_a_binary_body_is_base64(api: str) -> None:
    text = _event(api, "/items", method="POST", json={"sku": "A"})
    binary = _event(
        api,
        "/items",
        method="POST",
        data=bytes([0, 1, 255]),
        headers={"content-type": "application/octet-stream"},
    )

    assert (text["body"], text["isBase64Encoded"]) == ('{"sku": "A"}', False)
    assert binary["isBase64Encoded"] is True
    assert base64.b64decode(binary["body"]) == bytes([0, 1, 255])


def test_an_unrouted_path_is_a_404_problem(api: str) -> None:
    response = requests.get(api + "/nowhere", timeout=10)

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 404
    assert set(response.json()) == {"type", "title", "status", "detail"}


def test_a_routed_path_with_another_method_is_a_405_with_allow(api: str) -> None:
    response = requests.delete(api + "/items", timeout=10)

    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Method Not Allowed"


def test_a_handler_exception_is_a_500_like_api_gateway(api: str) -> None:
    response = requests.get(api + "/boom", timeout=10)

    assert response.status_code == 500
    assert response.json() == {"message": "Internal Server Error"}


def test_a_result_without_status_code_is_a_200_json_body(api: str) -> None:
    response = requests.get(api + "/items?mode=plain", timeout=10)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"route": "GET /items"}


def test_base64_results_are_decoded_and_cookies_become_set_cookie(api: str) -> None:
    binary = requests.get(api + "/items?mode=binary", timeout=10)
    cookies = requests.get(api + "/items?mode=cookies", timeout=10)

    assert binary.content == bytes([0, 255])
    assert binary.headers["content-type"] == "image/png"
    assert cookies.status_code == 201
    assert cookies.raw.headers.getlist("set-cookie") == ["a=1; Path=/", "b=2"]


def test_cors_preflight_is_answered_for_an_allowed_origin(api: str) -> None:
    headers = {"Origin": "https://shop.example", "Access-Control-Request-Method": "POST"}

    response = requests.options(api + "/items", headers=headers, timeout=10)

    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "https://shop.example"
    assert response.headers["access-control-allow-methods"] == "GET,POST"
    assert response.headers["access-control-allow-headers"] == "content-type,x-cart-token"
    assert response.headers["access-control-max-age"] == "600"


def test_cors_headers_go_only_to_allowed_origins(api: str) -> None:
    allowed = requests.get(api + "/items", headers={"Origin": "https://shop.example"}, timeout=10)
    other = requests.get(api + "/items", headers={"Origin": "https://evil.example"}, timeout=10)
    preflight = requests.options(
        api + "/items",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        timeout=10,
    )

    assert allowed.headers["access-control-allow-origin"] == "https://shop.example"
    assert allowed.headers["access-control-expose-headers"] == "location"
    assert "access-control-allow-origin" not in other.headers
    assert "access-control-allow-origin" not in preflight.headers


def test_health_is_served_beside_the_routes(api: str) -> None:
    response = requests.get(api + "/health", timeout=10)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_an_authorizer_context_is_added_only_when_given(tmp_path: Path) -> None:
    write_function(tmp_path / "echo", _ECHO)
    spec = FunctionSpec("Echo", "echo", tmp_path / "echo", "app.lambda_handler", {}, [("GET", "/me")])
    runtime = LambdaRuntime({"Echo": spec}, tmp_path)
    claims = {"jwt": {"claims": {"sub": "user-1"}, "scopes": None}}
    try:
        app = HttpApi(runtime, tmp_path, authorizer=lambda request, route: claims)
        response = Client(app).get("/me")
    finally:
        runtime.close()

    assert json.loads(response.get_data())["requestContext"]["authorizer"] == claims
