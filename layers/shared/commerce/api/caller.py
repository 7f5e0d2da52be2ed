"""The partner a route's API key authenticated (a channel, an ERP integration), bound by the gate before the
resolver ran and handed to the route, so that it does not read and check the key a second time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Generic, TypeVar

T = TypeVar("T")


class AuthenticatedCaller(Generic[T]):
    """One value per request: a ContextVar, so the local stack's concurrent requests (threads of one
    process) each see their own, as Lambda's execution environments do."""

    def __init__(self, name: str) -> None:
        self._var: ContextVar[T | None] = ContextVar(name, default=None)

    @contextmanager
    def bound(self, caller: T | None) -> Iterator[None]:
        token = self._var.set(caller)
        try:
            yield
        finally:
            self._var.reset(token)

    def get(self) -> T:
        caller = self._var.get()
        if caller is None:
            raise RuntimeError("no caller was authenticated for this request")  # a route outside the check
        return caller
