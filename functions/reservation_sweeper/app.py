"""Every five minutes: orders whose reservation expired while still waiting for payment are timed out
(their workflow compensates) or, with no workflow waiting, compensated here; cancels and refunds a crash
left between their commit and the money are finished, and so are returns left received; channel
reservations whose time ran out give their units back; and events left in the outbox are published."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from commerce.composition import adapters as composition
from commerce.composition import checkout, fulfillment
from commerce.composition.inventory import stockroom
from commerce.config import Settings
from commerce.handlers import entry_point
from commerce.observability import logger, metrics

settings = Settings.from_env()
workflow = checkout.order_workflow(settings)
after_sales = fulfillment.after_sales(settings)
relay = checkout.outbox_relay(settings)
returns = fulfillment.returns(settings, after_sales)
channels = stockroom(settings).channels


# Each count of the run, as the metric that alarms and dashboards read.
METRICS = {
    "ReservationsTimedOut": "timed_out",
    "ReservationsReleased": "cancelled",
    "ReservationsNotSwept": "not_swept",
    "CancelsFinishedLate": "cancels_finished",
    "CancelsWithdrawn": "cancels_withdrawn",
    "RefundsFinishedLate": "refunds_finished",
    "PendingRefundsFailing": "pending_failed",
    "OutboxEventsRelayedLate": "outbox_relayed",
    "ChannelReservationsExpired": "channel_reservations_expired",
    "ReturnsFinishedLate": "returns_finished",
}


@entry_point
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    report = workflow.sweep(composition.now())
    pending = after_sales.finish_pending(composition.now())
    returns_finished = returns.finish_received()
    channel_expired = channels.expire_reservations()
    relayed = relay.sweep()  # last: it publishes what the runs above committed and could not deliver
    counts = {
        "timed_out": report.timed_out,
        "cancelled": report.cancelled,
        "skipped": report.skipped,
        "not_swept": report.failed,
        "cancels_finished": pending.cancelled,
        "cancels_withdrawn": pending.withdrawn,
        "refunds_finished": pending.refunded,
        "pending_failed": pending.failed,
        "outbox_relayed": relayed,
        "channel_reservations_expired": channel_expired,
        "returns_finished": returns_finished,
    }
    for metric, count in METRICS.items():
        metrics.add_metric(name=metric, unit=MetricUnit.Count, value=counts[count])
    logger.info("reservations swept", **counts)
    return counts
