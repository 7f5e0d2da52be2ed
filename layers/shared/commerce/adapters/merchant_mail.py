"""The merchant's notices (a webhook subscription paused for failing, the daily report's summary) by email
to `MERCHANT_EMAIL` through the same mailer as the buyers' emails, and always as a log line. A notice is
best effort: its durable record is elsewhere (the `WebhookSubscriptionPaused` event, the report in S3), so a
mail that fails is logged as an error and does not fail the work that caused it."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping

from commerce.domain.errors import DependencyFailed
from commerce.domain.notifications import Email, EmailKind
from commerce.domain.ports import Mailer

logger = logging.getLogger(__name__)


class MailToMerchant:
    def __init__(self, mailer: Mailer | None, to: str | None) -> None:
        self._mailer = mailer if to else None
        self._to = to or ""

    def notify(self, subject: str, message: str, facts: Mapping[str, str] | None = None) -> None:
        details = "".join(f"\n{key}: {value}" for key, value in (facts or {}).items())
        body = message + ("\n" + details if details else "")
        logger.warning("merchant notified", extra={"subject": subject, "notice": message, **(facts or {})})
        if self._mailer is None:
            return
        key = "merchant-" + hashlib.sha256(f"{subject}\n{body}".encode()).hexdigest()[:32]
        try:
            self._mailer.send(Email(self._to, subject, body, "en", EmailKind.MERCHANT_NOTICE, key))
        except DependencyFailed as error:
            logger.error("merchant notice not mailed", extra={"subject": subject, "error": str(error)})
