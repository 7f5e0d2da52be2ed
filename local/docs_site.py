"""Local-only pages beside the API: /health, /openapi.json and a Swagger UI at /docs."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from werkzeug.security import safe_join

from local.apigw import HttpResponse, json_response

PAGES = ("/health", "/openapi.json", "/docs", "/docs/")
ASSETS_PREFIX = "/docs/assets/"

_SWAGGER_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Commerce API (local)</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: "/openapi.json",
      dom_id: "#swagger-ui",
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: "StandaloneLayout"
    });
  </script>
</body>
</html>
"""


def problem(status: int, title: str, detail: str) -> HttpResponse:
    """An RFC 9457 problem details response."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return json_response(status, body, content_type="application/problem+json")


def _file(path: Path | None, missing: str) -> HttpResponse:
    if path is None or not path.is_file():
        return problem(404, "Not Found", missing)
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return HttpResponse(200, [("content-type", content_type)], path.read_bytes())


def serves(path: str) -> bool:
    return path in PAGES or path.startswith(ASSETS_PREFIX)


def page(path: str, repo_root: Path) -> HttpResponse:
    """The local page at this path (GET)."""
    if path == "/health":
        return json_response(200, {"status": "ok"})
    if path == "/openapi.json":
        return _file(repo_root / "docs" / "openapi.json", "docs/openapi.json has not been generated yet")
    if path in ("/docs", "/docs/"):
        return HttpResponse(
            200, [("content-type", "text/html; charset=utf-8")], _SWAGGER_PAGE.encode("utf-8")
        )
    assets = repo_root / "node_modules" / "swagger-ui-dist"
    joined = safe_join(str(assets), path.removeprefix(ASSETS_PREFIX))
    return _file(Path(joined) if joined else None, "no such asset (run npm ci for swagger-ui-dist)")
