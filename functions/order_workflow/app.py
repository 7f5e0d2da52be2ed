"""The order workflow's Lambda steps, called by the state machine with {"step": ..., "order_id": ...}.

Errors reach the state machine by class name (Lambda's errorType): PaymentFailed, PaymentCanceled,
InvalidState, ... are caught by its Catch clauses; TransientError is retried with backoff."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from commerce.composition import checkout
from commerce.config import Settings
from commerce.domain.errors import Conflict, DependencyFailed, InvalidState, Throttled, TransientError
from commerce.observability import follow_order, logger, ready, tracer
from commerce.services.order_workflow import cancel_reason

settings = Settings.from_env()
workflow = checkout.order_workflow(settings)


def _await_payment(event: dict[str, Any]) -> dict[str, Any]:
    workflow.await_payment(str(event["order_id"]), str(event["task_token"]))
    return {}


def _await_review(event: dict[str, Any]) -> dict[str, Any]:
    workflow.await_review(str(event["order_id"]), str(event["task_token"]))
    return {}


def _confirm(event: dict[str, Any]) -> dict[str, Any]:
    payment = event.get("payment") or {}
    return workflow.confirm(str(event["order_id"]), payment.get("risk_level") or event.get("risk_level"))


def _compensate(event: dict[str, Any]) -> dict[str, Any]:
    error = event.get("error") or {}
    return workflow.compensate(str(event["order_id"]), cancel_reason(error.get("Error")))


STEPS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "order_placed": lambda event: workflow.placed(str(event["order_id"])),
    "await_payment": _await_payment,
    "confirm": _confirm,
    "await_review": _await_review,
    "approve": lambda event: workflow.approve(str(event["order_id"])),
    "reject": lambda event: workflow.reject(str(event["order_id"])),
    "compensate": _compensate,
}


@logger.inject_lambda_context(clear_state=True, log_event=False)
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    step = str(event.get("step", ""))
    follow_order(str(event.get("order_id")))
    logger.append_keys(step=step)
    try:
        run = STEPS.get(step)
        if run is None:
            raise ValueError(f"unknown step {step!r}")
        return run(event)
    except (Throttled, DependencyFailed) as error:
        raise TransientError(error.detail) from error
    except Conflict as error:
        if isinstance(error, InvalidState):
            raise
        raise TransientError(error.detail) from error


ready()
