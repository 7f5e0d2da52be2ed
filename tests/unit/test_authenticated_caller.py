"""The caller a handler authenticated is its request's own, even with requests resolved at once on threads."""

from __future__ import annotations

import threading

import pytest

from commerce.api.caller import AuthenticatedCaller


def test_each_request_sees_the_caller_it_bound_and_none_after() -> None:
    caller = AuthenticatedCaller[str]("test")
    seen: dict[str, str] = {}
    both_bound = threading.Barrier(2)

    def request(name: str) -> None:
        with caller.bound(name):
            both_bound.wait(timeout=5)
            seen[name] = caller.get()

    threads = [threading.Thread(target=request, args=(name,)) for name in ("marketplace:a", "pos:b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=5)

    assert seen == {"marketplace:a": "marketplace:a", "pos:b": "pos:b"}
    with pytest.raises(RuntimeError):
        caller.get()
