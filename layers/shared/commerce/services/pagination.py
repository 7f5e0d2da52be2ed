"""Opaque, tamper-evident cursors: the position signed with a secret key and bound to its query."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from commerce.domain.errors import InvalidCursor, ValidationFailed

MAX_CURSOR_LENGTH = 2048
MAX_PAGE = 100  # items a staff list returns at most per page

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class CursorPage(Generic[T]):
    """A page as a caller gets it: the items, and the signed cursor of the next page when there is one."""

    items: tuple[T, ...]
    next_cursor: str | None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class CursorCodec:
    """Signs positions so a client can hold them but not forge or move them to another query."""

    def __init__(self, key: Callable[[], bytes]) -> None:
        self._key = key  # fetched on first use: a page without a cursor needs no secret

    def _mac(self, payload: bytes, context: Mapping[str, Any]) -> bytes:
        bound = payload + b"|" + json.dumps(context, sort_keys=True).encode()
        return hmac.new(self._key(), bound, hashlib.sha256).digest()[:16]

    def encode(self, position: Mapping[str, Any], context: Mapping[str, Any]) -> str:
        payload = json.dumps(position, sort_keys=True, separators=(",", ":")).encode()
        return f"{_b64(payload)}.{_b64(self._mac(payload, context))}"

    def decode(self, cursor: str, context: Mapping[str, Any]) -> dict[str, Any]:
        try:
            if len(cursor) > MAX_CURSOR_LENGTH:
                raise ValueError("too long")
            body, signature = cursor.split(".")
            payload = _unb64(body)
            if not hmac.compare_digest(_unb64(signature), self._mac(payload, context)):
                raise ValueError("bad signature")
            position = json.loads(payload)
            if not isinstance(position, dict):
                raise ValueError("not an object")
            return position
        except (ValueError, UnicodeDecodeError) as error:
            raise InvalidCursor("the cursor is malformed, altered, or belongs to another query") from error


def check_limit(limit: int, most: int = MAX_PAGE) -> None:
    if not 1 <= limit <= most:
        raise ValidationFailed(f"limit must be between 1 and {most}")
