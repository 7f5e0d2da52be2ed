"""Emails the buyer about their order, once per event and template, in their language."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from commerce.domain import locale as locales
from commerce.domain.errors import ValidationFailed
from commerce.domain.notifications import Email, EmailFacts, EmailKind, email_kind, email_locale, render
from commerce.domain.ports import CatalogRepository, CustomerRepository, Mailer, OrderRepository, SentEmails

logger = logging.getLogger(__name__)


class Notifications:
    def __init__(
        self,
        orders: OrderRepository,
        customers: CustomerRepository,
        mailer: Mailer,
        sent: SentEmails,
        default_locale: str,
        catalog: CatalogRepository | None = None,
    ) -> None:
        self._orders, self._customers, self._mailer, self._sent = orders, customers, mailer, sent
        self._default_locale = default_locale
        self._catalog = catalog

    def handle(self, envelope: Mapping[str, Any]) -> str | None:
        """Sends the email the event calls for; the message id, or None when nothing was (or is) to send.
        ValidationFailed for an envelope that is not one (the message goes to the dead-letter queue)."""
        try:
            event_id, event_type = str(envelope["event_id"]), str(envelope["type"])
            data: Mapping[str, Any] = envelope["data"]
            if event_type == "BackInStock":
                return self._back_in_stock(event_id, str(data["sku"]), data)
            order_id = str(data["order_id"])
        except (KeyError, TypeError) as error:
            raise ValidationFailed(f"not a domain event envelope: missing {error}") from error
        kind = email_kind(event_type, data)
        if kind is None:
            return None
        order = self._orders.get(order_id)
        if order is None:
            # Erased or never existed: nobody to write to, and retrying will not change that.
            logger.warning("no order for the event", extra={"event_id": event_id, "type": event_type})
            return None
        profile = self._customers.get_profile(order.customer_id) if order.customer_id else None
        locale = email_locale(
            profile.locale if profile else None, order.shipping_address.get("country"), self._default_locale
        )
        facts = EmailFacts(
            order_id=order.id,
            currency=order.currency,
            total=order.totals.total.amount,
            amount=int(data.get("amount", data.get("refunded", data.get("amount_refunded", 0))) or 0),
            reason=str(data.get("reason") or ""),
            carrier=str(data.get("carrier") or ""),
            tracking_number=str(data.get("tracking_number") or ""),
            tracking_url=str(data.get("tracking_url") or ""),
        )
        email = render(kind, order.email, locale, facts, event_id)
        message_id = self._send_once(email, order.id)
        if message_id is not None:
            logger.info(
                "email sent",
                extra={"order_id": order.id, "kind": kind.value, "language": email.language},
            )
        return message_id

    def _back_in_stock(self, event_id: str, sku: str, data: Mapping[str, Any]) -> str | None:
        """The shopper who asked is told, in their profile's language (else the one they asked in, else the
        shop's), with the product's name in it."""
        customer_id = data.get("customer_id")
        profile = self._customers.get_profile(str(customer_id)) if customer_id else None
        asked_in = str(data.get("locale") or "") or None
        locale = email_locale(profile.locale if profile else asked_in, None, self._default_locale)
        record = self._catalog.get_skus([sku]).get(sku) if self._catalog else None
        product = (locales.pick(record.names, locale, self._default_locale) if record else None) or sku
        facts = EmailFacts(order_id="", currency="EUR", total=0, sku=sku, product=product)
        email = render(EmailKind.BACK_IN_STOCK, str(data["email"]), locale, facts, event_id)
        message_id = self._send_once(email, f"SKU#{sku}")
        if message_id is not None:
            logger.info(
                "email sent", extra={"sku": sku, "kind": email.kind.value, "language": email.language}
            )
        return message_id

    def _send_once(self, email: Email, about: str) -> str | None:
        """Sends it unless it was sent (or is being sent); a failed send is released for the retry."""
        if not self._sent.claim(email.idempotency_key, about):
            logger.info("email already sent", extra={"key": email.idempotency_key})
            return None
        try:
            return self._mailer.send(email)
        except Exception:
            self._sent.release(email.idempotency_key)
            raise
