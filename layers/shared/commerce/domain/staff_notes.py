"""A note staff keep about a customer (back office only; erased with the customer)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class StaffNote:
    id: str
    at: datetime
    author: str  # the staff member's sub
    text: str
