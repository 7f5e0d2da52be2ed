"""Random sequences of stock operations, shared by the ledger's property tests (in memory and on moto)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from commerce.domain.errors import InvalidState, OutOfStock
from commerce.domain.inventory import Movement, Reason, StockLevel, replay
from commerce.domain.inventory_ports import Change, InventoryStore

LOCATIONS = ("north", "south", "store-1")
START = datetime(2026, 11, 27, 9, tzinfo=UTC)

_single = st.tuples(
    st.sampled_from(
        [Reason.RECEIPT, Reason.RESERVATION, Reason.RELEASE, Reason.SALE, Reason.RETURN, Reason.ADJUSTMENT]
    ),
    st.sampled_from(LOCATIONS),
    st.integers(min_value=1, max_value=8),
    st.booleans(),  # an adjustment down rather than up
)
_transfer = st.tuples(
    st.just("transfer"),
    st.sampled_from(LOCATIONS),
    st.integers(min_value=1, max_value=8),
    st.sampled_from(LOCATIONS),
)
operations = st.lists(st.one_of(_single, _transfer), min_size=1, max_size=30)


def run(store: InventoryStore, sku: str, ops: list[tuple[object, ...]]) -> int:
    """Applies each operation (those the rules refuse change nothing), checking the invariants after each;
    how many were accepted."""
    accepted = 0
    for step, op in enumerate(ops):
        at = START + timedelta(seconds=step)
        if op[0] == "transfer":
            _, source, quantity, destination = op
            if source == destination:
                continue
            change = Change(
                movements=[
                    Movement(sku, str(source), Reason.TRANSFER_OUT, int(quantity), at, f"t{step}"),  # type: ignore[call-overload]
                    Movement(sku, str(destination), Reason.TRANSFER_IN, int(quantity), at, f"t{step}"),  # type: ignore[call-overload]
                ]
            )
        else:
            reason, location, quantity, down = op
            signed = -int(quantity) if reason == Reason.ADJUSTMENT and down else int(quantity)  # type: ignore[call-overload]
            change = Change(movements=[Movement(sku, str(location), str(reason), signed, at, f"r{step}")])
        before = {level.location: level for level in store.levels(sku)}
        try:
            store.apply(change)
            accepted += 1
        except (OutOfStock, InvalidState):
            assert {level.location: level for level in store.levels(sku)} == before
        check(store, sku)
    return accepted


def check(store: InventoryStore, sku: str) -> None:
    ledger = list(reversed(store.movements(sku)))
    for level in store.levels(sku):
        explained = replay(sku, level.location, ledger)
        assert explained == StockLevel(sku, level.location, level.on_hand, level.reserved)
        assert level.reserved >= 0
        assert level.on_hand - level.reserved >= 0
