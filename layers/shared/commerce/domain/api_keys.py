"""API keys of systems that call the backend (a sales channel, an ERP integration): what is stored of a
key, and how a presented key is checked against it."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_secret() -> str:
    """32 random bytes, URL-safe."""
    return secrets.token_urlsafe(32)


def key_hash(key: str) -> str:
    """What is stored of an API key. The key is 32 random bytes, so a fast hash is enough: no dictionary
    or brute force reaches it, and a stolen table gives no key."""
    return hashlib.sha256(key.encode()).hexdigest()


def key_matches(presented: str, stored_hash: str | None) -> bool:
    """Constant time in the presented key; a holder without a key compares against a dummy and fails."""
    expected = stored_hash or "0" * 64
    return hmac.compare_digest(key_hash(presented), expected) and stored_hash is not None
