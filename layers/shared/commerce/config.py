"""Settings parsed from the environment once, at cold start; a missing variable fails the start, loudly."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from commerce.domain.currency import is_currency


class ConfigurationError(RuntimeError):
    """The function was deployed without a setting it needs."""


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    table_name: str = Field(min_length=1)
    idempotency_table_name: str = Field(min_length=1)
    event_bus_name: str = Field(min_length=1)
    cursor_secret_arn: str = Field(min_length=1)
    supported_currencies: tuple[str, ...]
    default_locale: str = Field(min_length=2)
    cart_ttl_days: int = Field(gt=0, le=365)
    # 40 lines: placing an order is one transaction of at most 100 items (order, markers, cart and, per
    # line, a stock update and a movement), and a line may draw on two locations.
    max_cart_lines: int = Field(default=40, gt=0, le=40)
    max_line_quantity: int = Field(default=99, gt=0)
    # Checkout and the order workflow; optional so the functions that do not need them start without them.
    order_state_machine_arn: str | None = None
    stripe_secret_arn: str | None = None
    stripe_api_base: str | None = None
    payment_timeout_seconds: int = Field(default=900, gt=0)
    fraud_review_amount: int = Field(default=50_000, ge=0)
    # ---- analytics (issue 8): the Firehose stream raw events go to (the analytics consumer only)
    raw_events_stream: str | None = None
    reports_bucket: str | None = None  # where the daily report job writes
    segment_lapsed_days: int = Field(default=180, gt=0)  # no order for this long: lapsed
    segment_high_value: int = Field(
        default=100_000, gt=0
    )  # lifetime value, minor units of the default currency
    # ---- end analytics

    @field_validator(
        "order_state_machine_arn",
        "stripe_secret_arn",
        "stripe_api_base",
        "raw_events_stream",
        "reports_bucket",
        mode="before",
    )
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        # A template parameter left at its "" default arrives as an empty variable.
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("supported_currencies", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(code.strip() for code in value.split(",") if code.strip())
        return value

    @field_validator("supported_currencies")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("at least one currency is required")
        unknown = [code for code in value if not is_currency(code)]
        if unknown:
            raise ValueError(f"not ISO 4217 currency codes: {', '.join(unknown)}")
        return value

    @property
    def default_currency(self) -> str:
        return self.supported_currencies[0]

    @property
    def cart_ttl(self) -> timedelta:
        return timedelta(days=self.cart_ttl_days)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        fields = {name: env[name.upper()] for name in cls.model_fields if name.upper() in env}
        try:
            return cls.model_validate(fields)
        except ValidationError as error:
            problems = "; ".join(
                f"{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in error.errors()
            )
            raise ConfigurationError(f"invalid or missing environment variables: {problems}") from error
