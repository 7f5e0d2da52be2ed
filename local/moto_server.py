"""moto as a server on 127.0.0.1 in a background thread, started fresh and left as it was found."""

from __future__ import annotations

import json
import logging
import urllib.request
from typing import Any

from moto.server import ThreadedMotoServer

from local.patches.moto_server import release_port
from local.ports import check_free

logger = logging.getLogger(__name__)


class MotoServer:
    """A ThreadedMotoServer that executes state machines; its state is reset on start and on stop."""

    def __init__(self, host: str, port: int) -> None:
        check_free(host, port)  # moto's thread would exit on a taken port, and start() wait forever
        self._server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
        self._server.start()
        self.host, self.port = host, self._server.get_host_and_port()[1]
        self.url = f"http://{host}:{self.port}"
        # moto's state is process-wide: start from empty, and put its config back on stop.
        self.api("reset", {})
        previous = self.api("config").get("stepfunctions", {}).get("execute_state_machine", False)
        self._config_on_stop: dict[str, Any] = {"stepfunctions": {"execute_state_machine": previous}}
        self.api("config", {"stepfunctions": {"execute_state_machine": True}})

    def api(self, path: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        """GET (or POST the payload to) /moto-api/<path>; the JSON answer, {} when there is none."""
        data = None if payload is None else json.dumps(payload).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310 - our own moto server over http
            f"{self.url}/moto-api/{path}", data=data, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            body = response.read()
        try:
            answer = json.loads(body) if body else {}
        except json.JSONDecodeError:
            return {}
        return answer if isinstance(answer, dict) else {}

    def stop(self) -> None:
        """Reset moto, restore its config, stop serving and release the port."""
        try:
            self.api("config", self._config_on_stop)
            self.api("reset", {})
        except OSError:
            logger.warning("could not reset moto before stopping it", exc_info=True)
        self._server.stop()
        release_port(self._server)
