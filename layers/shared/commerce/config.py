"""Settings parsed from the environment once, at cold start; a missing variable fails the start, loudly."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from commerce.domain.cart import MAX_CART_LINES, MAX_QUANTITY_PER_LINE
from commerce.domain.currency import is_currency
from commerce.domain.permissions import RoleMap, parse_roles


class ConfigurationError(RuntimeError):
    """The function was deployed without a setting it needs."""


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    table_name: str = Field(min_length=1)
    idempotency_table_name: str = Field(min_length=1)
    event_bus_name: str = Field(min_length=1)
    cursor_secret_arn: str = Field(min_length=1)
    supported_currencies: tuple[str, ...]
    default_locale: str = Field(min_length=2)
    cart_ttl_days: int = Field(gt=0, le=365)
    # 40 lines: placing an order is one transaction of at most 100 items (order, markers, cart and, per
    # line, a stock update and a movement), and a line may draw on two locations.
    max_cart_lines: int = Field(default=MAX_CART_LINES, gt=0, le=MAX_CART_LINES)
    max_line_quantity: int = Field(default=MAX_QUANTITY_PER_LINE, gt=0, le=MAX_QUANTITY_PER_LINE)
    # Checkout and the order workflow; optional so the functions that do not need them start without them.
    order_state_machine_arn: str | None = None
    stripe_secret_arn: str | None = None
    stripe_api_base: str | None = None
    payment_timeout_seconds: int = Field(default=900, gt=0)
    fraud_review_amount: int = Field(default=50_000, ge=0)
    # outbound webhooks: the two webhook functions only.
    data_key_arn: str | None = None
    webhook_delivery_queue_url: str | None = None
    webhook_dead_letter_queue_url: str | None = None
    # Seconds to wait after each failed attempt, comma-separated: len + 1 attempts (tests: "0,0,0").
    webhook_retry_schedule: str = "60,300,900,1800,3600,7200,14400,28800,36000"
    webhook_pause_after_hours: float = Field(default=72, gt=0)
    # The local stack's receivers listen on 127.0.0.1; in production only https to public addresses.
    webhook_allow_loopback: bool = False
    # fulfillment, notifications, cancellations, returns and refunds
    mail_from: str | None = None  # the SES identity emails are sent from
    mail_configuration_set: str | None = None
    mail_directory: str | None = None  # local stack only: every email also written there as a file
    merchant_email: str | None = None  # where the merchant's notices go (paused webhooks, the daily report)
    fulfillment_state_machine_arn: str | None = None
    carrier_name: str = Field(default="simulated", pattern=r"^[a-z0-9-]{1,32}$")
    carrier_endpoint: str | None = None  # empty: the simulated carrier (local stack, trials)
    carrier_secret_arn: str | None = None
    location_countries: str = ""  # `wh-paris=FR,wh-berlin=DE`: where each stock location is, for proximity
    # pricing: the seller on every invoice, and the country a cart is priced for until it says
    seller_name: str = Field(default="Commerce demo shop", min_length=1)
    seller_address: str = ""
    seller_tax_id: str = ""
    default_country: str = Field(default="DE", pattern=r"^[A-Z]{2}$")
    reporting_currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")
    promotion_cache_seconds: int = Field(default=30, ge=0, le=3600)  # automatic promotions, per instance
    # analytics: the Firehose stream raw events go to (the analytics consumer only)
    raw_events_stream: str | None = None
    reports_bucket: str | None = None  # where the daily report job writes
    segment_lapsed_days: int = Field(default=180, gt=0)  # no order for this long: lapsed
    segment_high_value: int = Field(
        default=100_000, gt=0
    )  # lifetime value, minor units of the default currency
    # marketing: a cart untouched this long, with lines and an email, is abandoned
    abandoned_cart_after_minutes: int = Field(default=60, ge=0, le=60 * 24 * 30)
    # shipping connector: where labels are kept; how long the storefront waits for live rates
    labels_bucket: str | None = None
    carrier_rates_timeout_seconds: float = Field(default=2.0, gt=0, le=10)
    carrier_live_rates: bool = True  # false: the carrier cannot quote; the storefront shows zone rates only
    # What each Cognito group may do, as JSON (docs/security.md); empty: the documented default.
    staff_roles: RoleMap = Field(default_factory=lambda: parse_roles(""))

    @field_validator("staff_roles", mode="before")
    @classmethod
    def _roles(cls, value: object) -> object:
        return parse_roles(value) if isinstance(value, str) else value

    @field_validator(
        "order_state_machine_arn",
        "stripe_secret_arn",
        "stripe_api_base",
        "mail_from",
        "mail_configuration_set",
        "mail_directory",
        "merchant_email",
        "fulfillment_state_machine_arn",
        "carrier_endpoint",
        "carrier_secret_arn",
        "raw_events_stream",
        "reports_bucket",
        "labels_bucket",
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
    def seller(self) -> dict[str, str]:
        fields = {"name": self.seller_name, "address": self.seller_address, "tax_id": self.seller_tax_id}
        return {name: value for name, value in fields.items() if value}

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
