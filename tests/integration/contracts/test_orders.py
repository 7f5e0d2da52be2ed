"""The OrderRepository and StockLedger: a placement reserves every line or none, each later change is
conditioned on the version read, and the staff list pages through orders of one status."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from commerce.domain.errors import Conflict, OutOfStock
from commerce.domain.order import Order, OrderStatus
from commerce.domain.ports import Period
from commerce.services.order_workflow import order_cancelled

from .conftest import NOW, Shop, a_cart, a_sku, an_order, placed, take_pending


def test_a_placement_reserves_from_the_fullest_location_and_consumes_the_cart(shop: Shop) -> None:
    sku = a_sku(shop, paris=2, berlin=5)
    cart = a_cart(shop, {sku: 3})

    order = shop.orders.place(an_order({sku: 3}), cart)

    assert [(r.location, r.quantity) for r in order.reservations] == [("berlin", 3)]
    assert shop.orders.get(order.id) == order
    assert shop.stock.available([sku]) == {sku: 4}
    assert shop.carts.get(cart.id) is None


def test_short_stock_names_what_is_missing_and_reserves_nothing(shop: Shop) -> None:
    short, fine = a_sku(shop, paris=1, berlin=1), a_sku(shop, paris=9)
    cart = a_cart(shop, {short: 3, fine: 1})

    with pytest.raises(OutOfStock) as refused:
        shop.orders.place(an_order({short: 3, fine: 1}), cart)

    assert refused.value.extensions["unavailable"] == [{"sku": short, "requested": 3, "available": 2}]
    assert shop.stock.available([short, fine]) == {short: 2, fine: 9}
    assert shop.carts.get(cart.id) is not None


def test_a_cart_changed_since_it_was_read_places_nothing(shop: Shop) -> None:
    sku = a_sku(shop, paris=5)
    cart = a_cart(shop, {sku: 1})

    with pytest.raises(Conflict):
        shop.orders.place(an_order({sku: 1}), replace(cart, version=cart.version + 1))

    assert shop.stock.available([sku]) == {sku: 5}


def test_an_order_id_placed_twice_is_a_conflict(shop: Shop) -> None:
    order, sku = placed(shop)

    with pytest.raises(Conflict):
        shop.orders.place(replace(order, reservations=()), a_cart(shop, {sku: 1}))

    assert shop.stock.available([sku]) == {sku: 4}


def test_an_unknown_order_is_none_by_id_and_by_payment_intent(shop: Shop) -> None:
    assert shop.orders.get("no-such-order") is None
    assert shop.orders.find_by_payment_intent("pi_nobody") is None


def test_a_save_on_a_stale_version_is_a_conflict_and_changes_nothing(shop: Shop) -> None:
    order, _ = placed(shop)
    noted = order.noted(NOW, "order_held")
    shop.orders.save(noted, order.version)

    with pytest.raises(Conflict):
        shop.orders.save(order.noted(NOW, "order_released"), order.version)

    assert shop.orders.get(order.id) == noted


def test_an_attached_payment_intent_finds_its_order(shop: Shop) -> None:
    order, _ = placed(shop)
    with_payment = replace(order, payment_intent_id=f"pi_{order.id}", version=order.version + 1)

    shop.orders.attach_payment_intent(with_payment, order.version)

    assert shop.orders.find_by_payment_intent(f"pi_{order.id}") == with_payment
    with pytest.raises(Conflict):
        shop.orders.attach_payment_intent(with_payment, order.version)


def test_a_task_token_is_set_on_the_order_with_a_new_version(shop: Shop) -> None:
    order, _ = placed(shop)

    waiting = shop.orders.set_task_token(order.id, "token-1")

    assert waiting.task_token == "token-1" and waiting.version == order.version + 1
    assert shop.orders.get(order.id) == waiting


def test_selling_takes_the_reserved_units_off_hand_once(shop: Shop) -> None:
    order, sku = placed(shop, units=2)
    sold = order.paid(NOW)

    shop.orders.sell(sold, order.version)
    with pytest.raises(Conflict):
        shop.orders.sell(sold, order.version)

    assert shop.stock.available([sku]) == {sku: 4}
    assert shop.orders.get(order.id) == sold


def test_releasing_gives_the_units_back_once_with_its_events(shop: Shop) -> None:
    order, sku = placed(shop, units=2)
    cancelled = order.cancelled(NOW, "payment_timeout")
    event, refused = order_cancelled(cancelled, NOW), order_cancelled(cancelled, NOW + timedelta(seconds=1))

    shop.orders.release(cancelled, order.version, "payment_timeout", [event])
    with pytest.raises(Conflict):
        shop.orders.release(cancelled, order.version, "payment_timeout", [refused])

    assert shop.stock.available([sku]) == {sku: 6}
    assert take_pending(shop, [event, refused]) == [event]


def test_a_save_writes_its_events_only_when_it_lands(shop: Shop) -> None:
    order, _ = placed(shop)
    held = order.noted(NOW, "order_held")
    event, refused = order_cancelled(held, NOW), order_cancelled(held, NOW + timedelta(seconds=1))

    shop.orders.save(held, order.version, [event])
    with pytest.raises(Conflict):
        shop.orders.save(held, order.version, [refused])

    assert take_pending(shop, [event, refused]) == [event]


def test_the_staff_list_pages_through_one_status_newest_first_without_repeats(shop: Shop) -> None:
    day = NOW + timedelta(days=400 + uuid.uuid4().int % 100_000)  # a day no other test places orders on
    orders = [placed(shop, created_at=day + timedelta(minutes=n))[0] for n in range(5)]
    shop.orders.release(orders[0].cancelled(day, "x"), orders[0].version, "x")
    until = day + timedelta(hours=1)

    first = shop.orders.list_by_status(OrderStatus.PENDING_PAYMENT, Period(day, until), 3, None)
    second = shop.orders.list_by_status(
        OrderStatus.PENDING_PAYMENT, Period(day, until), 3, first.next_position
    )

    assert len(first.items) == 3 and first.next_position is not None
    assert [o.id for o in (*first.items, *second.items)] == [o.id for o in reversed(orders[1:])]
    assert (
        second.next_position is None
        or not shop.orders.list_by_status(
            OrderStatus.PENDING_PAYMENT, Period(day, until), 3, second.next_position
        ).items
    )


def _placed_as(shop: Shop, at: datetime, email: str, channel: str | None) -> Order:
    sku = a_sku(shop, paris=5)
    order = replace(an_order({sku: 1}, at), email=email, channel=channel)
    return shop.orders.place(order, a_cart(shop, {sku: 1}))


def test_the_staff_list_of_one_channel_skips_the_others_and_web_includes_orders_naming_none(
    shop: Shop,
) -> None:
    day = NOW + timedelta(days=400 + uuid.uuid4().int % 100_000)
    channels = ["app", None, "web", "app", "pos:lyon", "app"]
    orders = [
        _placed_as(shop, day + timedelta(minutes=n), "x@example.com", c) for n, c in enumerate(channels)
    ]
    period = Period(day, day + timedelta(hours=1))

    first = shop.orders.list_by_status(OrderStatus.PENDING_PAYMENT, period, 2, None, channel="app")
    rest = shop.orders.list_by_status(
        OrderStatus.PENDING_PAYMENT, period, 2, first.next_position, channel="app"
    )
    web = shop.orders.list_by_status(OrderStatus.PENDING_PAYMENT, period, 10, None, channel="web")

    apps = [o.id for o in reversed(orders) if o.channel == "app"]
    assert [o.id for o in (*first.items, *rest.items)] == apps
    assert [o.id for o in web.items] == [orders[2].id, orders[1].id]


def test_an_email_finds_its_orders_in_any_case_newest_first_page_by_page(shop: Shop) -> None:
    day = NOW + timedelta(days=400 + uuid.uuid4().int % 100_000)
    email = f"Grace.{uuid.uuid4().hex[:8]}@Example.com"
    mine = [_placed_as(shop, day + timedelta(minutes=n), email, None) for n in range(3)]
    _placed_as(shop, day + timedelta(minutes=5), "someone.else@example.com", None)
    shop.orders.release(mine[0].cancelled(day, "x"), mine[0].version, "x")
    period = Period(day, day + timedelta(hours=1))

    first = shop.orders.list_for_email(email.upper(), period, 2, None)
    second = shop.orders.list_for_email(email.upper(), period, 2, first.next_position)
    pending = shop.orders.list_for_email(
        email.lower(), period, 10, None, status=OrderStatus.PENDING_PAYMENT, channel="web"
    )
    elsewhere = shop.orders.list_for_email(email, period, 10, None, channel="app")

    assert [o.id for o in (*first.items, *second.items)] == [o.id for o in reversed(mine)]
    assert [o.id for o in pending.items] == [mine[2].id, mine[1].id]
    assert elsewhere.items == ()


def test_only_pending_orders_past_their_reservation_are_expired(shop: Shop) -> None:
    expired, _ = placed(shop)
    settled, _ = placed(shop)
    shop.orders.release(settled.cancelled(NOW, "x"), settled.version, "x")

    found = shop.orders.expired_reservations(NOW + timedelta(hours=1), 1000)

    assert expired.id in found and settled.id not in found
    assert expired.id not in shop.orders.expired_reservations(NOW + timedelta(minutes=5), 1000)


def test_orders_are_counted_by_status(shop: Shop) -> None:
    before = shop.orders.count_by_status(OrderStatus.PENDING_PAYMENT)
    placed(shop)
    placed(shop)

    assert shop.orders.count_by_status(OrderStatus.PENDING_PAYMENT) == before + 2


def test_flagged_orders_are_listed_newest_first_with_their_flags_once_saved(shop: Shop) -> None:
    day = NOW.replace(year=2400) + timedelta(minutes=uuid.uuid4().int % 100_000)  # after any other test's
    older, newer = (placed(shop, created_at=day + timedelta(minutes=n))[0] for n in range(2))
    plain, _ = placed(shop, created_at=day + timedelta(minutes=5))
    for order, flag in ((older, "refund_outside_shop"), (newer, "fulfillment_conflict")):
        shop.orders.save(order.flagged(day, flag, "seen"), order.version)
    shop.orders.save(plain.noted(day, "order_held"), plain.version)

    listed = shop.orders.flagged(2)

    assert [(f.order_id, f.flags, f.created_at) for f in listed] == [
        (newer.id, ("fulfillment_conflict",), newer.created_at),
        (older.id, ("refund_outside_shop",), older.created_at),
    ]


def test_an_order_whose_last_flag_is_resolved_leaves_the_flagged_list(shop: Shop) -> None:
    day = NOW.replace(year=2450) + timedelta(minutes=uuid.uuid4().int % 100_000)  # after any other test's
    order, _ = placed(shop, created_at=day)
    flagged = order.flagged(day, "fulfillment_conflict", "seen").flagged(day, "dispute_lost", "lost")
    shop.orders.save(flagged, order.version)
    one_left = flagged.flag_resolved(day, "fulfillment_conflict", "returned", "staff-1")
    shop.orders.save(one_left, flagged.version)
    listed_with_one = shop.orders.flagged(1)
    none_left = one_left.flag_resolved(day, "dispute_lost", "written off", "staff-1")

    shop.orders.save(none_left, one_left.version)

    assert [(f.order_id, f.flags) for f in listed_with_one] == [(order.id, ("dispute_lost",))]
    assert order.id not in [f.order_id for f in shop.orders.flagged(20)]
