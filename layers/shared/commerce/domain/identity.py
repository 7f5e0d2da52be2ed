"""Who is calling, as the API's authorizer vouched: what they may do comes from their groups
(commerce.domain.permissions)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Principal:
    subject: str  # the identity provider's stable user id (`sub`); never an email
    email: str | None = None
    groups: frozenset[str] = field(default_factory=frozenset)
