"""Fail fast, with a clear message, when a port the stack needs is taken."""

from __future__ import annotations

import socket


def check_free(host: str, port: int) -> None:
    """Raise OSError when host:port cannot be bound; port 0 (any free port) always passes."""
    if port == 0:
        return
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers themselves do
        try:
            probe.bind((host, port))
        except OSError as error:
            raise OSError(f"port {port} on {host} is already in use ({error.strerror})") from error
