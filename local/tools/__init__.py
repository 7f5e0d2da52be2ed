"""Developer tools that work on the repository or on a running local stack; none of them is the stack."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import boto3

REPO = Path(__file__).resolve().parents[2]
ENDPOINTS_FILE = REPO / ".local" / "endpoints.json"
SHARED_LAYER = REPO / "layers" / "shared"


def use_shared_layer() -> None:
    """Put the shared layer on the path: the venv does not install it, and `python -m` runs without it."""
    if str(SHARED_LAYER) not in sys.path:
        sys.path.insert(0, str(SHARED_LAYER))


def local_client(service: str, aws_url: str) -> Any:
    """A boto3 client for the running local stack's moto server, with moto's dummy credentials."""
    return boto3.client(
        service,
        endpoint_url=aws_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - moto's dummy credentials
    )
