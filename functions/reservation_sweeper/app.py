"""Every five minutes: orders whose reservation expired while still waiting for payment are timed out
(their workflow compensates) or, with no workflow waiting, compensated here; and events a crash left in
the outbox are published. Channel reservations whose time ran out give their units back."""

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from commerce import bootstrap
from commerce.config import Settings
from commerce.observability import logger, metrics, tracer

settings = Settings.from_env()
workflow = bootstrap.order_workflow(settings)
relay = bootstrap.outbox_relay(settings)
_, channels = bootstrap.channels(settings)


@logger.inject_lambda_context(clear_state=True, log_event=False)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    report = workflow.sweep(bootstrap.now())
    channel_expired = channels.expire_reservations()
    relayed = relay.sweep()
    metrics.add_metric(name="ChannelReservationsExpired", unit=MetricUnit.Count, value=channel_expired)
    metrics.add_metric(name="OutboxEventsRelayedLate", unit=MetricUnit.Count, value=relayed)
    metrics.add_metric(name="ReservationsTimedOut", unit=MetricUnit.Count, value=report.timed_out)
    metrics.add_metric(name="ReservationsReleased", unit=MetricUnit.Count, value=report.cancelled)
    metrics.add_metric(name="CancellationsAnnouncedLate", unit=MetricUnit.Count, value=report.announced_late)
    logger.info(
        "reservations swept",
        timed_out=report.timed_out,
        cancelled=report.cancelled,
        skipped=report.skipped,
        announced_late=report.announced_late,
        outbox_relayed=relayed,
        channel_reservations_expired=channel_expired,
    )
    return {
        "timed_out": report.timed_out,
        "cancelled": report.cancelled,
        "skipped": report.skipped,
        "announced_late": report.announced_late,
        "outbox_relayed": relayed,
        "channel_reservations_expired": channel_expired,
    }
