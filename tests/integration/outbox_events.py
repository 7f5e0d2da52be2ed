"""Events for the outbox tests: refunds of one made-up order, a second apart from `start`, so a test can pick
its own out of a shared table."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from commerce.domain.events import DomainEvent


def refunds_issued(count: int, start: datetime) -> list[DomainEvent]:
    order_id = f"o-{uuid.uuid4().hex}"
    return [
        DomainEvent(
            type="RefundIssued",
            occurred_at=start + timedelta(seconds=n),
            data={"order_id": order_id, "amount": 100 + n},
        )
        for n in range(count)
    ]
