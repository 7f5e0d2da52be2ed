"""Per-thread requests for Powertools' resolvers in the in-process runtime.

Powertools keeps the request being resolved in a class attribute (`BaseRouter.current_event`, and
`lambda_context`), which is right in Lambda, where one execution environment holds one request at a
time. Here every function shares one process and the HTTP API serves requests on many threads, so two
requests resolved at once would read each other's headers and body. This makes both attributes
per-thread on the resolvers, so the local stack can serve concurrent requests as AWS would (each in
its own execution environment) and a flash sale really races in DynamoDB.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver

_state = threading.local()
_installed = False


class _PerThread:
    """A data descriptor that keeps one value per thread."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        try:
            return getattr(_state, self._name)
        except AttributeError:
            raise AttributeError(self._name) from None

    def __set__(self, instance: object, value: Any) -> None:
        setattr(_state, self._name, value)


def install() -> None:
    """Patch Powertools once per process (the local stack calls it before loading any function)."""
    global _installed  # noqa: PLW0603 - a process-wide patch is installed once
    if _installed:
        return
    original = ApiGatewayResolver.resolve

    @functools.wraps(original)
    def resolve(self: ApiGatewayResolver, event: dict[str, Any], context: Any) -> dict[str, Any]:
        # Set this thread's request before Powertools sets (and other threads overwrite) the class's.
        _state.current_event = self._to_proxy_event(event)
        _state.lambda_context = context
        return original(self, event, context)

    ApiGatewayResolver.current_event = _PerThread("current_event")  # type: ignore[assignment]
    ApiGatewayResolver.lambda_context = _PerThread("lambda_context")  # type: ignore[assignment]
    ApiGatewayResolver.resolve = resolve  # type: ignore[method-assign]
    _installed = True
