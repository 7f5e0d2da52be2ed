"""Translate DynamoDB's ClientError codes into domain errors, by code, never by message."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

from botocore.exceptions import ClientError

from commerce.domain.errors import CommerceError, Conflict, DependencyFailed, Throttled

_THROTTLED = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "LimitExceededException",
}


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def raise_refusal(error: ClientError, service: str, throttling_codes: Collection[str]) -> NoReturn:
    """Another AWS service's refusal as ours: Throttled for its throttling codes, else DependencyFailed."""
    code = error_code(error)
    if code in throttling_codes:
        raise Throttled(f"{service} is busy; retry shortly") from error
    raise DependencyFailed(f"{service} answered {code}") from error


def cancellation_reasons(error: ClientError) -> list[str]:
    """The per-item codes of a cancelled transaction (`None` where an item was fine); [] for other errors."""
    reasons = error.response.get("CancellationReasons", [])
    return [str(reason.get("Code", "None")) for reason in reasons]


@contextmanager
def translated(
    conflict: type[CommerceError] = Conflict, detail: str = "the item changed meanwhile"
) -> Iterator[None]:
    try:
        yield
    except ClientError as error:
        code = error_code(error)
        if code == "ConditionalCheckFailedException":
            raise conflict(detail) from error
        if code == "TransactionCanceledException":
            if any(r in _THROTTLED for r in cancellation_reasons(error)):
                raise Throttled("the store is busy; retry shortly") from error
            raise conflict(detail, reasons=cancellation_reasons(error)) from error
        if code in _THROTTLED or code == "TransactionConflictException":
            raise Throttled("the store is busy; retry shortly") from error
        raise DependencyFailed(f"DynamoDB answered {code}") from error


def condition_held(write: Callable[..., object], **request: Any) -> bool:
    """Sends one conditional write: False when its condition failed (the thing was there, or was not),
    True when it went in; any other error translated."""
    try:
        write(**request)
    except ClientError as error:
        if error_code(error) == "ConditionalCheckFailedException":
            return False
        with translated():
            raise
    return True


class _Attempt:
    def __init__(self, number: int, attempts: int) -> None:
        self.number = number
        self._last = number == attempts - 1

    def failed(self) -> None:
        """Waits before the next try (full jitter); after the last one, tells the caller we are throttled."""
        if self._last:
            raise Throttled("DynamoDB left part of a batch unprocessed; retry shortly")
        time.sleep(random.uniform(0, 0.05 * 2**self.number))  # noqa: S311 - jitter, not a secret


def backoff(attempts: int = 8) -> Iterator[_Attempt]:
    """Attempts for a batch call whose unprocessed remainder must be sent again."""
    for number in range(attempts):
        yield _Attempt(number, attempts)
