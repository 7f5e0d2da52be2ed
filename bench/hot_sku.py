"""Concurrent reservations of one SKU, with its stock in 1 shard and in N shards, on the local stack.

    .venv/bin/python bench/hot_sku.py [--shards 8] [--threads 8] [--per-thread 25] [--runs 1]

It starts a local stack in this process (moto, the template's functions behind the local HTTP API), creates
a marketplace channel with an API key, and for each shard count: receives threads x per-thread units of a
new SKU, flags it hot with that many shards (1: not hot), then has `threads` clients reserve one unit each,
`per-thread` times, through POST /channels/{channel}/reservations, all at once. It prints, side by side:
reservations per second (successful 201s over the wall time), the conditional-check conflicts (DynamoDB
transactions cancelled with ConditionalCheckFailed on a stock item, counted in the channel function: each
one is a read-and-retry), refusals (409) and whether every unit is accounted for. A measurement, not a test.

moto serialises its writes, so the local figures show the conflicts a shard count saves, not DynamoDB's
per-partition throughput (docs/data-model.md has that arithmetic).
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import requests

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "layers" / "shared")]

from local.stack import LocalStack  # noqa: E402


def _conflict_counter() -> tuple[dict[str, int], Any]:
    """Counts ConditionalCheckFailed on stock items in the inventory adapter's cancelled transactions."""
    from commerce.adapters.dynamodb import inventory as adapter  # noqa: PLC0415 - after the stack is up

    counts = {"conflicts": 0}
    lock = threading.Lock()
    original = adapter.cancellation_reasons

    def counting(error: Any) -> list[str]:
        reasons = original(error)
        with lock:
            counts["conflicts"] += reasons.count("ConditionalCheckFailed")
        return reasons

    adapter.cancellation_reasons = counting  # type: ignore[assignment]
    return counts, lambda: setattr(adapter, "cancellation_reasons", original)


def run_once(
    stack: LocalStack, key: str, channel: str, shards: int, threads: int, per_thread: int, stock: int
) -> dict[str, Any]:
    from commerce.composition.inventory import inventory as stock_inventory  # noqa: PLC0415 - the stack's env

    inventory = stock_inventory()
    sku = f"HOT-{uuid.uuid4().hex[:8].upper()}"
    units = stock
    inventory.receive(sku, "wh-paris", units, "bench")
    inventory.make_hot(sku, shards)
    counts, restore = _conflict_counter()
    statuses: list[int] = []
    lock = threading.Lock()
    start_line = threading.Barrier(threads + 1)

    def client(n: int) -> None:
        session = requests.Session()
        start_line.wait()
        for i in range(per_thread):
            response = session.post(
                f"{stack.api_url}/channels/{channel}/reservations",
                json={"external_order_id": f"B-{sku}-{n}-{i}", "lines": {sku: 1}},
                headers={"X-Api-Key": key},
                timeout=60,
            )
            with lock:
                statuses.append(response.status_code)

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    start_line.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    restore()
    levels = inventory.levels(sku)
    reserved = sum(level.reserved for level in levels)
    ok = statuses.count(201)
    return {
        "shards": shards,
        "reservations_per_s": ok / elapsed,
        "conflicts": counts["conflicts"],
        "refused": len(statuses) - ok,
        "accounted": reserved == ok <= units and sum(level.on_hand for level in levels) == units,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--per-thread", type=int, default=25)
    parser.add_argument("--runs", type=int, default=1, help="runs per shard count; the median is printed")
    parser.add_argument(
        "--stock", type=int, default=None, help="units on hand (default: half the reservations, a flash sale)"
    )
    args = parser.parse_args()
    with LocalStack(api_port=0, aws_port=0, issuer_port=0, stripe_port=0, seed=False) as stack:
        from commerce.composition.inventory import stockroom  # noqa: PLC0415
        from commerce.domain.channels import Channel  # noqa: PLC0415

        room = stockroom()
        inventory, channels = room.inventory, room.channels
        inventory.save_location("wh-paris", "Paris warehouse", "warehouse", {"country": "FR"})
        channel = "marketplace:bench"
        channels.save(Channel(channel, "EUR", ("wh-paris",)))
        key = channels.issue_key(channel)
        results: dict[int, list[dict[str, Any]]] = {1: [], args.shards: []}
        stock = args.stock if args.stock is not None else args.threads * args.per_thread // 2
        for _ in range(args.runs):
            for shards, runs in results.items():
                runs.append(run_once(stack, key, channel, shards, args.threads, args.per_thread, stock))
    today = dt.datetime.now(dt.UTC).date().isoformat()
    print(f"# hot SKU, {today}, {platform.machine()}, Python {platform.python_version()}")
    demand = args.threads * args.per_thread
    print(f"# {args.threads} clients x {args.per_thread} reservations of 1 unit ({demand}) for {stock} units")
    print(f"{'':28}" + "".join(f"{f'{n} shard' + ('s' if n > 1 else ''):>14}" for n in results))
    rows = (
        ("reservations per second", "reservations_per_s", "{:.1f}"),
        ("conditional-check conflicts", "conflicts", "{:.0f}"),
        ("refused (409: sold out)", "refused", "{:.0f}"),
    )
    for label, field, fmt in rows:
        cells = [fmt.format(statistics.median(r[field] for r in runs)) for runs in results.values()]
        print(f"{label:28}" + "".join(f"{cell:>14}" for cell in cells))
    accounted = all(r["accounted"] for runs in results.values() for r in runs)
    print(f"{'every unit accounted for':28}" + f"{accounted!s:>14}" * len(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
