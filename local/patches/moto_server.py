"""moto's threaded server, where its stop() falls short."""

from __future__ import annotations

from moto.server import ThreadedMotoServer


def release_port(server: ThreadedMotoServer) -> None:
    """Close the listening socket that ThreadedMotoServer.stop() leaves open, so the port is free again."""
    listening = getattr(server, "_server", None)
    if listening is not None:
        listening.server_close()
