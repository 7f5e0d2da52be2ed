"""HTTP API emulator: the template's HttpApi routes served by werkzeug, each request run by its function."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from local import cors, docs_site
from local.apigw import (
    HttpResponse,
    build_event,
    from_result,
    json_response,
    new_request_id,
    raw_path,
    request_headers,
)
from local.lambdas import LambdaRuntime
from local.ports import check_free
from local.routes import Route, RouteMatch, RouteTable
from local.server_thread import ServerThread
from local.specs import CorsConfig, FunctionSpec

logger = logging.getLogger(__name__)

# API Gateway's quota for an HTTP API request payload; above it the function never runs.
PAYLOAD_LIMIT_BYTES = 10 * 1024 * 1024

Authorizer = Callable[[Request, Route], "dict[str, Any] | None"]
"""Given the request and its route, the requestContext.authorizer to send (None: no authorizer key);
raises Unauthorized to refuse the request before the function runs."""


class Unauthorized(Exception):
    """An authorizer's refusal, answered as API Gateway does: 401 {"message":"Unauthorized"} with a
    `www-authenticate` challenge, and the function never called."""

    def __init__(self, error_description: str | None = None) -> None:
        super().__init__(error_description or "no token")
        self.error_description = error_description

    @property
    def challenge(self) -> str:
        """`Bearer` when no token came; the invalid_token challenge API Gateway sends otherwise."""
        if self.error_description is None:
            return "Bearer"
        return f'Bearer scope="" error="invalid_token" error_description="{self.error_description}"'


def route_table(functions: Iterable[FunctionSpec]) -> RouteTable:
    """Routes from each function's HttpApi events."""
    return RouteTable([Route(m, p, spec.logical_id) for spec in functions for m, p in spec.http_routes])


class HttpApi:
    """The WSGI application: CORS, local pages, routing, the function call and its response."""

    def __init__(
        self,
        runtime: LambdaRuntime,
        repo_root: Path,
        *,
        cors_config: CorsConfig | None = None,
        authorizer: Authorizer | None = None,
    ) -> None:
        self.runtime = runtime
        self.routes = route_table(runtime.functions.values())
        self.repo_root = repo_root
        self.cors = cors_config
        self.authorizer = authorizer

    def handle(self, request: Request) -> HttpResponse:
        """The response to one request, CORS headers not yet added."""
        headers = request_headers(request)
        if self.cors and cors.is_preflight(request.method, headers):
            return HttpResponse(204, list(cors.preflight_headers(self.cors, headers).items()))
        if _payload_size(request) > PAYLOAD_LIMIT_BYTES:
            return json_response(413, {"message": "Request Entity Too Large"})
        path = raw_path(request)
        if docs_site.serves(path):
            if request.method in ("GET", "HEAD"):
                return docs_site.page(path, self.repo_root)
            return self._not_allowed(request, ["GET"])
        match = self.routes.match(request.method, path)
        if isinstance(match, list):
            return self._not_allowed(request, match) if match else self._not_found(request)
        return self._call(request, match)

    def _call(self, request: Request, match: RouteMatch) -> HttpResponse:
        try:
            authorizer = self.authorizer(request, match.route) if self.authorizer else None
        except Unauthorized as refusal:
            return self._unauthorized(match, refusal)
        event = build_event(request, match, authorizer)
        started = time.perf_counter()
        try:
            result = self.runtime.invoke(match.route.function, event)
            response = from_result(result)
        except Exception:
            logger.exception("function raised", extra={"route": match.route.route_key})
            response = json_response(500, {"message": "Internal Server Error"})
        response.headers.append(("apigw-requestid", event["requestContext"]["requestId"]))
        elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
        logger.info(
            "request served",
            extra={"route": match.route.route_key, "status": response.status, "latency_ms": elapsed_ms},
        )
        return response

    @staticmethod
    def _unauthorized(match: RouteMatch, refusal: Unauthorized) -> HttpResponse:
        response = json_response(401, {"message": "Unauthorized"})
        response.headers += [("www-authenticate", refusal.challenge), ("apigw-requestid", new_request_id())]
        logger.info(
            "request refused",
            extra={"route": match.route.route_key, "status": 401, "reason": str(refusal)},
        )
        return response

    @staticmethod
    def _not_found(request: Request) -> HttpResponse:
        return docs_site.problem(404, "Not Found", f"no route for {raw_path(request)}")

    @staticmethod
    def _not_allowed(request: Request, allowed: list[str]) -> HttpResponse:
        methods = "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS" if "ANY" in allowed else ", ".join(allowed)
        response = docs_site.problem(
            405, "Method Not Allowed", f"{request.method} is not routed for this path"
        )
        response.headers.append(("allow", methods))
        return response

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        response = self.handle(request)
        if self.cors and response.status != 204:
            response.headers += list(cors.response_headers(self.cors, request_headers(request)).items())
        wsgi_response = Response(response.body, status=response.status)
        wsgi_response.headers.clear()
        for name, value in response.headers:
            wsgi_response.headers.add(name, value)
        return wsgi_response(environ, start_response)


def _payload_size(request: Request) -> int:
    if request.content_length is not None:
        return request.content_length
    return len(request.get_data(cache=True))  # chunked: no length announced


class HttpApiServer:
    """A threaded werkzeug server running an HttpApi on 127.0.0.1 in a background thread."""

    def __init__(self, app: HttpApi, *, host: str = "127.0.0.1", port: int = 3000) -> None:
        check_free(host, port)  # werkzeug would print and sys.exit() instead of raising
        self._server: BaseWSGIServer = make_server(host, port, app, threaded=True)
        self._serving = ServerThread(self._server, "http-api")

    @property
    def url(self) -> str:
        return f"http://{self._server.host}:{self._server.port}"

    def start(self) -> HttpApiServer:
        self._serving.start()
        return self

    def stop(self) -> None:
        self._serving.stop()
