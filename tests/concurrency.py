"""Racing callers: the same request sent by several threads released at one moment."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def at_once(ask: Callable[[], T], callers: int, seconds: float) -> list[T]:
    """The answers of `callers` threads that each call `ask()` at the same moment (a barrier releases them),
    waiting at most `seconds` for each."""
    start, answers, lock = threading.Barrier(callers), list[T](), threading.Lock()

    def caller() -> None:
        start.wait(timeout=seconds)
        answer = ask()
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=caller) for _ in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds)
    return answers
