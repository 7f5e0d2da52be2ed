"""localstripe, a stateful fake of the Stripe API that sends signed webhooks, as a child process."""

from __future__ import annotations

import logging
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
WEBHOOK_ID = "commerce"
START_TIMEOUT_SECONDS = 20.0
STOP_TIMEOUT_SECONDS = 5.0


class StripeServerError(RuntimeError):
    """localstripe did not start, or refused a configuration call."""


@dataclass(frozen=True)
class StripeKeys:
    """What goes into the StripeSecret: a test API key and the webhook signing secret, new per start."""

    api_key: str
    webhook_secret: str

    @classmethod
    def generate(cls) -> StripeKeys:
        return cls(
            api_key=f"sk_test_local{secrets.token_hex(12)}",
            webhook_secret=f"whsec_local{secrets.token_hex(16)}",
        )

    def as_secret(self) -> dict[str, str]:
        return {"api_key": self.api_key, "webhook_secret": self.webhook_secret}


class LocalStripeServer:
    """`start()` binds 127.0.0.1:port (0: a free one), runs localstripe on it and waits until it answers."""

    def __init__(self, host: str = "127.0.0.1", port: int = 3004) -> None:
        self.host, self._requested_port = host, port
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = START_TIMEOUT_SECONDS) -> LocalStripeServer:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                listener.bind((self.host, self._requested_port))
            except OSError as error:
                raise OSError(
                    f"port {self._requested_port} on {self.host} is already in use ({error.strerror})"
                ) from error
            listener.listen(128)
            self.port = listener.getsockname()[1]
            self._process = subprocess.Popen(
                [sys.executable, "-m", "local.stripe_process", "--fd", str(listener.fileno())],
                cwd=REPO_ROOT,
                pass_fds=(listener.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                # Its own session: Ctrl-C reaches the stack, which stops the server in order.
                start_new_session=True,
            )
        finally:
            listener.close()  # the child holds its own copy
        try:
            self._wait_until_answering(timeout)
        except BaseException:
            self.stop()
            raise
        logger.info("localstripe started", extra={"url": self.url, "pid": self._process.pid})
        return self

    def _wait_until_answering(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self._process is not None and self._process.poll() is not None:
                raise StripeServerError(f"localstripe exited with status {self._process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/js.stripe.com/v3/", timeout=1):  # noqa: S310
                    return
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    raise StripeServerError(
                        f"localstripe did not answer at {self.url} in {timeout} s"
                    ) from None
                time.sleep(0.05)

    def register_webhook(self, url: str, secret: str, webhook_id: str = WEBHOOK_ID) -> None:
        """Every event localstripe emits is POSTed, signed with the secret, to the url."""
        data = urllib.parse.urlencode({"url": url, "secret": secret}).encode()
        request = urllib.request.Request(  # noqa: S310 - our own child server over http
            f"{self.url}/_config/webhooks/{webhook_id}", data=data, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as error:
            raise StripeServerError(f"localstripe refused the webhook: {error.code}") from error

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def stop(self) -> None:
        """Terminate the server (kill it if it lingers) and reap it; safe to call twice."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
