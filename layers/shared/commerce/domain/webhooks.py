"""Outbound webhooks: subscriptions, deliveries and their attempts, the signature, the retry schedule and
which targets may be called. Pure: the HTTP call, the DNS lookup and the storage are ports."""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from commerce.domain.addresses import ip_literal, refusal
from commerce.domain.errors import ValidationFailed

ALL_EVENTS = "*"
SIGNATURE_HEADER = "Commerce-Signature"
EVENT_ID_HEADER = "Commerce-Event-Id"
EVENT_TYPE_HEADER = "Commerce-Event-Type"
DELIVERY_ID_HEADER = "Commerce-Delivery-Id"
EXCERPT_CHARS = 256
_EVENT_TYPE = re.compile(r"^[A-Z][A-Za-z0-9]{1,99}$")
_DELIVERY_IDS = uuid.UUID("0b7c9e0e-8c55-4f55-9f0c-6d2b3e1f4a21")

# About 26 hours in 10 attempts: the first try, then these waits (seconds) before each next one.
# Names that are this machine by definition (RFC 6761), whatever DNS says.
_LOOPBACK_NAMES = ("localhost", ".localhost")

DEFAULT_RETRY_DELAYS: tuple[int, ...] = (60, 300, 900, 1800, 3600, 7200, 14400, 28800, 36000)


class SubscriptionStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # queued or waiting for its next attempt
    DELIVERED = "delivered"  # a 2xx
    FAILED = "failed"  # a 4xx that retrying cannot fix, or every attempt spent: in the dead-letter queue


class Outcome(StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"
    GIVE_UP = "give_up"


@dataclass(frozen=True, slots=True)
class Subscription:
    id: str
    url: str
    event_types: tuple[str, ...]
    secret_ciphertext: bytes
    created_at: datetime
    description: str = ""
    status: SubscriptionStatus = SubscriptionStatus.ACTIVE
    # Set when a delivery ended in the dead-letter queue; cleared on resume.
    flagged: bool = False
    # The first failed attempt since the last success: the subscription "fails for days" from here.
    failing_since: datetime | None = None
    paused_reason: str | None = None
    version: int = 0
    # A connector's subscription (docs/integrations.md) receives the documents its connector makes of the
    # events it consumes (an invoice, a ticket), never the raw events; `settings` are that connector's.
    connector: str | None = None
    settings: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_active(self) -> bool:
        return self.status is SubscriptionStatus.ACTIVE

    def wants(self, event_type: str) -> bool:
        """Whether the raw event goes to it (a connector is fed its documents by the connectors function)."""
        if self.connector is not None:
            return False
        return ALL_EVENTS in self.event_types or event_type in self.event_types

    def paused(self, reason: str) -> Subscription:
        return replace(self, status=SubscriptionStatus.PAUSED, paused_reason=reason)

    def resumed(self) -> Subscription:
        return replace(
            self, status=SubscriptionStatus.ACTIVE, paused_reason=None, flagged=False, failing_since=None
        )


@dataclass(frozen=True, slots=True)
class Attempt:
    number: int
    at: datetime
    status_code: int | None  # None: no answer (refused target, timeout, connection error)
    latency_ms: int
    excerpt: str = ""  # the start of the answer's body, or why there was none

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass(frozen=True, slots=True)
class Delivery:
    """One event for one subscription. The body is kept as sent, so a replay sends exactly that event."""

    id: str
    subscription_id: str
    event_id: str
    event_type: str
    body: str
    created_at: datetime
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: tuple[Attempt, ...] = field(default_factory=tuple)
    # Set once its first attempt is on the queue: a repeated fan-out queues only a delivery never queued
    # (its first fan-out stopped between storing and queueing it).
    queued: bool = False
    content_type: str = "application/json"  # a connector's CSV document is text/csv


def delivery_id(event_id: str, subscription_id: str) -> str:
    """Derived from the event and the subscription: a repeated fan-out finds the delivery it made before."""
    return "whd_" + uuid.uuid5(_DELIVERY_IDS, f"{event_id}:{subscription_id}").hex


def new_subscription_id() -> str:
    return "whs_" + uuid.uuid4().hex


def event_types(values: Iterable[str]) -> tuple[str, ...]:
    """The event types a subscription asks for: detail types such as OrderPaid, or "*" for every one."""
    chosen = tuple(dict.fromkeys(v.strip() for v in values))
    if not chosen:
        raise ValidationFailed('name at least one event type, or "*" for all of them')
    bad = [v for v in chosen if v != ALL_EVENTS and not _EVENT_TYPE.match(v)]
    if bad:
        raise ValidationFailed(f"not event types: {', '.join(bad)}")
    return chosen


# signing
def signature_header(secret: str, timestamp: int, body: str) -> str:
    """`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`; docs/webhooks.md shows the receiver's side."""
    mac = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


# retries
@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """delays[i] is the wait after attempt i+1 fails; len(delays) + 1 attempts in all."""

    delays: tuple[int, ...] = DEFAULT_RETRY_DELAYS
    # A subscription whose deliveries have failed (with no success between) for this long is paused.
    pause_after: timedelta = timedelta(days=3)

    @property
    def attempts(self) -> int:
        return len(self.delays) + 1

    def delay_after(self, attempt: int) -> int:
        return self.delays[attempt - 1]

    @classmethod
    def parse(cls, schedule: str, pause_after_hours: float = 72) -> RetryPolicy:
        try:
            delays = tuple(int(part) for part in schedule.split(",") if part.strip())
        except ValueError:
            raise ValueError(f"a retry schedule is seconds separated by commas, not {schedule!r}") from None
        if any(d < 0 for d in delays):
            raise ValueError("retry delays are not negative")
        return cls(delays=delays, pause_after=timedelta(hours=pause_after_hours))


def outcome(status_code: int | None, attempt: int, policy: RetryPolicy) -> Outcome:
    """2xx delivered; a 4xx other than 408 and 429 is the receiver refusing it for good; the rest is retried
    while attempts remain."""
    if status_code is not None and 200 <= status_code < 300:
        return Outcome.DELIVERED
    permanent = status_code is not None and 400 <= status_code < 500 and status_code not in (408, 429)
    if permanent or attempt >= policy.attempts:
        return Outcome.GIVE_UP
    return Outcome.RETRY


# targets (SSRF)
@dataclass(frozen=True, slots=True)
class TargetPolicy:
    """Production: https to public addresses only (domain/addresses.py decides what is public, for a URL's
    literal host when it is saved and for every address its name resolves to at each delivery). The local
    stack (`allow_loopback`) also allows http, and loopback addresses (127.0.0.0/8, ::1 themselves) for its
    receivers: nothing private, link-local or shared even then."""

    allow_loopback: bool = False

    def check_url(self, url: str) -> None:
        """At creation and update, and again before each delivery: the URL's form and its literal host."""
        parts = urlsplit(url)
        try:
            host = parts.hostname
            parts.port  # noqa: B018 - an out-of-range port raises here
        except ValueError as error:
            raise ValidationFailed("a webhook URL is https://host/...") from error
        if parts.scheme not in ("https", "http") or not host:
            raise ValidationFailed("a webhook URL is https://host/...")
        if parts.username is not None or parts.password is not None:
            raise ValidationFailed("a webhook URL carries no credentials")
        if parts.scheme != "https" and not self.allow_loopback:
            raise ValidationFailed("a webhook URL is https://host/...")
        literal = ip_literal(host)
        if literal is not None:
            self.check_addresses([host])
        elif host.rstrip(".").endswith(_LOOPBACK_NAMES) and not self.allow_loopback:
            raise ValidationFailed(f"the webhook's host {host} is this machine")

    def check_addresses(self, addresses: Sequence[str]) -> None:
        """Every address the name resolves to must be allowed, or none is called."""
        if not addresses:
            raise ValidationFailed("the webhook's host name does not resolve")
        for text in addresses:
            address = ip_literal(text)
            if address is None:
                raise ValidationFailed(
                    f"the webhook's host resolves to something not an address ({text[:64]})"
                )
            if self.allow_loopback and address.is_loopback:
                continue
            reason = refusal(address)
            if reason is not None:
                raise ValidationFailed(f"the webhook's host is {reason}")
