"""Checkout: a guest's cart (by its token) or a signed-in customer's active cart becomes an order awaiting
payment, with its stock reserved and a Stripe PaymentIntent to confirm. Idempotent per Idempotency-Key."""

from __future__ import annotations

import checkouts
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)
from wiring import settings

from commerce.api.problems import problem
from commerce.api.resolver import create_resolver, http_handler

app = create_resolver(settings.staff_roles, settings.default_locale)
app.include_router(checkouts.router)


@app.exception_handler(IdempotencyValidationError)
def _reused_key(_: IdempotencyValidationError) -> Response[str]:
    return problem(
        422,
        "Idempotency key reused",
        "this Idempotency-Key was used for another request",
        "idempotency-key-reused",
    )


@app.exception_handler(IdempotencyAlreadyInProgressError)
def _in_progress(_: IdempotencyAlreadyInProgressError) -> Response[str]:
    return problem(
        409, "Request in progress", "a request with this Idempotency-Key is running", "in-progress"
    )


lambda_handler = http_handler(app)
