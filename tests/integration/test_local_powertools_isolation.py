"""Two requests resolved at the same moment in one process each see their own request."""

from __future__ import annotations

import threading
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from local.patches import powertools


def _event(path: str) -> dict[str, Any]:
    return {
        "version": "2.0",
        "routeKey": "GET /echo/{name}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {},
        "requestContext": {"http": {"method": "GET", "path": path}, "stage": "$default"},
        "pathParameters": {"name": path.rsplit("/", 1)[-1]},
        "isBase64Encoded": False,
    }


def test_requests_resolved_at_once_on_two_threads_read_their_own_event() -> None:
    powertools.install()
    app = APIGatewayHttpResolver()
    both_resolving = threading.Barrier(2, timeout=10)

    @app.get("/echo/<name>")
    def echo(name: str) -> dict[str, str]:
        both_resolving.wait()  # the other thread has now set its own request too
        return {"name": name, "path": app.current_event.path}

    answers: dict[str, Any] = {}

    def call(name: str) -> None:
        answers[name] = app.resolve(_event(f"/echo/{name}"), {})

    threads = [threading.Thread(target=call, args=(n,)) for n in ("ada", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert '"path":"/echo/ada"' in answers["ada"]["body"].replace(" ", "")
    assert '"path":"/echo/bob"' in answers["bob"]["body"].replace(" ", "")
