"""A hot SKU's stock split across shards, so a flash sale's writes spread over several items.

One DynamoDB item (and one partition key) takes about 1,000 writes a second. A hot SKU's stock at a
location is split into N shards: shard 0 is the location's usual item, shards 1..N-1 are items of their
own partition key. In the ledger a shard is a sub-location named `<location>@<n>`, so every rule of the
ledger holds per shard, and a location's stock is the sum of its shards'."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime

from commerce.domain.errors import ValidationFailed
from commerce.domain.inventory import Movement, Reason, StockLevel

SEPARATOR = "@"
MAX_SHARDS = 32


def shard_location(location: str, shard: int) -> str:
    return location if shard == 0 else f"{location}{SEPARATOR}{shard}"


def base_location(location: str) -> str:
    return location.split(SEPARATOR, 1)[0]


def shard_of(location: str) -> int:
    _, _, shard = location.partition(SEPARATOR)
    return int(shard) if shard else 0


def check_shards(shards: int) -> int:
    if not 1 <= shards <= MAX_SHARDS:
        raise ValidationFailed(f"between 1 and {MAX_SHARDS} shards")
    return shards


def even_split(total: int, shards: int) -> list[int]:
    """`total` units over `shards`, the first ones taking the remainder: sums to `total`."""
    share, extra = divmod(total, shards)
    return [share + (1 if n < extra else 0) for n in range(shards)]


def rebalance(levels: Sequence[StockLevel], shards: int, at: datetime, reference: str) -> list[Movement]:
    """Transfers that even out what is available over a location's shards (on hand at the location and in
    total is unchanged: each transfer_out has its transfer_in). Reserved units stay where they are."""
    moves: list[Movement] = []
    by_location: dict[str, dict[int, StockLevel]] = {}
    for level in levels:
        by_location.setdefault(base_location(level.location), {})[shard_of(level.location)] = level
    for location, found in sorted(by_location.items()):
        sku = next(iter(found.values())).sku
        current = [
            found.get(n, StockLevel(sku, shard_location(location, n))).available for n in range(shards)
        ]
        extra_shards = [n for n in found if n >= shards]  # shards beyond N (N was lowered): drain them
        total = sum(current) + sum(found[n].available for n in extra_shards)
        target = even_split(total, shards)
        surplus = [(n, current[n] - target[n]) for n in range(shards) if current[n] > target[n]]
        surplus += [(n, found[n].available) for n in extra_shards if found[n].available > 0]
        deficit = [(n, target[n] - current[n]) for n in range(shards) if current[n] < target[n]]
        for giver, spare_units in surplus:
            spare = spare_units
            while spare > 0 and deficit:
                taker, need = deficit[0]
                units = min(spare, need)
                source, destination = shard_location(location, giver), shard_location(location, taker)
                moves.append(Movement(sku, source, Reason.TRANSFER_OUT, units, at, reference, "rebalance"))
                moves.append(
                    Movement(sku, destination, Reason.TRANSFER_IN, units, at, reference, "rebalance")
                )
                spare -= units
                deficit[0] = (taker, need - units)
                if deficit[0][1] == 0:
                    deficit.pop(0)
    return moves


def reservation_order(levels: Sequence[StockLevel], rng: random.Random | None = None) -> list[StockLevel]:
    """The shards to try: a random one first, so concurrent reservations spread; then the others, the
    fullest first, as the fall-back."""
    if not levels:
        return []
    chooser = rng or random.Random()  # noqa: S311 - spreading load, not a secret
    first = chooser.choice(list(levels))
    rest = sorted((lv for lv in levels if lv is not first), key=lambda lv: (-lv.available, lv.location))
    return [first, *rest]
