"""A signed-in customer's profile and address book, keyed by the identity provider's `sub`."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from commerce.domain import countries
from commerce.domain import locale as locales
from commerce.domain.errors import LimitExceeded, ValidationFailed

MAX_ADDRESSES = 20
MAX_EMAIL_LENGTH = 254
MAX_NAME_LENGTH = 200

_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ().-]{2,24}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class Keep(enum.Enum):
    """Marks a field a change leaves as it is (None means: clear it)."""

    KEEP = "keep"


KEEP = Keep.KEEP


def _text(raw: str | None, name: str, max_length: int, required: bool = False) -> str | None:
    """Trimmed text without control characters; the error names the field, never the value."""
    text = (raw or "").strip()
    if not text:
        if required:
            raise ValidationFailed(f"{name} is required", field=name)
        return None
    if len(text) > max_length:
        raise ValidationFailed(f"{name} is longer than {max_length} characters", field=name)
    if _CONTROL.search(text):
        raise ValidationFailed(f"{name} holds control characters", field=name)
    return text


def email_address(raw: str) -> str:
    """The address trimmed, its domain lower-cased (the local part is the mailbox owner's to case)."""
    text = raw.strip()
    if len(text) > MAX_EMAIL_LENGTH or not _EMAIL.match(text):
        raise ValidationFailed("email is not an email address", field="email")
    local, _, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def locale_tag(raw: str) -> str:
    tag = locales.normalize(raw)
    if tag is None or len(tag) > 35:
        raise ValidationFailed("locale must be a BCP 47 language tag, such as fr-CA", field="locale")
    return tag


def phone_number(raw: str | None) -> str | None:
    text = (raw or "").strip()
    if not text:
        return None
    digits = sum(ch.isdigit() for ch in text)
    if not _PHONE.match(text) or not 4 <= digits <= 15:
        raise ValidationFailed(
            "phone must be digits with an optional leading +, at most 15 digits", field="phone"
        )
    return text


@dataclass(frozen=True, slots=True)
class Consent:
    """Whether the customer agreed to marketing, and when they last gave or withdrew it (None: never)."""

    granted: bool = False
    changed_at: datetime | None = None

    def set(self, granted: bool, now: datetime) -> Consent:
        """A change records the time of the change; repeating the current answer keeps the old time."""
        return self if granted == self.granted else Consent(granted, now)


@dataclass(frozen=True, slots=True)
class ProfileChanges:
    """What the customer asked to change; KEEP leaves a field alone. Values are raw until `apply`."""

    email: str | Keep = KEEP
    name: str | Keep | None = KEEP
    locale: str | Keep | None = KEEP
    currency: str | Keep | None = KEEP
    marketing_consent: bool | Keep = KEEP


@dataclass(frozen=True, slots=True)
class Profile:
    customer_id: str
    email: str | None
    created_at: datetime
    updated_at: datetime
    name: str | None = None
    locale: str | None = None
    currency: str | None = None
    marketing_consent: Consent = field(default_factory=Consent)
    default_shipping_address_id: str | None = None
    default_billing_address_id: str | None = None
    version: int = 0

    @classmethod
    def new(cls, customer_id: str, email: str | None, now: datetime) -> Profile:
        """The profile of a first sign-in, from the token's email (kept only if it looks like one)."""
        try:
            checked = email_address(email) if email else None
        except ValidationFailed:
            checked = None
        return cls(customer_id=customer_id, email=checked, created_at=now, updated_at=now)

    def changed(self, changes: ProfileChanges, now: datetime) -> Profile:
        """The profile with the changes validated and applied; currency is checked by the caller
        against the shop's currencies, here only its shape."""
        updated = self
        if not isinstance(changes.email, Keep):
            updated = replace(updated, email=email_address(changes.email))
        if not isinstance(changes.name, Keep):
            updated = replace(updated, name=_text(changes.name, "name", MAX_NAME_LENGTH))
        if not isinstance(changes.locale, Keep):
            updated = replace(updated, locale=locale_tag(changes.locale) if changes.locale else None)
        if not isinstance(changes.currency, Keep):
            updated = replace(updated, currency=changes.currency or None)
        if not isinstance(changes.marketing_consent, Keep):
            updated = replace(
                updated, marketing_consent=self.marketing_consent.set(changes.marketing_consent, now)
            )
        return updated._touched(now) if updated != self else self

    def with_default_addresses(
        self, shipping: str | Keep | None = KEEP, billing: str | Keep | None = KEEP, *, now: datetime
    ) -> Profile:
        updated = self
        if not isinstance(shipping, Keep):
            updated = replace(updated, default_shipping_address_id=shipping)
        if not isinstance(billing, Keep):
            updated = replace(updated, default_billing_address_id=billing)
        return updated._touched(now) if updated != self else self

    def without_address(self, address_id: str, now: datetime) -> Profile:
        """Clears the defaults that pointed at a deleted address."""
        return self.with_default_addresses(
            None if self.default_shipping_address_id == address_id else KEEP,
            None if self.default_billing_address_id == address_id else KEEP,
            now=now,
        )

    def _touched(self, now: datetime) -> Profile:
        return replace(self, updated_at=now, version=self.version + 1)


@dataclass(frozen=True, slots=True)
class AddressInput:
    """An address as the customer typed it, before it is checked."""

    recipient_name: str
    line1: str
    city: str
    country: str
    postal_code: str | None = None
    line2: str | None = None
    region: str | None = None
    label: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class Address:
    id: str
    recipient_name: str
    line1: str
    city: str
    country: str
    created_at: datetime
    updated_at: datetime
    postal_code: str | None = None
    line2: str | None = None
    region: str | None = None
    label: str | None = None
    phone: str | None = None

    @classmethod
    def of(cls, address_id: str, given: AddressInput, created_at: datetime, updated_at: datetime) -> Address:
        """The address checked against its country's rules and written the way its post office writes it."""
        country = countries.country_code(given.country)
        return cls(
            id=address_id,
            recipient_name=_text(given.recipient_name, "recipient_name", MAX_NAME_LENGTH, required=True)
            or "",
            line1=_text(given.line1, "line1", 200, required=True) or "",
            line2=_text(given.line2, "line2", 200),
            city=_text(given.city, "city", 100, required=True) or "",
            region=countries.region_code(country, _text(given.region, "region", 100)),
            postal_code=countries.postal_code(country, given.postal_code),
            country=country,
            label=_text(given.label, "label", 50),
            phone=phone_number(given.phone),
            created_at=created_at,
            updated_at=updated_at,
        )


def check_room_for_address(existing: int) -> None:
    if existing >= MAX_ADDRESSES:
        raise LimitExceeded(
            f"an address book holds at most {MAX_ADDRESSES} addresses", max_addresses=MAX_ADDRESSES
        )
