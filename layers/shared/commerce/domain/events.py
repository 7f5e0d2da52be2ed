"""Domain events and their one envelope: event_id, type, version, occurred_at, data."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

SOURCE = "commerce"
_NAMESPACE = uuid.UUID("6f1c2a57-4a38-4d39-9a55-2f0a3c9b7e10")


@dataclass(frozen=True, slots=True)
class DomainEvent:
    type: str
    occurred_at: datetime
    data: Mapping[str, Any] = field(default_factory=dict)
    event_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    version: int = 1
    # What ties every log line, execution and event of one order together: the order's id
    # (docs/operations.md, "Following one order"). None for events that belong to no order.
    correlation_id: str | None = None

    def __post_init__(self) -> None:
        # An event about an order carries the order's id as its correlation id, whoever builds it.
        order_id = self.data.get("order_id")
        if self.correlation_id is None and isinstance(order_id, str) and order_id:
            object.__setattr__(self, "correlation_id", order_id)

    @classmethod
    def from_envelope(cls, envelope: Mapping[str, Any]) -> DomainEvent:
        """The event an envelope (as `envelope()` wrote it, say in an outbox) describes, id and all."""
        return cls(
            type=envelope["type"],
            occurred_at=datetime.fromisoformat(envelope["occurred_at"]),
            data=envelope["data"],
            event_id=envelope["event_id"],
            version=envelope["version"],
            correlation_id=envelope.get("correlation_id"),
        )

    def envelope(self) -> dict[str, Any]:
        envelope = {
            "event_id": self.event_id,
            "type": self.type,
            "version": self.version,
            "occurred_at": self.occurred_at.isoformat(),
            "data": dict(self.data),
        }
        if self.correlation_id is not None:
            envelope["correlation_id"] = self.correlation_id
        return envelope


def order_event(
    event_type: str, order_id: str, occurred_at: datetime, data: Mapping[str, Any]
) -> DomainEvent:
    """An event that happens once per order: its id is derived from the order, so every path that
    announces it (workflow retries, the sweeper) sends the same id and consumers drop the repeats."""
    event_id = str(uuid.uuid5(_NAMESPACE, f"{event_type}:{order_id}"))
    return DomainEvent(
        type=event_type,
        occurred_at=occurred_at,
        data={"order_id": order_id, **data},
        event_id=event_id,
        correlation_id=order_id,
    )
