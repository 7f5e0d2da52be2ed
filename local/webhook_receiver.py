"""A webhook receiver on 127.0.0.1 for the local stack and the tests: it records every delivery (and, under
`make dev`, writes it to `.local/webhooks/<path>/`), checks its signature when it knows the secret, and
answers what it is told to (200 by default; tests script failures)."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from local.server_thread import ServerThread

HOST = "127.0.0.1"
SECRET_FILE = ".secret"  # noqa: S105 - the name of the file a local demo secret is kept in


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: str
    at: float
    answered: int

    @property
    def event_id(self) -> str:
        return self.headers.get("commerce-event-id", "")

    def json(self) -> Any:
        return json.loads(self.body)


def signature_matches(secret: str, header: str, body: str) -> bool:
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    expected = hmac.new(secret.encode(), f"{parts.get('t', '')}.{body}".encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


@dataclass
class WebhookReceiver:
    """`answer(path, count_so_far_on_that_path)` gives the status code; `directory` keeps what arrives."""

    directory: Path | None = None
    answer: Callable[[str, int], int] = lambda path, seen: 200
    port: int = 0
    received: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8", "replace")
                status = receiver._record(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                payload = b'{"received": true}' if status < 300 else b'{"error": "scripted failure"}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer((HOST, self.port), Handler)
        self._serving = ServerThread(self._server, "webhook-receiver")

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self._server.server_address[1]}"

    def start(self) -> WebhookReceiver:
        self._serving.start()
        return self

    def stop(self) -> None:
        self._serving.stop()

    def on(self, path: str) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.path == path]

    def _record(self, path: str, headers: dict[str, str], body: str) -> int:
        with self._lock:
            seen = sum(1 for r in self.received if r.path == path)
            status = self.answer(path, seen)
            entry = Received(path, headers, body, time.time(), status)
            self.received.append(entry)
        if self.directory is not None:
            self._write(entry)
        return status

    def _write(self, entry: Received) -> None:
        assert self.directory is not None
        folder = self.directory / (entry.path.strip("/").replace("/", "_") or "root")
        folder.mkdir(parents=True, exist_ok=True)
        secret_file = folder / SECRET_FILE
        verified = (
            signature_matches(
                secret_file.read_text().strip(), entry.headers.get("commerce-signature", ""), entry.body
            )
            if secret_file.exists()
            else None
        )
        record = {
            "received_at": entry.at,
            "answered": entry.answered,
            "signature_verified": verified,
            "headers": {k: v for k, v in entry.headers.items() if k.startswith("commerce-")},
        }
        is_json = entry.headers.get("content-type", "application/json").startswith("application/json")
        if is_json:
            record["event"] = json.loads(entry.body) if entry.body else None
        else:
            record["body"] = entry.body  # a connector's CSV document, also written beside as .csv
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(entry.at))
        kind = entry.headers.get("commerce-event-type", "unknown")
        name = f"{stamp}-{kind}-{entry.event_id or 'no-event-id'}"
        (folder / f"{name}.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        if not is_json:
            (folder / f"{name}.csv").write_text(entry.body, encoding="utf-8")
