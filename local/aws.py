"""boto3 clients for the active endpoint: moto in-process (mock_aws) or a moto server (AWS_ENDPOINT_URL)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
DUMMY_CREDENTIALS = {
    "AWS_DEFAULT_REGION": REGION,
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
}


def client(service: str) -> Any:
    """A client in the local region; the endpoint and credentials come from the environment."""
    return boto3.client(service, region_name=REGION)  # type: ignore[call-overload]


@contextmanager
def offline_defaults() -> Iterator[None]:
    """Region and dummy credentials where none are set, so nothing reaches out to find them."""
    missing = {key: value for key, value in DUMMY_CREDENTIALS.items() if key not in os.environ}
    os.environ.update(missing)
    try:
        yield
    finally:
        for key in missing:
            os.environ.pop(key, None)
