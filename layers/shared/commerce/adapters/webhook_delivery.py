"""The dispatcher's outside world: the delivery queue (SQS), the subscription secrets (KMS), the HTTP call to
a checked address, and the merchant notifier (a log line until the email adapter lands)."""

from __future__ import annotations

import http.client
import json
import logging
import socket
import ssl
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from botocore.exceptions import ClientError

from commerce.adapters.dynamodb.errors import raise_refusal
from commerce.domain.errors import ValidationFailed
from commerce.domain.webhook_ports import DeliveryJob, HttpAnswer
from commerce.domain.webhooks import EXCERPT_CHARS, TargetPolicy

logger = logging.getLogger(__name__)

_THROTTLED = {"ThrottlingException", "RequestThrottled", "KMSInvalidStateException"}
TIMEOUT_SECONDS = 10.0
MAX_READ = 4096


class SqsDeliveryQueue:
    def __init__(self, client: Any, queue_url: str, dead_letter_url: str) -> None:
        self._client = client
        self._url = queue_url
        self._dead = dead_letter_url

    def enqueue(self, job: DeliveryJob, delay_seconds: int = 0) -> None:
        try:
            self._client.send_message(
                QueueUrl=self._url, MessageBody=job.to_json(), DelaySeconds=delay_seconds
            )
        except ClientError as error:
            raise_refusal(error, "SQS", _THROTTLED)

    def dead_letter(self, job: DeliveryJob, reason: str) -> None:
        body = {**json.loads(job.to_json()), "reason": reason[:EXCERPT_CHARS]}
        try:
            self._client.send_message(QueueUrl=self._dead, MessageBody=json.dumps(body))
        except ClientError as error:
            raise_refusal(error, "SQS", _THROTTLED)


class SqsDeadLetters:
    """The webhook deliveries waiting in the dead-letter queue, as SQS counts them (approximately)."""

    def __init__(self, client: Any, queue_url: str) -> None:
        self._client, self._url = client, queue_url

    def waiting(self) -> int:
        try:
            answer = self._client.get_queue_attributes(
                QueueUrl=self._url, AttributeNames=["ApproximateNumberOfMessages"]
            )
        except ClientError as error:
            raise_refusal(error, "SQS", _THROTTLED)
        return int(answer.get("Attributes", {}).get("ApproximateNumberOfMessages", 0))


class KmsSecretBox:
    """Each secret encrypted under the stack's DataKey, bound to its subscription by the encryption context:
    a ciphertext copied onto another subscription does not decrypt."""

    def __init__(self, client: Any, key_id: str) -> None:
        self._client = client
        self._key = key_id
        self._opened: dict[tuple[str, bytes], str] = {}

    def seal(self, subscription_id: str, secret: str) -> bytes:
        try:
            answer = self._client.encrypt(
                KeyId=self._key,
                Plaintext=secret.encode(),
                EncryptionContext={"webhook_subscription": subscription_id},
            )
        except ClientError as error:
            raise_refusal(error, "KMS", _THROTTLED)
        return bytes(answer["CiphertextBlob"])

    def open(self, subscription_id: str, sealed: bytes) -> str:
        cached = self._opened.get((subscription_id, sealed))
        if cached is not None:
            return cached
        try:
            answer = self._client.decrypt(
                KeyId=self._key,
                CiphertextBlob=sealed,
                EncryptionContext={"webhook_subscription": subscription_id},
            )
        except ClientError as error:
            raise_refusal(error, "KMS", _THROTTLED)
        secret = bytes(answer["Plaintext"]).decode()
        self._opened[(subscription_id, sealed)] = secret  # per warm container, like Parameters' cache
        return secret


Resolver = Callable[[str, int], Sequence[str]]


def resolve(host: str, port: int) -> list[str]:
    """Every address the name has now (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class _PinnedHttp(http.client.HTTPConnection):
    """Connects to the address that was checked, not to whatever the name resolves to a moment later."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHttps(http.client.HTTPSConnection):
    """TLS to the checked address, with the certificate verified against the URL's host name (SNI too)."""

    def __init__(self, host: str, port: int, address: str, timeout: float, context: ssl.SSLContext) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self._address = address
        self._tls = context

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


class HttpWebhookSender:
    """Resolve, check every address, then connect to a checked one: a name that answers a public address to
    the check and 169.254.169.254 to the connection (DNS rebinding) never reaches the second."""

    def __init__(
        self,
        targets: TargetPolicy,
        resolver: Resolver = resolve,
        timeout: float = TIMEOUT_SECONDS,
        context: ssl.SSLContext | None = None,
    ) -> None:
        self._targets = targets
        self._resolve = resolver
        self._timeout = timeout
        self._context = context or ssl.create_default_context()

    def post(self, url: str, headers: Mapping[str, str], body: str) -> HttpAnswer:
        started = time.monotonic()
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            self._targets.check_url(url)
            addresses = self._resolve(host, port)
            self._targets.check_addresses(addresses)
        except (ValidationFailed, OSError, ValueError) as refusal:
            return HttpAnswer(None, _since(started), f"refused: {refusal}"[:EXCERPT_CHARS], refused=True)
        connection: http.client.HTTPConnection = (
            _PinnedHttps(host, port, addresses[0], self._timeout, self._context)
            if parts.scheme == "https"
            else _PinnedHttp(host, port, addresses[0], self._timeout)
        )
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        try:
            connection.request("POST", path, body=body.encode(), headers=dict(headers))
            response = connection.getresponse()
            excerpt = response.read(MAX_READ).decode("utf-8", "replace")[:EXCERPT_CHARS]
            return HttpAnswer(response.status, _since(started), excerpt)
        except (OSError, http.client.HTTPException) as error:
            return HttpAnswer(None, _since(started), f"{type(error).__name__}: {error}"[:EXCERPT_CHARS])
        finally:
            connection.close()


def _since(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
