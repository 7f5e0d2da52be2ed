"""Step Functions, EventBridge and Stripe adapters with stub clients: their answers become domain facts."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
import stripe
from botocore.exceptions import ClientError

from commerce.adapters.aws_workflow import EventBridgePublisher, StepFunctionsWorkflow
from commerce.adapters.stripe_payments import translated
from commerce.domain.errors import DependencyFailed, InvalidState, PaymentDeclined, Throttled
from commerce.domain.events import DomainEvent, order_event

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


def client_error(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "stub"}}, "Op")


class StubEvents:
    def __init__(self, answers: list[dict[str, Any]]) -> None:
        self.answers = answers
        self.calls: list[list[dict[str, Any]]] = []

    def put_events(self, Entries: list[dict[str, Any]]) -> dict[str, Any]:
        self.calls.append(Entries)
        return self.answers.pop(0)


def test_events_refused_by_eventbridge_are_sent_again_until_accepted() -> None:
    events = [DomainEvent("OrderPaid", NOW, {"order_id": str(i)}) for i in range(3)]
    stub = StubEvents(
        [
            {
                "FailedEntryCount": 1,
                "Entries": [{"EventId": "a"}, {"ErrorCode": "InternalFailure"}, {"EventId": "c"}],
            },
            {"FailedEntryCount": 0, "Entries": [{"EventId": "b"}]},
        ]
    )
    EventBridgePublisher(stub, "bus", sleep=lambda _: None).publish(events)
    assert [len(call) for call in stub.calls] == [3, 1]
    resent = json.loads(stub.calls[1][0]["Detail"])
    assert resent["data"] == {"order_id": "1"} and set(resent) == {
        "event_id",
        "type",
        "version",
        "occurred_at",
        "correlation_id",
        "data",
    }


def test_an_event_eventbridge_keeps_refusing_is_an_error_never_a_silent_drop() -> None:
    failing = {"FailedEntryCount": 1, "Entries": [{"ErrorCode": "InternalFailure"}]}
    stub = StubEvents([failing] * 10)
    with pytest.raises(DependencyFailed):
        EventBridgePublisher(stub, "bus", sleep=lambda _: None).publish([DomainEvent("OrderPaid", NOW)])


def test_an_event_about_an_order_has_the_same_id_whoever_announces_it() -> None:
    assert (
        order_event("OrderCancelled", "o1", NOW, {}).event_id
        == order_event("OrderCancelled", "o1", NOW, {}).event_id
    )
    assert (
        order_event("OrderCancelled", "o1", NOW, {}).event_id
        != order_event("OrderPaid", "o1", NOW, {}).event_id
    )


class StubStates:
    def __init__(self, error: str | None = None) -> None:
        self.error = error
        self.started: list[dict[str, Any]] = []

    def start_execution(self, **kwargs: Any) -> None:
        self.started.append(kwargs)
        if self.error:
            raise client_error(self.error)

    def send_task_success(self, **kwargs: Any) -> None:
        if self.error:
            raise client_error(self.error)

    def send_task_failure(self, **kwargs: Any) -> None:
        if self.error:
            raise client_error(self.error)


def test_starting_a_workflow_twice_is_no_error_and_names_it_after_the_order() -> None:
    states = StubStates("ExecutionAlreadyExists")
    StepFunctionsWorkflow(states, "arn:sm").start("o1")
    started = states.started[0]
    assert started["name"] == "o1" and json.loads(started["input"]) == {"order_id": "o1"}


def test_answering_a_task_that_no_longer_waits_says_so() -> None:
    assert StepFunctionsWorkflow(StubStates("TaskTimedOut"), None).resume("t", {}) is False
    assert StepFunctionsWorkflow(StubStates("TaskDoesNotExist"), None).fail("t", "E", "c") is False
    assert StepFunctionsWorkflow(StubStates(), None).resume("t", {}) is True
    with pytest.raises(Throttled):
        StepFunctionsWorkflow(StubStates("ThrottlingException"), None).resume("t", {})


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (stripe.CardError("declined", "card", "card_declined"), PaymentDeclined),
        (stripe.APIConnectionError("down"), DependencyFailed),
        (stripe.APIError("boom"), DependencyFailed),
        (stripe.RateLimitError("slow down"), Throttled),
        (stripe.InvalidRequestError("state", "intent", code="payment_intent_unexpected_state"), InvalidState),
    ],
)
def test_stripe_errors_become_domain_errors(error: Exception, expected: type[Exception]) -> None:
    with pytest.raises(expected), translated():
        raise error
