"""DynamoDB stream batches handed to their function on a worker thread, as Lambda's own poller would."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from local.lambdas import LambdaRuntime

logger = logging.getLogger(__name__)


def is_stream_batch(event: Any) -> bool:
    """Whether moto is delivering DynamoDB stream records."""
    records = event.get("Records") if isinstance(event, dict) else None
    first = records[0] if isinstance(records, list) and records else None
    return isinstance(first, dict) and first.get("eventSource") == "aws:dynamodb"


def _call_logged(runtime: LambdaRuntime, name: str, event: Any) -> None:
    try:
        runtime.invoke(name, event)
    except Exception:
        logger.exception("stream batch failed", extra={"function": name})


class StreamWorkers:
    """One worker thread per function: batches in order, outside the moto write that produced them."""

    def __init__(self) -> None:
        self._executors: dict[str, ThreadPoolExecutor] = {}
        self._pending: list[Future[None]] = []
        self._lock = threading.Lock()

    def submit(self, runtime: LambdaRuntime, name: str, event: Any) -> None:
        with self._lock:
            if name not in self._executors:
                self._executors[name] = ThreadPoolExecutor(1, thread_name_prefix=f"stream-{name}")
            self._pending.append(self._executors[name].submit(_call_logged, runtime, name, event))

    def drain(self, timeout: float = 30.0) -> None:
        """Wait (at most timeout seconds) until every batch submitted so far has been handled."""
        with self._lock:
            pending, self._pending = self._pending, []
        wait(pending, timeout=timeout)

    def shutdown(self) -> None:
        """Finish the queued batches and stop the workers."""
        with self._lock:
            executors, self._executors = list(self._executors.values()), {}
        for executor in executors:
            executor.shutdown(wait=True)
