"""The localstripe server in a child process: `python -m local.stripe_process --fd N`.

localstripe's own command binds every interface (`::`) and writes its store to /tmp after each POST.
This runner serves its application on a socket the parent has already bound to 127.0.0.1 (so the
port, even a free one chosen by the system, is known before the child starts), keeps the store in
memory only, and exits when its parent is gone, so a killed stack leaves no server behind.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import socket
import sys
from pathlib import Path
from typing import Any

from aiohttp import web

from local import stripe_js

PARENT_CHECK_SECONDS = 1.0


def _accept_payment_intent_description(resources: Any) -> None:
    """Stripe takes a `description` on PaymentIntents; localstripe answers 400 to it: keep it, as Stripe."""
    original = resources.PaymentIntent.__init__

    def init(self: Any, description: str | None = None, **kwargs: Any) -> None:
        original(self, **kwargs)
        self.description = description

    resources.PaymentIntent.__init__ = init


def _accept_another_card_after_a_decline(resources: Any) -> None:
    """At Stripe a declined intent takes another payment method and is confirmed again; localstripe keeps the
    failed charge, so its status stays `requires_payment_method` and the confirm is refused. A new payment
    method starts a new attempt, as at Stripe."""
    original = resources.PaymentIntent._api_update.__func__

    def update(cls: Any, id: str, **data: Any) -> Any:
        if "payment_method" in data:
            intent = cls._api_retrieve(id)
            if intent.status == "requires_payment_method":
                intent.latest_charge, intent._authentication_failed = None, False
        return original(cls, id, **data)

    resources.PaymentIntent._api_update = classmethod(update)


def _replay_idempotent_requests(app: web.Application) -> None:
    """Stripe answers a POST repeated with the same `Idempotency-Key` with its first answer, doing nothing
    again (a refund retried after a crash is the same refund); localstripe ignores the header: keep it, as
    Stripe does. Requests with one key wait for each other, so concurrent retries also make one."""
    answers: dict[tuple[str, str, str], tuple[int, bytes, str]] = {}
    locks: dict[tuple[str, str, str], asyncio.Lock] = {}

    @web.middleware
    async def idempotency(request: web.Request, handler: Any) -> web.StreamResponse:
        key = request.headers.get("Idempotency-Key")
        if request.method != "POST" or not key:
            return await handler(request)  # type: ignore[no-any-return]
        ident = (request.headers.get("Authorization", ""), request.path, key)
        async with locks.setdefault(ident, asyncio.Lock()):
            if ident in answers:
                status, body, content_type = answers[ident]
                return web.Response(
                    status=status,
                    body=body,
                    content_type=content_type,
                    headers={"Idempotent-Replayed": "true"},
                )
            response = await handler(request)
            if isinstance(response, web.Response) and isinstance(response.body, bytes):
                answers[ident] = (response.status, response.body, response.content_type)
            return response  # type: ignore[no-any-return]

    app.middlewares.append(idempotency)


async def _exit_with_parent(parent: int) -> None:
    while True:
        await asyncio.sleep(PARENT_CHECK_SECONDS)
        if os.getppid() != parent:
            os._exit(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.stripe_process")
    parser.add_argument("--fd", type=int, required=True, help="a listening socket inherited from the parent")
    parser.add_argument("--parent", type=int, default=os.getppid())
    args = parser.parse_args(argv)

    from localstripe import errors, resources, server  # noqa: PLC0415 - imported in the child only

    # In memory only: several stacks may run at once, and none should read another's leftovers.
    resources.store.dump_to_disk = lambda: None
    _accept_payment_intent_description(resources)
    _accept_another_card_after_a_decline(resources)
    _replay_idempotent_requests(server.app)
    script = Path(server.__file__).with_name("localstripe-v3.js").read_text(encoding="utf-8")
    stripe_js.install(server.app, resources, errors, script)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    sock = socket.socket(fileno=args.fd)

    async def watch_parent(_: web.Application) -> None:
        asyncio.ensure_future(_exit_with_parent(args.parent))  # noqa: RUF006 - lives as long as the loop

    server.app.on_startup.append(watch_parent)
    web.run_app(server.app, sock=sock, access_log=None, print=None, handle_signals=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
