"""The ledger's rules: on hand is the sum of its movements, and available never goes below zero."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings

from commerce.domain.errors import InvalidState, OutOfStock, ValidationFailed
from commerce.domain.inventory import Movement, Reason, StockLevel, effects, replay
from commerce.domain.inventory_ports import Change
from tests.fakes.inventory import InMemoryInventory

from .ledger_ops import operations, run

AT = datetime(2026, 11, 27, 9, tzinfo=UTC)


@settings(max_examples=300, deadline=None)
@given(ops=operations)
def test_any_sequence_of_movements_keeps_on_hand_equal_to_the_ledger_and_available_non_negative(ops):
    store = InMemoryInventory()
    run(store, "SKU-P", ops)


def test_each_reason_moves_on_hand_and_reserved_as_documented():
    assert effects("receipt", 3) == (3, 0)
    assert effects("reservation", 3) == (0, 3)
    assert effects("release", 3) == (0, -3)
    assert effects("sale", 3) == (-3, -3)
    assert effects("return", 3) == (3, 0)
    assert effects("adjustment", -2) == (-2, 0)
    assert effects("transfer_out", 3) == (-3, 0)
    assert effects("transfer_in", 3) == (3, 0)


@pytest.mark.parametrize("reason,quantity", [("receipt", 0), ("sale", -1), ("adjustment", 0), ("theft", 1)])
def test_a_movement_without_units_or_with_an_unknown_reason_is_refused(reason, quantity):
    with pytest.raises(ValidationFailed):
        effects(reason, quantity)


def test_reserving_more_than_is_available_is_out_of_stock():
    level = StockLevel("S", "north", on_hand=5, reserved=3)
    with pytest.raises(OutOfStock):
        level.after(Movement("S", "north", Reason.RESERVATION, 3, AT))
    assert level.after(Movement("S", "north", Reason.RESERVATION, 2, AT)).available == 0


def test_releasing_more_than_is_reserved_is_an_invalid_state():
    with pytest.raises(InvalidState):
        StockLevel("S", "north", on_hand=5, reserved=1).after(Movement("S", "north", Reason.RELEASE, 2, AT))


def test_a_refused_change_writes_no_movement_at_all():
    store = InMemoryInventory()
    store.apply(Change(movements=[Movement("S", "north", Reason.RECEIPT, 2, AT)]))
    with pytest.raises(OutOfStock):
        store.apply(
            Change(
                movements=[
                    Movement("S", "north", Reason.TRANSFER_OUT, 2, AT, "t"),
                    Movement("S", "north", Reason.RESERVATION, 1, AT, "o"),
                ]
            )
        )
    assert [m.reason for m in store.movements("S")] == ["receipt"]
    assert replay("S", "north", store.ledger) == StockLevel("S", "north", 2, 0)
