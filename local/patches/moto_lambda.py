"""Route moto's Lambda invokes (Step Functions tasks, SQS mappings, lambda:Invoke) to in-process handlers."""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any

from moto.awslambda.models import LambdaBackend, LambdaFunction
from moto.awslambda_simple.models import LambdaSimpleBackend

from local.streams import StreamWorkers, is_stream_batch

if TYPE_CHECKING:
    from local.lambdas import LambdaRuntime

logger = logging.getLogger(__name__)


def error_payload(error: BaseException) -> dict[str, Any]:
    """Lambda's payload for an unhandled error: errorType is what Retry and Catch match on."""
    return {
        "errorType": getattr(error, "error_type", type(error).__name__),
        "errorMessage": str(error),
        "stackTrace": traceback.format_tb(error.__traceback__),
    }


def _run(
    runtime: LambdaRuntime, name: str, body: Any, response_headers: dict[str, Any], streams: StreamWorkers
) -> bytes:
    event = json.loads(body) if body else {}
    if is_stream_batch(event):
        # Lambda polls streams on its own; handling the batch inside moto's write would hold its lock.
        streams.submit(runtime, name, event)
        return b"{}"
    try:
        result = runtime.invoke(name, event)
        payload = json.dumps(result).encode("utf-8")
    except Exception as error:
        logger.exception("function raised", extra={"function": name})
        response_headers["x-amz-function-error"] = "Unhandled"
        payload = json.dumps(error_payload(error)).encode("utf-8")
    response_headers["Content-Length"] = str(len(payload))
    return payload


class MotoInvokePatch:
    """The patch in place; undo() (or leaving the with block) puts moto's own invoke back."""

    def __init__(self, runtime: LambdaRuntime) -> None:
        self._originals: list[tuple[type, Callable[..., Any]]] = []
        self.streams = StreamWorkers()
        for backend in (LambdaBackend, LambdaSimpleBackend):
            self._patch(backend, _backend_invoke(runtime, backend.__dict__["invoke"], self.streams))
        self._patch(
            LambdaFunction, _function_invoke(runtime, LambdaFunction.__dict__["invoke"], self.streams)
        )

    def _patch(self, cls: type, replacement: Callable[..., Any]) -> None:
        self._originals.append((cls, cls.__dict__["invoke"]))
        cls.invoke = replacement  # type: ignore[attr-defined]

    def undo(self) -> None:
        self.streams.shutdown()
        while self._originals:
            cls, original = self._originals.pop()
            cls.invoke = original  # type: ignore[attr-defined]

    def __enter__(self) -> MotoInvokePatch:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.undo()


def _backend_invoke(
    runtime: LambdaRuntime, original: Callable[..., Any], streams: StreamWorkers
) -> Callable[..., Any]:
    def invoke(
        backend: LambdaBackend,
        function_name: str,
        qualifier: str | None,
        body: Any,
        headers: Any,
        response_headers: Any,
    ) -> Any:
        fn = backend.get_function(function_name, qualifier)
        if runtime.find(fn.function_name) is None:
            return original(backend, function_name, qualifier, body, headers, response_headers)
        return _run(runtime, fn.function_name, body, response_headers, streams)

    return invoke


def _function_invoke(
    runtime: LambdaRuntime, original: Callable[..., Any], streams: StreamWorkers
) -> Callable[..., Any]:
    def invoke(fn: LambdaFunction, body: Any, request_headers: Any, response_headers: Any) -> Any:
        if runtime.find(fn.function_name) is None:
            return original(fn, body, request_headers, response_headers)
        return _run(runtime, fn.function_name, body, response_headers, streams)

    return invoke


def patch_moto_invoke(runtime: LambdaRuntime) -> MotoInvokePatch:
    """Make moto run the runtime's handlers for its functions; returns the patch, to undo()."""
    return MotoInvokePatch(runtime)
