"""Capturing shopper activity events (never at the expense of the request) and counting them once each."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from commerce.domain import analytics
from commerce.domain.analytics_ports import AnalyticsStore, ProductDirectory, RawEventArchive, ViewHistory
from commerce.domain.events import DomainEvent
from commerce.domain.ports import EventPublisher

logger = logging.getLogger(__name__)


class ActivityTracker:
    """Publishes shopper activity events on the bus. Analytics must never fail a browse request: a refusal is
    logged and counted (metric AnalyticsEventsDropped), and the request goes on."""

    def __init__(self, publisher: EventPublisher, count_dropped: Callable[[int], None]) -> None:
        self._publisher, self._count_dropped = publisher, count_dropped

    def track(self, *events: DomainEvent) -> bool:
        try:
            self._publisher.publish(events)
        except Exception:
            logger.warning(
                "shopper activity events dropped", extra={"types": [e.type for e in events]}, exc_info=True
            )
            self._count_dropped(len(events))
            return False
        return True


class AnalyticsRecorder:
    """Counts one event from the bus into the aggregates (once per event id) and archives it raw."""

    def __init__(
        self,
        store: AnalyticsStore,
        archive: RawEventArchive,
        products: ProductDirectory,
        views: ViewHistory | None = None,
    ) -> None:
        self._store, self._archive, self._products, self._views = store, archive, products, views

    def record(self, envelope: Mapping[str, Any]) -> bool:
        """True if the event was counted now; False if it had been before (a replay) or is not counted."""
        event = analytics.parse_envelope(envelope)
        # Archived first, replays included: the raw archive is at least once (docs/analytics.md dedupes by
        # event_id); the aggregates are exactly once through the marker in their transaction.
        self._archive.archive([envelope])
        if event.type not in analytics.COUNTED_TYPES:
            return False
        unresolved = analytics.skus_to_resolve(event)
        products = self._products.products_of(unresolved) if unresolved else {}
        categories: dict[str, str] = {}
        if event.type == analytics.ORDER_PAID:
            categories = self._products.categories_of(list(analytics.line_products(event.data, products)))
        counted = self._store.apply(event.event_id, analytics.increments(event, products, categories))
        self._remember_view(event)
        if not counted:
            logger.info("event counted before", extra={"event_id": event.event_id, "type": event.type})
        return counted

    def _remember_view(self, event: analytics.Recorded) -> None:
        """A signed-in customer's view goes to their recently viewed products (idempotent on its own: the
        latest time wins, so a replay changes nothing)."""
        customer_id = event.data.get("customer_id")
        if self._views is not None and event.type == analytics.PRODUCT_VIEWED and customer_id:
            self._views.remember(str(customer_id), str(event.data["product_id"]), event.occurred_at)
