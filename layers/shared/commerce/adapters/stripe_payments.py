"""Stripe PaymentIntents behind the PaymentGateway port; Stripe's errors become domain errors here."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import stripe
from aws_lambda_powertools.utilities import parameters
from stripe._base_address import BaseAddresses

from commerce.domain.errors import DependencyFailed, InvalidState, NotFound, PaymentDeclined, Throttled
from commerce.domain.order import Order
from commerce.domain.ports import PaymentIntent

SECRET_CACHE_SECONDS = 300
MAX_NETWORK_RETRIES = 2


def read_stripe_secret(secret_arn: str) -> Mapping[str, str]:
    """The StripeSecret JSON ({"api_key", "webhook_secret"}), cached by Powertools Parameters."""
    value = parameters.get_secret(secret_arn, transform="json", max_age=SECRET_CACHE_SECONDS)
    if not isinstance(value, Mapping) or not value.get("api_key"):
        raise DependencyFailed("the Stripe secret holds no api_key")
    return {str(k): str(v) for k, v in value.items()}


@contextmanager
def translated() -> Iterator[None]:
    try:
        yield
    except stripe.CardError as error:
        raise PaymentDeclined(
            error.user_message or "the card was declined", decline_code=error.code
        ) from error
    except stripe.RateLimitError as error:
        raise Throttled("the payment provider is busy; retry shortly") from error
    except stripe.InvalidRequestError as error:
        if error.http_status == 404 or error.code == "resource_missing":
            raise NotFound("no such payment") from error
        if error.code == "payment_intent_unexpected_state":
            raise InvalidState("the payment is not in a state that allows this") from error
        raise DependencyFailed("the payment provider refused the request") from error
    except stripe.StripeError as error:  # API, connection, authentication, idempotency errors
        raise DependencyFailed("the payment provider failed to answer") from error


def _plain(obj: Any) -> Any:
    """A Stripe object as plain dicts and lists (the SDK's objects are no longer dicts)."""
    return obj.to_dict() if hasattr(obj, "to_dict") else obj


def _intent(obj: Any) -> PaymentIntent:
    raw = _plain(obj)
    metadata = raw.get("metadata") or {}
    return PaymentIntent(
        id=str(raw["id"]),
        status=str(raw.get("status", "")),
        amount=int(raw.get("amount", 0)),
        currency=str(raw.get("currency", "")).upper(),
        client_secret=raw.get("client_secret"),
        order_id=metadata.get("order_id"),
        risk_level=_risk_level(raw),
    )


def _risk_level(raw: Any) -> str | None:
    """Radar's risk level of the charge, when the intent carries it (latest_charge expanded, or charges)."""
    charge = raw.get("latest_charge")
    if not isinstance(charge, Mapping):
        charges = (raw.get("charges") or {}).get("data") or []
        charge = charges[-1] if charges else None
    outcome = (charge or {}).get("outcome") or {}
    level = outcome.get("risk_level") if isinstance(outcome, Mapping) else None
    return str(level) if level else None


class StripePayments:
    def __init__(self, secret: Callable[[], Mapping[str, str]], api_base: str | None = None) -> None:
        self._secret = secret
        self._api_base = api_base or None
        self._client: stripe.StripeClient | None = None
        self._api_key: str | None = None

    def _stripe(self) -> stripe.StripeClient:
        # A new client only when the key changed (rotation): the cached secret is re-read every 5 minutes.
        api_key = self._secret()["api_key"]
        if self._client is None or api_key != self._api_key:
            base: BaseAddresses = {"api": self._api_base} if self._api_base else {}
            self._client = stripe.StripeClient(
                api_key, base_addresses=base, max_network_retries=MAX_NETWORK_RETRIES
            )
            self._api_key = api_key
        return self._client

    def webhook_secret(self) -> str:
        return self._secret().get("webhook_secret", "")

    def create_intent(self, order: Order) -> PaymentIntent:
        # Card only: the SDK's types no longer list payment_method_types, but the API (and localstripe,
        # which refuses automatic_payment_methods) takes it.
        params: Any = {
            "amount": order.totals.total.amount,
            "currency": order.currency.lower(),
            "payment_method_types": ["card"],
            "metadata": {"order_id": order.id},
            "description": f"Order {order.id}",
        }
        with translated():
            raw = self._stripe().v1.payment_intents.create(
                params=params, options={"idempotency_key": f"order-{order.id}"}
            )
        return _intent(raw)

    def cancel_intent(self, intent_id: str) -> PaymentIntent:
        current = self.retrieve(intent_id)
        if current.status == "canceled":
            return current
        if current.status == "succeeded":
            raise InvalidState("the payment succeeded; refund it instead")
        with translated():
            raw = self._stripe().v1.payment_intents.cancel(intent_id)
        return _intent(raw)

    def refund(self, intent_id: str, amount: int, idempotency_key: str | None = None) -> str:
        with translated():
            raw = self._stripe().v1.refunds.create(
                params={"payment_intent": intent_id, "amount": amount},
                options={"idempotency_key": idempotency_key or f"refund-{intent_id}-{amount}"},
            )
        return str(_plain(raw)["id"])

    def retrieve(self, intent_id: str) -> PaymentIntent:
        with translated():
            raw = self._stripe().v1.payment_intents.retrieve(intent_id)
        return _intent(raw)
