"""Step Functions (the order workflow) and EventBridge (domain events) behind their ports."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from commerce.adapters.dynamodb.errors import error_code, raise_refusal
from commerce.domain.errors import DependencyFailed
from commerce.domain.events import SOURCE, DomainEvent

# The task is no longer waiting: it timed out, was answered already, or its execution ended.
_TASK_GONE = {"TaskTimedOut", "TaskDoesNotExist", "InvalidToken", "ExecutionDoesNotExist"}
_THROTTLED = {"ThrottlingException", "TooManyRequestsException"}
PUT_EVENTS_BATCH = 10
PUT_EVENTS_ATTEMPTS = 6


class StepFunctionsWorkflow:
    def __init__(self, client: Any, state_machine_arn: str | None) -> None:
        self._client = client
        self._arn = state_machine_arn

    def start(self, order_id: str) -> None:
        if not self._arn:
            raise DependencyFailed("no order state machine is configured")
        try:
            self._client.start_execution(
                stateMachineArn=self._arn, name=order_id, input=json.dumps({"order_id": order_id})
            )
        except ClientError as error:
            if error_code(error) == "ExecutionAlreadyExists":
                return  # started before: a retry of the same checkout
            raise_refusal(error, "Step Functions", _THROTTLED)

    def resume(self, task_token: str, output: Mapping[str, Any]) -> bool:
        try:
            self._client.send_task_success(taskToken=task_token, output=json.dumps(dict(output)))
        except ClientError as error:
            if error_code(error) in _TASK_GONE:
                return False
            raise_refusal(error, "Step Functions", _THROTTLED)
        return True

    def fail(self, task_token: str, error: str, cause: str) -> bool:
        try:
            self._client.send_task_failure(taskToken=task_token, error=error, cause=cause[:32768])
        except ClientError as failure:
            if error_code(failure) in _TASK_GONE:
                return False
            raise_refusal(failure, "Step Functions", _THROTTLED)
        return True


class EventBridgePublisher:
    def __init__(self, client: Any, bus_name: str, sleep: Callable[[float], None] = time.sleep) -> None:
        self._client = client
        self._bus = bus_name
        self._sleep = sleep

    def publish(self, events: Sequence[DomainEvent]) -> None:
        entries = [
            {
                "Source": SOURCE,
                "DetailType": event.type,
                "Detail": json.dumps(event.envelope()),
                "EventBusName": self._bus,
            }
            for event in events
        ]
        for start in range(0, len(entries), PUT_EVENTS_BATCH):
            self._put(entries[start : start + PUT_EVENTS_BATCH])

    def _put(self, pending: list[dict[str, Any]]) -> None:
        """Sends again exactly the entries EventBridge reports as failed, with backoff; never drops one."""
        for attempt in range(PUT_EVENTS_ATTEMPTS):
            try:
                result = self._client.put_events(Entries=pending)
            except ClientError as error:
                if error_code(error) not in _THROTTLED:
                    raise_refusal(error, "EventBridge", _THROTTLED)
                result = {
                    "FailedEntryCount": len(pending),
                    "Entries": [{"ErrorCode": "Throttled"}] * len(pending),
                }
            if not result.get("FailedEntryCount"):
                return
            pending = _failed_entries(pending, result.get("Entries") or [])
            if attempt < PUT_EVENTS_ATTEMPTS - 1:
                self._sleep(random.uniform(0, 0.05 * 2**attempt))  # noqa: S311 - jitter, not a secret
        raise DependencyFailed(f"EventBridge refused {len(pending)} events after {PUT_EVENTS_ATTEMPTS} tries")


def _failed_entries(sent: list[dict[str, Any]], answers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries to send again: those answered with an ErrorCode. An answer that does not say which
    (no entry per request entry, or none marked) sends them all again: a duplicate is dropped by
    consumers (same event id), a lost event is not found by anyone."""
    failed = [entry for entry, answer in zip(sent, answers, strict=False) if answer.get("ErrorCode")]
    return failed if failed and len(answers) == len(sent) else sent
