"""The mailer, the sent-email record and the merchant's notices in memory."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from commerce.domain.errors import DependencyFailed
from commerce.domain.notifications import Email


class InMemoryMailer:
    def __init__(self) -> None:
        self.sent: list[Email] = []
        self.fail_for: set[str] = set()  # recipients whose email the provider refuses

    def send(self, email: Email) -> str:
        if email.to in self.fail_for:
            raise DependencyFailed("the mail provider refused the email")
        self.sent.append(email)
        return f"msg-{len(self.sent)}"


class InMemorySentEmails:
    def __init__(self) -> None:
        self.keys: dict[str, str] = {}

    def claim(self, idempotency_key: str, order_id: str) -> bool:
        if idempotency_key in self.keys:
            return False
        self.keys[idempotency_key] = order_id
        return True

    def release(self, idempotency_key: str) -> None:
        self.keys.pop(idempotency_key, None)


@dataclass
class InMemoryMerchantNotifier:
    sent: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)

    def notify(self, subject: str, message: str, facts: Mapping[str, str] | None = None) -> None:
        self.sent.append((subject, message, dict(facts or {})))
