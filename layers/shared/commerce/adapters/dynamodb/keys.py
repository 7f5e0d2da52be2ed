"""Keys shared by more than one adapter."""

from __future__ import annotations

import hashlib


def email_key(email: str) -> str:
    """The email index key: a hash, so the index holds no readable address."""
    return "EMAIL#" + hashlib.sha256(email.strip().lower().encode()).hexdigest()
