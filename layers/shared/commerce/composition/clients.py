"""One boto3 client per AWS service, kept for the life of the process. DynamoDB's is made with the container,
since nearly every request reads the table; any other service's is made on its first call, so that a
function pays for EventBridge, Step Functions, SES or S3 only on the requests that use them."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import boto3
from botocore.config import Config

AWS_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 4},
    connect_timeout=2,
    read_timeout=5,
    tcp_keepalive=True,
)
# Behaviour events go out with a short timeout and no retry of the call: a browse request waits at most about
# a second for analytics, and a refusal is logged and counted, never the shopper's error.
BEHAVIOUR_CONFIG = Config(retries={"mode": "standard", "max_attempts": 1}, connect_timeout=1, read_timeout=1)


def dynamodb_client() -> Any:
    return boto3.client("dynamodb", config=AWS_CONFIG)


class LazyClient:
    """Stands for a boto3 client and makes it on the first attribute asked of it (a call, `exceptions`)."""

    def __init__(self, service: str, config: Config = AWS_CONFIG) -> None:
        self.service, self._config = service, config

    @cached_property
    def client(self) -> Any:
        return boto3.client(self.service, config=self._config)  # type: ignore[call-overload]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)


class Clients:
    """The clients one process uses; a test may hand in its own DynamoDB client."""

    def __init__(self, dynamodb: Any = None) -> None:
        self._made: dict[str, Any] = {} if dynamodb is None else {"dynamodb": dynamodb}

    def __call__(self, service: str) -> Any:
        if service not in self._made:
            self._made[service] = dynamodb_client() if service == "dynamodb" else LazyClient(service)
        return self._made[service]

    def made(self, service: str) -> Any:
        """The client, made now: for a function whose every invocation calls that service, the cost is
        init's, not its first request's."""
        found = self(service)
        if isinstance(found, LazyClient):
            _ = found.client
        return found

    @property
    def dynamodb(self) -> Any:
        return self("dynamodb")

    @property
    def activity_events(self) -> Any:
        """EventBridge for shopper activity events, which must never hold up a shopper's request."""
        if "activity_events" not in self._made:
            self._made["activity_events"] = LazyClient("events", BEHAVIOUR_CONFIG)
        return self._made["activity_events"]
