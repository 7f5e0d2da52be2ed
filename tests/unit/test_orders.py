"""The buyer's view of an order, the staff's lists, and the review decision, with in-memory fakes."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from commerce.domain.errors import Conflict, InvalidCursor, InvalidState, NotFound
from commerce.domain.identity import Principal
from commerce.domain.order import Order, OrderStatus, PaymentOutcome
from commerce.services.carts import hash_token
from commerce.services.orders import REJECTED, Orders, payment_status
from commerce.services.pagination import CursorCodec
from tests.fakes.carts import InMemoryCarts
from tests.fakes.orders import InMemoryOrders, InMemoryStock, InMemoryWorkflow

from .order_builders import NOW, an_order

STAFF = Principal(subject="staff-1", groups=frozenset({"staff"}))


def world(*orders: Order) -> tuple[Orders, InMemoryOrders, InMemoryWorkflow]:
    repository = InMemoryOrders(InMemoryStock(), InMemoryCarts())
    for order in orders:
        repository.orders[order.id] = order
    workflow = InMemoryWorkflow()
    return Orders(repository, workflow, CursorCodec(lambda: b"k" * 32)), repository, workflow


def test_the_order_token_opens_the_order_and_anything_else_is_not_found() -> None:
    service, _, _ = world(an_order(order_token_hash=hash_token("secret")))

    assert service.for_token("ord_1", "secret").id == "ord_1"
    for token in (None, "", "guess"):
        with pytest.raises(NotFound):
            service.for_token("ord_1", token)
    with pytest.raises(NotFound):
        service.for_token("nope", "secret")


def test_a_customer_sees_only_their_own_order() -> None:
    service, _, _ = world(an_order(customer_id="alice"))

    assert service.for_customer("ord_1", "alice").id == "ord_1"
    with pytest.raises(NotFound):
        service.for_customer("ord_1", "bob")


def test_staff_page_through_held_orders_with_a_signed_cursor() -> None:
    held = [
        replace(an_order(OrderStatus.ON_HOLD), id=f"ord_{i}", created_at=NOW + timedelta(minutes=i))
        for i in range(5)
    ]
    service, _, _ = world(*held, replace(an_order(OrderStatus.PAID), id="ord_paid"))

    first = service.list_by_status(OrderStatus.ON_HOLD, None, None, 2, None)
    second = service.list_by_status(OrderStatus.ON_HOLD, None, None, 2, first.next_cursor)

    assert [o.id for o in first.items] == ["ord_4", "ord_3"]
    assert [o.id for o in second.items] == ["ord_2", "ord_1"]
    with pytest.raises(InvalidCursor):
        service.list_by_status(OrderStatus.PAID, None, None, 2, first.next_cursor)


def test_approving_a_held_order_resumes_its_review_task() -> None:
    service, _, workflow = world(an_order(OrderStatus.ON_HOLD, task_token="review-1"))

    service.approve("ord_1", STAFF)

    assert workflow.answers["review-1"] == ("success", {"decision": "approve", "reviewed_by": "staff-1"})


def test_rejecting_a_held_order_fails_its_review_task() -> None:
    service, _, workflow = world(an_order(OrderStatus.ON_HOLD, task_token="review-1"))

    service.reject("ord_1", STAFF, "card testing")

    assert workflow.answers["review-1"] == ("failure", REJECTED)


def test_only_a_held_order_with_a_waiting_review_can_be_decided() -> None:
    service, _, workflow = world(an_order(OrderStatus.PAID))
    waiting, _, _ = world(an_order(OrderStatus.ON_HOLD))
    service_done, _, done = world(an_order(OrderStatus.ON_HOLD, task_token="review-1"))
    done.answers["review-1"] = ("success", {})

    with pytest.raises(InvalidState):
        service.approve("ord_1", STAFF)
    with pytest.raises(Conflict):
        waiting.approve("ord_1", STAFF)
    with pytest.raises(InvalidState):
        service_done.reject("ord_1", STAFF, "too late")
    assert workflow.answers == {}


@pytest.mark.parametrize(
    ("outcome", "refunded", "expected"),
    [
        (None, 0, "pending"),
        (PaymentOutcome.SUCCEEDED, 0, "succeeded"),
        (PaymentOutcome.SUCCEEDED, 1000, "partially_refunded"),
        (PaymentOutcome.SUCCEEDED, 5000, "refunded"),
        (PaymentOutcome.FAILED, 0, "failed"),
    ],
)
def test_the_payment_status_shown_to_the_buyer(
    outcome: PaymentOutcome | None, refunded: int, expected: str
) -> None:
    assert payment_status(an_order(payment_outcome=outcome, refunded=refunded)) == expected


def test_staff_find_an_email_s_orders_of_every_status_and_narrow_them_by_channel() -> None:
    service, _, _ = world(
        replace(an_order(OrderStatus.PAID), id="ord_web", email="Ada@Example.com"),
        replace(an_order(OrderStatus.ON_HOLD), id="ord_app", email="ada@example.com", channel="app"),
        replace(an_order(OrderStatus.ON_HOLD), id="ord_other", email="bob@example.com", channel="app"),
    )

    every = service.list_by_status(None, None, None, 10, None, email="ADA@example.com")
    on_app = service.list_by_status(None, None, None, 10, None, channel="app", email="ada@example.com")
    held_on_app = service.list_by_status(OrderStatus.ON_HOLD, None, None, 10, None, channel="app")

    assert sorted(o.id for o in every.items) == ["ord_app", "ord_web"]
    assert [o.id for o in on_app.items] == ["ord_app"]
    assert sorted(o.id for o in held_on_app.items) == ["ord_app", "ord_other"]


def test_a_cursor_of_one_email_s_orders_does_not_page_another_s() -> None:
    orders = [
        replace(an_order(OrderStatus.PAID), id=f"ord_{i}", created_at=NOW + timedelta(minutes=i))
        for i in range(3)
    ]
    service, _, _ = world(*orders)

    first = service.list_by_status(None, None, None, 2, None, email=orders[0].email)

    assert first.next_cursor is not None
    with pytest.raises(InvalidCursor):
        service.list_by_status(None, None, None, 2, first.next_cursor, email="someone@example.com")


def test_staff_resolve_an_orders_last_flag_and_it_leaves_the_flagged_list() -> None:
    flagged = an_order(OrderStatus.CANCELLED).flagged(NOW, "fulfillment_conflict", "scanned")
    service, repository, _ = world(flagged)

    resolved = service.resolve_flag("ord_1", "fulfillment_conflict", "carrier returns it", STAFF)

    assert repository.orders["ord_1"] == resolved
    assert resolved.flags == ()
    assert repository.flagged(20) == []


def test_resolving_a_flag_of_an_unknown_order_is_not_found() -> None:
    service, _, _ = world()

    with pytest.raises(NotFound):
        service.resolve_flag("nope", "fulfillment_conflict", "done", STAFF)


def test_resolving_a_flag_twice_writes_once() -> None:
    flagged = an_order(OrderStatus.CANCELLED).flagged(NOW, "fulfillment_conflict", "scanned")
    service, repository, _ = world(flagged)
    first = service.resolve_flag("ord_1", "fulfillment_conflict", "done", STAFF)

    second = service.resolve_flag("ord_1", "fulfillment_conflict", "done", STAFF)

    assert second == first
    assert repository.orders["ord_1"].version == flagged.version + 1
