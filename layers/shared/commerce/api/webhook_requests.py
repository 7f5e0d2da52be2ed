"""What every public webhook endpoint does with a request before it reads a byte of it as data: its size,
its encoding, then (in the endpoint) its signature. Each refusal is a 4xx problem: these routes are open to
anyone, and an answer of 500 would let anyone set off the error alarms."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from aws_lambda_powertools.event_handler.api_gateway import BaseRouter

from commerce.domain.errors import PayloadTooLarge, UnreadableBody

# Far above any provider's event (a Stripe event, a carrier's tracking update: a few kilobytes), far below
# API Gateway's 10 MB: what a signature check would otherwise hash, and the handler hold in memory.
WEBHOOK_MAX_BYTES = 256 * 1024
_IDENTITY = ("", "identity")


def webhook_body(app: BaseRouter, limit: int = WEBHOOK_MAX_BYTES) -> bytes:
    """The bytes the sender signed: not compressed, at most `limit`, API Gateway's base64 undone."""
    event = app.current_event
    encoding = (event.headers.get("content-encoding") or "").strip().lower()
    if encoding not in _IDENTITY:
        raise UnreadableBody(f"a webhook body is sent as is, not with Content-Encoding {encoding[:32]}")
    body = event.body or ""
    if event.is_base64_encoded:
        if len(body) > (limit + 2) // 3 * 4:  # the size is refused before anything is decoded
            raise _too_large(limit)
        try:
            raw = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError) as error:
            raise UnreadableBody("the body is not valid base64") from error
    else:
        if len(body) > limit:
            raise _too_large(limit)
        try:
            raw = body.encode("utf-8")
        except UnicodeEncodeError as error:  # a lone surrogate: not text anyone could have signed
            raise UnreadableBody("the body is not UTF-8 text") from error
    if len(raw) > limit:
        raise _too_large(limit)
    return raw


def signed_json(raw: bytes) -> Any:
    """A body whose signature was checked, read as UTF-8 JSON; 400 if it is not."""
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise UnreadableBody("the body is not UTF-8 text") from error
    except (ValueError, RecursionError) as error:
        raise UnreadableBody("the body is not JSON") from error


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"a webhook body is at most {limit} bytes", limit=limit)
