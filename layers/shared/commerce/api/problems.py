"""Every error becomes an RFC 9457 problem-details response here, and nowhere else."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)

from commerce.domain.errors import CommerceError
from commerce.observability import logger, metrics

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://errors.commerce.example/"
# Refusals worth an alarm when they come in numbers (template.yaml: WebhookSignatureRejectedAlarm): a run of
# bad webhook signatures is a misconfigured secret or someone probing the endpoint.
_COUNTED = {"invalid-signature": "WebhookSignatureRejected"}


def problem_body(status: int, title: str, detail: str, slug: str, **extensions: Any) -> str:
    body = {"type": TYPE_BASE + slug, "title": title, "status": status, "detail": detail, **extensions}
    return json.dumps(body, default=str)


def raw_problem(error: CommerceError) -> dict[str, Any]:
    """The error as a raw API Gateway answer, for a handler that refuses before its resolver runs."""
    return {
        "statusCode": error.status,
        "headers": {"Content-Type": PROBLEM_JSON},
        "body": problem_body(error.status, error.title, error.detail, error.slug),
        "isBase64Encoded": False,
    }


def problem(status: int, title: str, detail: str, slug: str, **extensions: Any) -> Response[str]:
    return Response(
        status_code=status,
        content_type=PROBLEM_JSON,
        body=problem_body(status, title, detail, slug, **extensions),
    )


def _field_errors(error: RequestValidationError) -> list[dict[str, Any]]:
    """Where and why, without echoing the rejected input back (it may be large or personal)."""
    return [
        {"location": ".".join(str(part) for part in e.get("loc", ())), "message": e.get("msg", "")}
        for e in error.errors()
    ]


# Errors that always answer the same problem. A body in anything but JSON (text/plain, a form, ...) is the
# client's mistake, not a 500; the checkout's Idempotency-Key, reused or still running.
_ALWAYS_THE_SAME: dict[type[Exception], tuple[int, str, str, str]] = {
    RequestUnsupportedContentType: (
        415,
        "Unsupported media type",
        "send the request body as application/json",
        "unsupported-media-type",
    ),
    IdempotencyValidationError: (
        422,
        "Idempotency key reused",
        "this Idempotency-Key was used for another request",
        "idempotency-key-reused",
    ),
    IdempotencyAlreadyInProgressError: (
        409,
        "Request in progress",
        "a request with this Idempotency-Key is running",
        "in-progress",
    ),
}


def _answer(status: int, title: str, detail: str, slug: str) -> Callable[[Exception], Response[str]]:
    return lambda _: problem(status, title, detail, slug)


def register(app: APIGatewayHttpResolver) -> None:
    @app.exception_handler(CommerceError)
    def _commerce(error: CommerceError) -> Response[str]:
        if error.status >= 500:
            logger.warning("dependency problem", error=type(error).__name__, detail=error.detail)
        if metric := _COUNTED.get(error.slug):
            logger.warning("request refused", reason=error.slug, detail=error.detail)
            metrics.add_metric(name=metric, unit=MetricUnit.Count, value=1)
        return problem(error.status, error.title, error.detail, error.slug, **error.extensions)

    @app.exception_handler(RequestValidationError)
    def _invalid(error: RequestValidationError) -> Response[str]:
        return problem(
            400,
            "Invalid request",
            "the request does not match the API schema",
            "invalid-request",
            errors=_field_errors(error),
        )

    for error_type, (status, title, detail, slug) in _ALWAYS_THE_SAME.items():
        app.exception_handler(error_type)(_answer(status, title, detail, slug))

    @app.not_found
    def _no_route(_: NotFoundError) -> Response[str]:
        return problem(404, "Not found", "no such route", "not-found")

    @app.exception_handler(Exception)
    def _unexpected(error: Exception) -> Response[str]:
        logger.exception("unhandled error", error=type(error).__name__)
        return problem(500, "Internal error", "something went wrong on our side", "internal-error")
