"""The one error hierarchy. Each error knows its HTTP status so the mapping lives in one place."""

from __future__ import annotations

from typing import Any, ClassVar


class CommerceError(Exception):
    """Base of every error the backend raises on purpose."""

    status: ClassVar[int] = 400
    title: ClassVar[str] = "Bad request"
    slug: ClassVar[str] = "bad-request"

    def __init_subclass__(
        cls, *, status: int | None = None, title: str | None = None, slug: str | None = None, **kwargs: Any
    ) -> None:
        """A subclass names what it changes (`status=404, title=...`) in its bases; the rest it inherits."""
        super().__init_subclass__(**kwargs)
        if status is not None:
            cls.status = status
        if title is not None:
            cls.title = title
        if slug is not None:
            cls.slug = slug

    def __init__(self, detail: str, **extensions: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions


class ValidationFailed(CommerceError, status=400, title="Invalid request", slug="invalid-request"):
    """The request is well-formed JSON but a value is not acceptable."""


class UnknownCurrency(ValidationFailed, title="Unknown currency", slug="unknown-currency"): ...


class UnsupportedCurrency(ValidationFailed, title="Currency not offered", slug="unsupported-currency"): ...


class CurrencyMismatch(ValidationFailed, title="Currency mismatch", slug="currency-mismatch"): ...


class InvalidCursor(ValidationFailed, title="Invalid cursor", slug="invalid-cursor"): ...


class LimitExceeded(ValidationFailed, title="Limit exceeded", slug="limit-exceeded"): ...


class NotSellable(ValidationFailed, status=422, title="Not sellable", slug="not-sellable"):
    """The SKU exists for nobody or is not on sale (draft, archived, no price in the currency)."""


class UnreadableBody(ValidationFailed, title="Unreadable body", slug="unreadable-body"):
    """The bytes are not what the endpoint reads (not UTF-8, not valid base64, compressed)."""


class PayloadTooLarge(CommerceError, status=413, title="Payload too large", slug="payload-too-large"): ...


class Unauthorized(CommerceError, status=401, title="Unauthorized", slug="unauthorized"): ...


class Forbidden(CommerceError, status=403, title="Forbidden", slug="forbidden"): ...


class NotFound(CommerceError, status=404, title="Not found", slug="not-found"): ...


class Conflict(CommerceError, status=409, title="Conflict", slug="conflict"): ...


class InvalidState(Conflict, title="Invalid state", slug="invalid-state"): ...


class OutOfStock(Conflict, title="Out of stock", slug="out-of-stock"): ...


class PaymentDeclined(CommerceError, status=402, title="Payment declined", slug="payment-declined"): ...


class Throttled(CommerceError, status=503, title="Service busy", slug="service-busy"):
    """A downstream (DynamoDB, Stripe) asked us to slow down; the client may retry."""


class DependencyFailed(CommerceError, status=502, title="Dependency failed", slug="dependency-failed"): ...


class EmptyCart(CommerceError, status=422, title="Empty cart", slug="empty-cart"):
    """A checkout of a cart with nothing (sellable) in it."""


# Errors the order workflow's Lambda steps raise: the state machine matches on these class names (Lambda's
# errorType), so renaming one means changing statemachines/order.asl.json too.
class PaymentFailed(CommerceError, status=402, title="Payment failed", slug="payment-failed"): ...


class PaymentCanceled(CommerceError, status=409, title="Payment canceled", slug="payment-canceled"): ...


class PaymentTimeout(CommerceError, status=409, title="Payment timed out", slug="payment-timeout"): ...


class TransientError(CommerceError, status=503, title="Try again", slug="try-again"):
    """Worth retrying as is: throttling, a lost optimistic-locking race, a dependency that hiccuped."""
