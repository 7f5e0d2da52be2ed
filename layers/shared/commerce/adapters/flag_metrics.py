"""Counts the flags an order gets as they are announced: the `OrdersFlagged` metric (EMF, namespace
Commerce), once with the `service` dimension (what `OrdersFlaggedAlarm` watches) and once per flag."""

from __future__ import annotations

from collections.abc import Sequence

from aws_lambda_powertools.metrics import MetricUnit, single_metric

from commerce.domain.events import DomainEvent
from commerce.domain.ports import EventPublisher
from commerce.observability import metrics

METRIC = "OrdersFlagged"


def count_flag(flag: str) -> None:
    metrics.add_metric(name=METRIC, unit=MetricUnit.Count, value=1)
    with single_metric(name=METRIC, unit=MetricUnit.Count, value=1, namespace=metrics.namespace) as by_flag:
        by_flag.add_dimension(name="flag", value=flag)


class CountingFlags:
    """The EventPublisher it wraps, counting each `OrderFlagged` once it is on the bus."""

    def __init__(self, inner: EventPublisher) -> None:
        self._inner = inner

    def publish(self, events: Sequence[DomainEvent]) -> None:
        self._inner.publish(events)
        for event in events:
            if event.type == "OrderFlagged":
                count_flag(str(event.data.get("flag", "")))
