"""Emails through Amazon SES (v2), in the template's configuration set; locally also as files."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from commerce.domain.errors import DependencyFailed
from commerce.domain.notifications import Email

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


class SesMailer:
    def __init__(self, client: Any, sender: str, configuration_set: str | None) -> None:
        self._client, self._sender, self._configuration_set = client, sender, configuration_set

    def send(self, email: Email) -> str:
        request: dict[str, Any] = {
            "FromEmailAddress": self._sender,
            "Destination": {"ToAddresses": [email.to]},
            "Content": {
                "Simple": {
                    "Subject": {"Data": email.subject, "Charset": "UTF-8"},
                    "Body": {"Text": {"Data": email.body, "Charset": "UTF-8"}},
                }
            },
            "EmailTags": [{"Name": "template", "Value": email.kind.value}],
        }
        if self._configuration_set:
            request["ConfigurationSetName"] = self._configuration_set
        try:
            return str(self._client.send_email(**request)["MessageId"])
        except (ClientError, BotoCoreError) as error:
            raise DependencyFailed(f"SES did not send the email: {error}") from error


class MailDirectory:
    """Writes each email as one file (headers, blank line, body): the local stack's outbox to read."""

    def __init__(self, directory: Path, sender: str) -> None:
        self._directory, self._sender = directory, sender

    def send(self, email: Email) -> str:
        self._directory.mkdir(parents=True, exist_ok=True)
        now = datetime.now(UTC)
        name = f"{now.strftime('%Y%m%dT%H%M%S%f')}-{_UNSAFE.sub('_', email.idempotency_key)}.eml"
        headers = {
            "From": self._sender,
            "To": email.to,
            "Subject": email.subject,
            "Date": now.isoformat(),
            "Content-Language": email.language,
            "X-Template": email.kind.value,
            "X-Idempotency-Key": email.idempotency_key,
        }
        text = "".join(f"{k}: {v}\n" for k, v in headers.items()) + "\n" + email.body + "\n"
        (self._directory / name).write_text(text, encoding="utf-8")
        return name


class AllMailers:
    """Sends through each mailer in turn (SES, then the local mail directory); the first one's id."""

    def __init__(self, mailers: Sequence[Any]) -> None:
        self._mailers = list(mailers)

    def send(self, email: Email) -> str:
        ids = [mailer.send(email) for mailer in self._mailers]
        return str(ids[0])
