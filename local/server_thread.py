"""A local server's loop on a daemon thread, shared by the issuer, the HTTP API and the webhook receiver."""

from __future__ import annotations

import socketserver
import threading


class ServerThread:
    """Runs `server.serve_forever` on a daemon thread named `name`, until stopped."""

    def __init__(self, server: socketserver.BaseServer, name: str) -> None:
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and release the port; safe to call twice, and before start (shutdown() would wait
        forever for a loop that never ran)."""
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=10)
        self._server.server_close()
