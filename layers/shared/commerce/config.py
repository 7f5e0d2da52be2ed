"""The environment, read one bounded context at a time.

A context's settings are parsed and validated the first time one of its factories asks for them, which is at
cold start (handlers build their use cases at module level); a missing or invalid variable then fails the
start, naming the variable. Every default lives in `template.yaml`: here a variable is either required, or
nullable when the template may pass it empty (an empty value means "none").
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Mapping
from datetime import timedelta
from typing import Any, TypeVar, cast, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from commerce.domain.currency import is_currency
from commerce.domain.permissions import RoleMap, parse_roles


class ConfigurationError(RuntimeError):
    """The function was deployed without a setting it needs."""


class Section(BaseModel):
    """A group of variables one context reads; each field is the lower-case name of its variable."""

    # Each section's validator is built when a function first reads it: one reads a few of the two dozen.
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, defer_build=True)

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object, info: ValidationInfo) -> object:
        # A template parameter left at its "" default arrives as an empty variable.
        nullable = type(None) in get_args(cls.model_fields[str(info.field_name)].annotation)
        return None if nullable and isinstance(value, str) and not value.strip() else value


class Shop(Section):
    """What every function reads: the table, the bus, the currencies and the default language."""

    table_name: str = Field(min_length=1)
    event_bus_name: str = Field(min_length=1)
    supported_currencies: tuple[str, ...]
    default_locale: str = Field(min_length=2)

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


class Access(Section):
    """What each Cognito group may do, as JSON (docs/security.md); empty: the documented default."""

    staff_roles: RoleMap

    @field_validator("staff_roles", mode="before")
    @classmethod
    def _roles(cls, value: object) -> object:
        return parse_roles(value) if isinstance(value, str) else value


class Pages(Section):
    """The key that signs page cursors."""

    cursor_secret_arn: str = Field(min_length=1)


class CartSettings(Section):
    cart_ttl_days: int = Field(gt=0, le=365)

    @property
    def cart_ttl(self) -> timedelta:
        return timedelta(days=self.cart_ttl_days)


class Pricing(Section):
    """The seller on every invoice, the country a cart is priced for until it says, automatic promotions."""

    seller_name: str = Field(min_length=1)
    seller_address: str
    seller_tax_id: str
    default_country: str = Field(pattern=r"^[A-Z]{2}$")
    promotion_cache_seconds: int = Field(ge=0, le=3600)  # per function instance

    @property
    def seller(self) -> dict[str, str]:
        fields = {"name": self.seller_name, "address": self.seller_address, "tax_id": self.seller_tax_id}
        return {name: value for name, value in fields.items() if value}


class Marketing(Section):
    """A cart untouched this long, with lines and an email, is abandoned."""

    abandoned_cart_after_minutes: int = Field(ge=0, le=60 * 24 * 30)


class CheckoutSettings(Section):
    idempotency_table_name: str = Field(min_length=1)
    order_state_machine_arn: str = Field(min_length=1)
    payment_timeout_seconds: int = Field(gt=0)


class Fraud(Section):
    fraud_review_amount: int = Field(ge=0)


class Stripe(Section):
    stripe_secret_arn: str = Field(min_length=1)
    stripe_api_base: str | None  # empty: Stripe itself


class CarrierSettings(Section):
    carrier_name: str = Field(pattern=r"^[a-z0-9-]{1,32}$")
    carrier_endpoint: str | None  # empty: the simulated carrier (local stack, trials)
    carrier_secret_arn: str = Field(min_length=1)
    carrier_rates_timeout_seconds: float = Field(gt=0, le=10)


class Shipping(Section):
    """Where each stock location is (`wh-paris=FR,wh-berlin=DE`), for shipping from the nearest."""

    location_countries: str


class LiveRateSettings(Section):
    carrier_live_rates: bool  # false: the carrier cannot quote; the storefront shows zone rates only


class FulfillmentSettings(Section):
    fulfillment_state_machine_arn: str = Field(min_length=1)


class Labels(Section):
    labels_bucket: str = Field(min_length=1)


class Mail(Section):
    mail_from: str | None  # the SES identity emails are sent from
    mail_configuration_set: str | None


class MailCopies(Section):
    """The local stack only: every email also written to this directory as a file."""

    mail_directory: str | None = None  # absent in AWS


class MerchantNotices(Section):
    merchant_email: str | None  # empty: notices are logged only


class WebhookQueue(Section):
    webhook_delivery_queue_url: str = Field(min_length=1)


class WebhookSecrets(Section):
    data_key_arn: str = Field(min_length=1)
    # The local stack's receivers listen on 127.0.0.1; in production only https to public addresses.
    webhook_allow_loopback: bool


class WebhookDeadLetters(Section):
    webhook_dead_letter_queue_url: str = Field(min_length=1)


class WebhookRetries(Section):
    webhook_dead_letter_queue_url: str = Field(min_length=1)
    # Seconds to wait after each failed attempt, comma-separated: len + 1 attempts (tests: "0,0,0").
    webhook_retry_schedule: str = Field(min_length=1)
    webhook_pause_after_hours: float = Field(gt=0)


class RawEvents(Section):
    raw_events_stream: str = Field(min_length=1)  # the Firehose stream raw events go to


class Reporting(Section):
    reporting_currency: str = Field(pattern=r"^[A-Z]{3}$")


class ReportFiles(Section):
    reports_bucket: str = Field(min_length=1)  # where the daily report job writes


class SegmentSettings(Section):
    segment_lapsed_days: int = Field(gt=0)  # no order for this long: lapsed
    segment_high_value: int = Field(gt=0)  # lifetime value, minor units of the default currency


SECTIONS: tuple[type[Section], ...] = tuple(Section.__subclasses__())
S = TypeVar("S", bound=Section)
T = TypeVar("T")


def read_section(model: type[S], environ: Mapping[str, str]) -> S:
    """The model's variables from the environment, or a ConfigurationError naming each one that is wrong."""
    fields = {name: environ[name.upper()] for name in model.model_fields if name.upper() in environ}
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        problems = "; ".join(
            f"{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in error.errors()
        )
        raise ConfigurationError(f"invalid or missing environment variables: {problems}") from error


class Settings:
    """A function's environment: each section parsed when first read, then kept for the process."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = dict(environ)
        self._sections: dict[type[Section], Section] = {}
        self._kept: dict[Hashable, Any] = {}

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        return cls(os.environ if environ is None else environ)

    def section(self, model: type[S]) -> S:
        if model not in self._sections:
            self._sections[model] = read_section(model, self._environ)
        return cast(S, self._sections[model])

    def kept(self, key: Hashable, build: Callable[[], T]) -> T:
        """What is built from these settings once per process (the adapters), kept as long as they are."""
        if key not in self._kept:
            self._kept[key] = build()
        value: T = self._kept[key]
        return value

    @property
    def shop(self) -> Shop:
        return self.section(Shop)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        # The flat names handlers and tests read (`settings.table_name`, `settings.staff_roles`), each
        # through the section that declares it.
        for model in SECTIONS:
            if name in model.model_fields or isinstance(getattr(model, name, None), property):
                return getattr(self.section(model), name)
        raise AttributeError(f"{type(self).__name__} has no setting {name!r}")
