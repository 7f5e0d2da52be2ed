"""Staff page through a SKU's whole ledger and through every transfer, newest first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from commerce.domain.errors import InvalidCursor, ValidationFailed
from commerce.services.inventory import Inventory
from commerce.services.inventory_lists import InventoryLists
from commerce.services.pagination import CursorCodec
from tests.fakes.events import InMemoryEvents
from tests.fakes.inventory import InMemoryInventory


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 27, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)  # every change a minute after the one before
        return self.now


@pytest.fixture
def world() -> tuple[Inventory, InventoryLists]:
    store = InMemoryInventory()
    inventory = Inventory(store, InMemoryEvents(), Clock())
    inventory.save_location("north", "North warehouse", "warehouse", {"country": "DE"})
    inventory.save_location("south", "South warehouse", "warehouse", {"country": "DE"})
    return inventory, InventoryLists(store, CursorCodec(lambda: b"k" * 32))


def test_a_skus_ledger_pages_newest_first_past_the_recent_movements(
    world: tuple[Inventory, InventoryLists],
) -> None:
    inventory, lists = world
    for quantity in range(1, 6):
        inventory.receive("HAT-1", "north", quantity)
    inventory.receive("HAT-2", "north", 99)

    first = lists.movements("HAT-1", 3)
    second = lists.movements("HAT-1", 3, first.next_cursor)

    assert [m.quantity for m in first.items + second.items] == [5, 4, 3, 2, 1]
    assert second.next_cursor is None


def test_transfers_page_newest_sent_first_received_or_not(world: tuple[Inventory, InventoryLists]) -> None:
    inventory, lists = world
    inventory.receive("HAT-1", "north", 10)
    sent = [inventory.send_transfer("HAT-1", "north", "south", n) for n in (1, 2, 3)]
    inventory.receive_transfer(sent[0].id)

    first = lists.transfers(2)
    second = lists.transfers(2, first.next_cursor)

    assert [t.id for t in first.items + second.items] == [sent[2].id, sent[1].id, sent[0].id]
    assert second.items[0].status.value == "received" and second.next_cursor is None


def test_a_bad_limit_or_another_skus_cursor_is_refused(world: tuple[Inventory, InventoryLists]) -> None:
    inventory, lists = world
    inventory.receive("HAT-1", "north", 1)
    inventory.receive("HAT-1", "north", 2)
    cursor = lists.movements("HAT-1", 1).next_cursor
    assert cursor is not None

    with pytest.raises(InvalidCursor):
        lists.movements("HAT-2", 1, cursor)
    with pytest.raises(InvalidCursor):
        lists.transfers(1, cursor)
    with pytest.raises(ValidationFailed):
        lists.movements("HAT-1", 0)
