"""Outbound webhooks with in-memory fakes: subscriptions, fan-out, signed attempts, retries, the
dead-letter queue, automatic pause, replay, and which targets may be called."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from datetime import UTC, datetime, timedelta

import pytest

from commerce.domain.errors import DependencyFailed, InvalidState, NotFound, ValidationFailed
from commerce.domain.webhook_ports import DeliveryJob, HttpAnswer
from commerce.domain.webhooks import (
    DEFAULT_RETRY_DELAYS,
    DeliveryStatus,
    Outcome,
    RetryPolicy,
    SubscriptionStatus,
    TargetPolicy,
    outcome,
    signature_header,
)
from commerce.services.outbox import OutboxRelay
from tests.fakes.webhooks import (
    ScriptedReceiver,
)
from tests.unit.webhook_world import WebhookPipeline
from tests.webhook_docs import documented_verifier

START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
FAST = RetryPolicy(delays=(1, 2, 4, 8, 16, 32), pause_after=timedelta(days=3))


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class World(WebhookPipeline):
    def __init__(self, answers: list[HttpAnswer] | None = None, policy: RetryPolicy = FAST) -> None:
        self.clock = Clock()
        super().__init__(ScriptedReceiver(answers or [HttpAnswer(200, 3, "ok")]), self.clock, policy)

    def publish(self, event_type: str = "OrderPaid", event_id: str = "evt-1") -> dict[str, object]:
        envelope = {
            "event_id": event_id,
            "type": event_type,
            "version": 1,
            "occurred_at": START.isoformat(),
            "data": {"order_id": "ord_1"},
        }
        self.dispatcher.fan_out(event_type, envelope)
        return envelope

    def drain(self, limit: int = 100) -> list[Outcome | None]:
        """Runs queued jobs in order, moving the clock by each job's delay (never sleeping)."""
        results: list[Outcome | None] = []
        while self.queue.jobs and len(results) < limit:
            job, delay = self.queue.jobs.pop(0)
            self.clock.advance(delay)
            results.append(self.dispatcher.deliver(job))
        return results


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body() -> None:
    expected = hmac.new(b"whsec_x", b"1700000000.{}", hashlib.sha256).hexdigest()
    assert signature_header("whsec_x", 1700000000, "{}") == f"t=1700000000,v1={expected}"


def test_the_default_schedule_makes_ten_attempts_over_at_least_a_day() -> None:
    policy = RetryPolicy()
    assert policy.attempts == 10
    assert sum(DEFAULT_RETRY_DELAYS) >= 24 * 3600


def test_a_schedule_is_read_from_seconds_separated_by_commas() -> None:
    assert RetryPolicy.parse("0, 1,2", pause_after_hours=1).delays == (0, 1, 2)
    with pytest.raises(ValueError, match="seconds"):
        RetryPolicy.parse("1,soon")


@pytest.mark.parametrize(
    ("status", "attempt", "expected"),
    [
        (200, 1, Outcome.DELIVERED),
        (204, 7, Outcome.DELIVERED),
        (500, 1, Outcome.RETRY),
        (None, 1, Outcome.RETRY),
        (408, 1, Outcome.RETRY),
        (429, 1, Outcome.RETRY),
        (404, 1, Outcome.GIVE_UP),
        (401, 1, Outcome.GIVE_UP),
        (500, 7, Outcome.GIVE_UP),
    ],
)
def test_2xx_delivers_4xx_except_408_and_429_stops_and_the_rest_retries_while_attempts_remain(
    status: int | None, attempt: int, expected: Outcome
) -> None:
    assert outcome(status, attempt, FAST) is expected


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "169.254.169.254", "10.0.0.7", "192.168.1.1", "::1", "::ffff:127.0.0.1", "fe80::1"],
)
def test_production_refuses_private_loopback_and_link_local_addresses(address: str) -> None:
    with pytest.raises(ValidationFailed, match=r"loopback|private|link-local"):
        TargetPolicy().check_addresses(["93.184.215.14", address])


def test_production_allows_only_https_and_public_addresses() -> None:
    TargetPolicy().check_url("https://hooks.example.com/in")
    TargetPolicy().check_addresses(["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"])
    with pytest.raises(ValidationFailed, match="https"):
        TargetPolicy().check_url("http://hooks.example.com/in")
    with pytest.raises(ValidationFailed, match="link-local"):
        TargetPolicy().check_url("https://169.254.169.254/latest/meta-data")


def test_the_local_stack_allows_loopback_over_http_but_never_link_local() -> None:
    local = TargetPolicy(allow_loopback=True)
    local.check_url("http://127.0.0.1:3005/hook")
    with pytest.raises(ValidationFailed):
        local.check_url("http://169.254.169.254/latest/meta-data")
    with pytest.raises(ValidationFailed):
        local.check_addresses(["10.1.2.3"])


def test_a_new_subscription_shows_its_secret_once_and_stores_it_sealed() -> None:
    world = World()
    created = world.admin.create("https://hooks.example.com/in", ["OrderPaid"], "ERP")
    stored = world.subscriptions.get(created.subscription.id)
    assert stored is not None and created.secret.startswith("whsec_")
    assert created.secret.encode() not in stored.secret_ciphertext
    assert world.box.open(stored.id, stored.secret_ciphertext) == created.secret
    assert stored.event_types == ("OrderPaid",) and stored.description == "ERP"


@pytest.mark.parametrize("types", [[], ["order paid"], ["*", "lower"]])
def test_a_subscription_names_event_types_or_the_star(types: list[str]) -> None:
    with pytest.raises(ValidationFailed):
        World().admin.create("https://hooks.example.com/in", types)


def test_subscriptions_are_updated_paused_resumed_and_deleted() -> None:
    world = World()
    sid = world.admin.create("https://hooks.example.com/in", ["OrderPaid"]).subscription.id
    updated = world.admin.update(sid, url="https://other.example.com/in", types=["*"])
    assert (updated.url, updated.event_types, updated.description) == (
        "https://other.example.com/in",
        ("*",),
        "",
    )
    assert world.admin.pause(sid).status is SubscriptionStatus.PAUSED
    assert world.admin.resume(sid).status is SubscriptionStatus.ACTIVE
    world.admin.delete(sid)
    with pytest.raises(NotFound):
        world.admin.get(sid)
    with pytest.raises(NotFound):
        world.admin.delete(sid)


def test_an_event_goes_to_every_active_subscription_that_wants_it_once_each() -> None:
    world = World()
    paid = world.admin.create("https://a.example.com/", ["OrderPaid"]).subscription.id
    everything = world.admin.create("https://b.example.com/", ["*"]).subscription.id
    world.admin.create("https://c.example.com/", ["OrderCancelled"])
    paused = world.admin.create("https://d.example.com/", ["OrderPaid"]).subscription.id
    world.admin.pause(paused)
    world.publish("OrderPaid")
    world.publish("OrderPaid")  # the bus delivers at least once
    assert sorted(d.subscription_id for d in world.deliveries.items.values()) == sorted([paid, everything])
    assert len(world.queue.jobs) == 2


def test_a_delivery_is_signed_with_the_subscription_secret_and_carries_the_event_id() -> None:
    world = World()
    created = world.admin.create("https://hooks.example.com/in", ["OrderPaid"])
    envelope = world.publish()
    assert world.drain() == [Outcome.DELIVERED]
    (url, headers, body) = world.receiver.requests[0]
    timestamp = int(START.timestamp())
    assert url == "https://hooks.example.com/in" and json.loads(body) == envelope
    assert headers["Commerce-Signature"] == signature_header(created.secret, timestamp, body)
    assert headers["Commerce-Event-Id"] == "evt-1"


def test_a_receiver_failing_five_times_gets_the_event_once_after_backoff() -> None:
    failures = [HttpAnswer(503, 4, "busy")] * 5
    world = World(answers=[*failures, HttpAnswer(200, 3, "ok")])
    sid = world.admin.create("https://hooks.example.com/in", ["OrderPaid"]).subscription.id
    world.publish()
    assert world.drain() == [Outcome.RETRY] * 5 + [Outcome.DELIVERED]
    (delivery,) = world.deliveries.for_subscription(sid, 10)
    assert delivery.status is DeliveryStatus.DELIVERED
    waits = [(b.at - a.at).total_seconds() for a, b in itertools.pairwise(delivery.attempts)]
    assert waits == [1, 2, 4, 8, 16]
    assert [a.status_code for a in delivery.attempts] == [503] * 5 + [200]
    assert world.queue.dead == [] and world.subscriptions.get(sid).failing_since is None  # type: ignore[union-attr]


def test_a_receiver_that_always_fails_ends_in_the_dead_letter_queue_and_is_flagged() -> None:
    world = World(answers=[HttpAnswer(500, 4, "down")])
    sid = world.admin.create("https://hooks.example.com/in", ["OrderPaid"]).subscription.id
    world.publish()
    assert world.drain() == [Outcome.RETRY] * 6 + [Outcome.GIVE_UP]
    (delivery,) = world.deliveries.for_subscription(sid, 10)
    assert delivery.status is DeliveryStatus.FAILED and len(delivery.attempts) == FAST.attempts
    assert [job.delivery_id for job, _ in world.queue.dead] == [delivery.id]
    assert world.subscriptions.get(sid).flagged  # type: ignore[union-attr]


def test_a_4xx_refusal_stops_retrying_at_once() -> None:
    world = World(answers=[HttpAnswer(410, 4, "gone")])
    world.admin.create("https://hooks.example.com/in", ["OrderPaid"])
    world.publish()
    assert world.drain() == [Outcome.GIVE_UP]
    assert len(world.queue.dead) == 1


def failing_for_days(world: World) -> str:
    """A subscription whose receiver has failed for three days, with a second event queued for it."""
    sid = world.admin.create("https://hooks.example.com/in", ["OrderPaid"]).subscription.id
    world.publish(event_id="evt-1")
    world.drain()
    world.clock.advance(3 * 24 * 3600)
    world.publish(event_id="evt-2")
    return sid


def test_a_subscription_failing_for_days_is_paused_and_the_merchant_told_once() -> None:
    world = World(answers=[HttpAnswer(500, 4, "down")])
    sid = failing_for_days(world)
    world.drain()
    subscription = world.subscriptions.get(sid)
    assert subscription is not None and subscription.status is SubscriptionStatus.PAUSED
    assert subscription.paused_reason == "failing"
    assert world.events.types() == ["WebhookSubscriptionPaused"]
    assert world.events.published[0].data["subscription_id"] == sid
    assert len(world.notifier.sent) == 1
    world.publish(event_id="evt-3")  # paused: nothing more is queued
    assert world.queue.jobs == []


def test_a_pause_whose_event_was_never_published_is_announced_by_the_sweeper_with_its_event_id() -> None:
    world = World(answers=[HttpAnswer(500, 4, "down")])
    sid = failing_for_days(world)
    world.events.fail_next = DependencyFailed("EventBridge is down")  # as a crash right after the pause

    world.drain()

    paused = world.subscriptions.get(sid)
    assert paused is not None and paused.status is SubscriptionStatus.PAUSED and world.events.published == []
    (left,) = world.subscriptions.outbox.entries.values()  # written in the pause's transaction
    world.clock.advance(300)
    assert OutboxRelay(world.subscriptions.outbox, world.events, world.clock).sweep() == 1
    (event,) = world.events.published
    assert (event.event_id, event.type, event.data["subscription_id"]) == (
        left.event_id,
        "WebhookSubscriptionPaused",
        sid,
    )


def test_a_success_clears_the_failing_streak() -> None:
    world = World(answers=[HttpAnswer(500, 4, "down"), HttpAnswer(200, 4, "ok")])
    sid = world.admin.create("https://hooks.example.com/in", ["OrderPaid"]).subscription.id
    world.publish()
    world.drain(limit=1)
    assert world.subscriptions.get(sid).failing_since == START  # type: ignore[union-attr]
    world.drain()
    assert world.subscriptions.get(sid).failing_since is None  # type: ignore[union-attr]


def test_a_replay_redelivers_exactly_that_event() -> None:
    world = World()
    sid = world.admin.create("https://hooks.example.com/in", ["OrderPaid"]).subscription.id
    world.publish(event_id="evt-1")
    world.publish(event_id="evt-2")
    world.drain()
    first = next(d for d in world.deliveries.items.values() if d.event_id == "evt-1")
    world.admin.replay(first.id)
    world.drain()
    sent = [(h["Commerce-Event-Id"], body) for _, h, body in world.receiver.requests]
    assert sent[-1] == ("evt-1", first.body) and len(sent) == 3
    assert len(world.deliveries.get(first.id).attempts) == 2  # type: ignore[union-attr]
    assert world.admin.deliveries(sid)[0].status is DeliveryStatus.DELIVERED


def test_a_replay_waits_for_a_paused_subscription_to_be_resumed() -> None:
    world = World()
    sid = world.admin.create("https://hooks.example.com/in", ["OrderPaid"]).subscription.id
    world.publish()
    world.drain()
    world.admin.pause(sid)
    with pytest.raises(InvalidState):
        world.admin.replay(next(iter(world.deliveries.items)))
    with pytest.raises(NotFound):
        world.admin.replay("whd_nope")


def test_a_wait_longer_than_fifteen_minutes_takes_several_queue_hops() -> None:
    world = World(answers=[HttpAnswer(500, 4, "down"), HttpAnswer(200, 4, "ok")], policy=RetryPolicy((3600,)))
    world.admin.create("https://hooks.example.com/in", ["OrderPaid"])
    world.publish()
    results = world.drain()
    assert results == [Outcome.RETRY, None, None, None, Outcome.DELIVERED]
    assert world.clock.now - START == timedelta(seconds=900 * 4)


def test_a_refused_target_is_never_called_and_not_retried() -> None:
    world = World()
    world.receiver.check = lambda url: HttpAnswer(None, 1, "refused: non-public", refused=True)
    world.admin.create("https://hooks.example.com/in", ["OrderPaid"])
    world.publish()
    assert world.drain() == [Outcome.GIVE_UP]
    assert world.receiver.requests == []


def test_a_job_for_a_delivered_delivery_does_nothing_again() -> None:
    world = World()
    world.admin.create("https://hooks.example.com/in", ["OrderPaid"])
    world.publish()
    (job, _) = world.queue.jobs[0]
    world.drain()
    assert world.dispatcher.deliver(job) is None
    assert len(world.receiver.requests) == 1


def test_a_message_is_either_an_event_from_the_bus_or_a_queued_delivery() -> None:
    world = World()
    world.admin.create("https://hooks.example.com/in", ["OrderPaid"])
    envelope = {"event_id": "evt-9", "type": "OrderPaid", "version": 1, "occurred_at": "x", "data": {}}
    world.dispatcher.handle(
        json.dumps({"detail-type": "OrderPaid", "source": "commerce", "detail": envelope})
    )
    (job, _) = world.queue.jobs[0]
    world.queue.jobs.clear()
    world.dispatcher.handle(DeliveryJob(job.delivery_id).to_json())
    assert len(world.receiver.requests) == 1


def test_the_documented_receiver_example_accepts_what_the_dispatcher_signs_and_nothing_else() -> None:
    verify = documented_verifier()
    body = '{"event_id":"evt-1","type":"OrderPaid"}'
    now = int(time.time())
    header = signature_header("whsec_partner", now, body)
    assert verify("whsec_partner", header, body.encode())
    assert not verify("whsec_other", header, body.encode())
    assert not verify("whsec_partner", header, body.encode() + b"\n")
    assert not verify("whsec_partner", signature_header("whsec_partner", now - 3600, body), body.encode())
    assert not verify("whsec_partner", "garbage", body.encode())


def test_a_delivery_still_being_attempted_is_not_replayed_beside_its_retries() -> None:
    world = World(answers=[HttpAnswer(500, 4, "down")])
    world.admin.create("https://hooks.example.com/in", ["OrderPaid"])
    world.publish()
    world.drain(limit=1)
    with pytest.raises(InvalidState, match="still being attempted"):
        world.admin.replay(next(iter(world.deliveries.items)))


def test_a_queued_attempt_for_a_paused_subscription_is_dropped_and_marked_failed_for_a_replay() -> None:
    world = World(answers=[HttpAnswer(500, 4, "down"), HttpAnswer(200, 4, "ok")])
    sid = world.admin.create("https://hooks.example.com/in", ["OrderPaid"]).subscription.id
    world.publish()
    world.drain(limit=1)
    world.admin.pause(sid)
    assert world.drain() == [None]
    (delivery,) = world.deliveries.items.values()
    assert delivery.status is DeliveryStatus.FAILED and len(world.receiver.requests) == 1
    world.admin.resume(sid)
    world.admin.replay(delivery.id)
    assert world.drain() == [Outcome.DELIVERED]
