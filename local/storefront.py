"""The built storefront (web/storefront/dist/) served on 127.0.0.1, as CloudFront serves it deployed: its
files, index.html for any other path (the app routes in the browser), and a `/config.json` made from the
running stack, so the bundle never holds an address or a key."""

from __future__ import annotations

import json
import mimetypes
import secrets
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
DIST = Path(__file__).resolve().parent.parent / "web" / "storefront" / "dist"
ASSETS = "/assets/"  # content-hashed names: cached for good


def hosted_ui(issuer_url: str, client_id: str) -> dict[str, str]:
    """Where a web app signs in and out at the issuer, as which app client: config.json's `auth`."""
    return {
        "authorizeUrl": f"{issuer_url}/oauth2/authorize",
        "tokenUrl": f"{issuer_url}/oauth2/token",
        "logoutUrl": f"{issuer_url}/logout",
        "clientId": client_id,
        "scopes": "openid email profile",
    }


def storefront_config(
    *, api_url: str, issuer_url: str, stripe_url: str, client_id: str, publishable_key: str
) -> dict[str, Any]:
    """The runtime config.json (web/storefront/src/config.ts reads it; docs/storefront.md lists it)."""
    return {
        "apiUrl": api_url,
        "auth": hosted_ui(issuer_url, client_id),
        "stripe": {"publishableKey": publishable_key, "jsUrl": f"{stripe_url}/js.stripe.com/v3/"},
        "defaultLocale": "en",
        "defaultCurrency": "EUR",
        "defaultCountry": "FR",
        "locales": ["en", "fr"],
        "currencies": ["EUR", "USD", "JPY"],
    }


def content_security_policy(config: dict[str, Any]) -> str:
    """The policy the deployed site sends: our own files, the API, the issuer and Stripe.js, nothing else."""
    stripe = origin_of(config["stripe"]["jsUrl"])
    connect = " ".join(sorted({origin_of(config["apiUrl"]), origin_of(config["auth"]["tokenUrl"]), stripe}))
    return (
        f"default-src 'self'; script-src 'self' {stripe}; connect-src 'self' {connect}; "
        f"frame-src {stripe}; img-src 'self' https: data: blob:; style-src 'self' 'unsafe-inline'; "
        "base-uri 'self'; form-action 'self'; object-src 'none'; frame-ancestors 'none'"
    )


def origin_of(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


class StorefrontServer:
    """Bound at construction (port 0: a free one), so its origin is known before the API's CORS is set;
    `start(config)` serves, with `config()` read at each request of /config.json."""

    def __init__(self, port: int = 3006, dist: Path = DIST) -> None:
        self.dist = dist
        self.publishable_key = f"pk_test_local{secrets.token_hex(12)}"
        self._config: Callable[[], dict[str, Any]] = dict
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server._answer(self, head=False)

            def do_HEAD(self) -> None:
                server._answer(self, head=True)

            def log_message(self, format: str, *args: Any) -> None:
                return  # the stack logs its own way; a page load is dozens of lines

        try:
            self._http = ThreadingHTTPServer((HOST, port), Handler)
        except OSError as error:
            raise OSError(f"port {port} on {HOST} is already in use ({error.strerror})") from error
        self._http.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self._http.server_address[1]}"

    def start(self, config: Callable[[], dict[str, Any]]) -> StorefrontServer:
        if not (self.dist / "index.html").is_file():
            raise FileNotFoundError(
                f"{self.dist}/index.html: build it first (cd {self.dist.parent} && npm run build)"
            )
        self._config = config
        self._thread = threading.Thread(
            target=self._http.serve_forever, name=self.dist.parent.name, daemon=True
        )
        self._thread.start()
        return self

    def policy(self, config: dict[str, Any]) -> str:
        """The Content-Security-Policy the deployed app is served with."""
        return content_security_policy(config)

    def stop(self) -> None:
        if self._thread is not None:
            self._http.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._http.server_close()

    def _answer(self, request: BaseHTTPRequestHandler, *, head: bool) -> None:
        path = request.path.split("?", 1)[0]
        config = self._config()
        if path == "/config.json":
            body, kind, cache = json.dumps(config).encode(), "application/json", "no-cache"
        else:
            file = self._file(path)
            body, kind = file.read_bytes(), mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            cache = "public, max-age=31536000, immutable" if path.startswith(ASSETS) else "no-cache"
        request.send_response(200)
        request.send_header("Content-Type", kind)
        request.send_header("Content-Length", str(len(body)))
        request.send_header("Cache-Control", cache)
        request.send_header("Content-Security-Policy", self.policy(config))
        request.send_header("X-Content-Type-Options", "nosniff")
        request.send_header("Referrer-Policy", "strict-origin-when-cross-origin")
        request.end_headers()
        if not head:
            request.wfile.write(body)

    def _file(self, path: str) -> Path:
        """The file under dist/ for the path; index.html for anything else (and for any path escaping it)."""
        candidate = (self.dist / path.lstrip("/")).resolve()
        if candidate.is_file() and self.dist.resolve() in candidate.parents:
            return candidate
        return self.dist / "index.html"
