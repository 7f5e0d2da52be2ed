"""Waiting for what another thread or process does: poll with a bound, never sleep a guess."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def poll(check: Callable[[], T], seconds: float = 30.0, every: float = 0.1) -> T:
    """The first truthy answer of `check()`; AssertionError, with the last answer, after `seconds`."""
    deadline = time.monotonic() + seconds
    answer = check()
    while not answer:
        if time.monotonic() >= deadline:
            raise AssertionError(f"nothing after {seconds} s (last answer: {answer!r})")
        time.sleep(every)
        answer = check()
    return answer
