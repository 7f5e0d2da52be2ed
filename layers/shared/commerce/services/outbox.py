"""The outbox relay: puts committed events on the bus, right after the commit and again from the sweeper.

A writer commits its change and its events in one transaction (the outbox), then hands the events to
`deliver`: publish, then delete the entries. A crash or a failed publish in between leaves the entries, and
the scheduled `sweep` publishes them with the same event ids (consumers drop a repeated id). Publishing
twice is allowed; losing an event is not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from commerce.domain.events import DomainEvent
from commerce.domain.ports import EventPublisher, Outbox

logger = logging.getLogger(__name__)

SWEEP_GRACE = timedelta(minutes=1)  # leaves the fast path time to finish what it just committed
SWEEP_LIMIT = 200
_PUBLISH_BATCH = 10  # PutEvents takes ten entries a call


class OutboxRelay:
    def __init__(self, outbox: Outbox, publisher: EventPublisher, clock: Callable[[], datetime]) -> None:
        self._outbox, self._publisher, self._clock = outbox, publisher, clock

    def deliver(self, events: Sequence[DomainEvent]) -> None:
        """Publishes events just committed with their change. The change stands whatever happens here: a
        failure is logged and the sweeper publishes them later."""
        if not events:
            return
        try:
            self._publisher.publish(events)
            self._outbox.done(events)
        except Exception:  # the events are safe in the outbox; the caller's change is committed
            logger.warning(
                "events left in the outbox for the sweeper",
                extra={"event_ids": [e.event_id for e in events]},
                exc_info=True,
            )

    def sweep(self, grace: timedelta = SWEEP_GRACE, limit: int = SWEEP_LIMIT) -> int:
        """Publishes events left in the outbox for longer than `grace`; how many were published."""
        leftovers = self._outbox.pending(self._clock() - grace, limit)
        for start in range(0, len(leftovers), _PUBLISH_BATCH):
            batch = leftovers[start : start + _PUBLISH_BATCH]
            self._publisher.publish(batch)
            self._outbox.done(batch)
        if leftovers:
            logger.info("outbox swept", extra={"published": len(leftovers)})
        return len(leftovers)
