"""Who is calling: a signed-in customer, staff or an admin, as the API's authorizer vouched."""

from __future__ import annotations

from dataclasses import dataclass, field

from commerce.domain.errors import Forbidden

ADMIN = "admin"
STAFF = "staff"


@dataclass(frozen=True, slots=True)
class Principal:
    subject: str  # the identity provider's stable user id (`sub`); never an email
    email: str | None = None
    groups: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_admin(self) -> bool:
        return ADMIN in self.groups

    @property
    def is_staff(self) -> bool:
        """Staff or admin: may run the shop's back office."""
        return bool({ADMIN, STAFF} & self.groups)

    def require_staff(self) -> Principal:
        if not self.is_staff:
            raise Forbidden("this needs the staff or admin group")
        return self

    def require_admin(self) -> Principal:
        if not self.is_admin:
            raise Forbidden("this needs the admin group")
        return self
