"""Fixes to moto's DynamoDB that the local stack relies on; install() once, before any request.

- Isolation: moto runs a transaction's condition checks and writes without a lock, so two
  concurrent checkouts could both take the last unit; and its request handlers copy and serialise
  items that another thread's write changes in place ("dictionary changed size during iteration").
  Every DynamoDB request, read or write, answer included, runs here under one process-wide
  re-entrant lock, which makes each one atomic, as DynamoDB does.
- Rollback: moto deep-copies every table a transaction touches (all items and every stream record
  ever written) to roll back on failure: each transaction got slower as the table grew, and a
  concurrent write during the copy failed the request. Only the items the transaction names are
  saved and put back now, and the failed transaction's stream records are dropped.
- Query: moto sorts every item of the table on each query; a query on the table's own key reads
  only its partition now.
Stream records are still delivered to Lambda inside the write; patches.moto_lambda runs those
handlers on a worker thread, so a handler that writes to DynamoDB cannot deadlock on the lock.
"""

from __future__ import annotations

import copy
import functools
import inspect
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import Table
from moto.dynamodb.responses import DynamoHandler

TABLE_LOCK = threading.RLock()
_WRITES = ("put_item", "update_item", "delete_item")
_state = threading.local()
_installed = False


@dataclass
class _SavedItem:
    table: Table
    hash_key: Any
    range_key: Any
    original: Any


def _table_deepcopy(table: Table, memo: dict[int, Any]) -> Table:
    if getattr(_state, "in_transaction", False):
        return table  # moto's own rollback then puts back the same object: a no-op
    clone = copy.copy(table)
    memo[id(table)] = clone
    clone.__dict__ = copy.deepcopy(table.__dict__, memo)
    return clone


def _save(
    backend: DynamoDBBackend, transact_items: list[dict[str, Any]]
) -> tuple[list[_SavedItem], list[Any]]:
    saved: list[_SavedItem] = []
    seen: set[tuple[int, Any, Any]] = set()
    for entry in transact_items:
        op: dict[str, Any] = next(iter(entry.values()), {})
        try:
            table = backend.get_table(op["TableName"])
            names = [name for name in (table.hash_key_attr, table.range_key_attr) if name]
            hash_key, range_key = backend.get_keys_value(
                table, op.get("Key") or {n: op["Item"][n] for n in names}
            )
        except Exception:  # noqa: S112 - moto reports the malformed operation itself
            continue
        if (id(table), hash_key, range_key) not in seen:
            seen.add((id(table), hash_key, range_key))
            original = copy.deepcopy(table.get_item(hash_key, range_key))
            saved.append(_SavedItem(table, hash_key, range_key, original))
    shards = {id(s.table): s.table.stream_shard for s in saved if s.table.stream_shard is not None}
    return saved, [(shard, len(shard.items)) for shard in shards.values()]


def _restore(saved: list[_SavedItem], stream_lengths: list[Any]) -> None:
    for item in saved:
        if item.range_key is None:
            bucket: dict[Any, Any] = item.table.items
            key = item.hash_key
        else:
            bucket, key = item.table.items[item.hash_key], item.range_key
        if item.original is None:
            bucket.pop(key, None)
        else:
            bucket[key] = item.original
    for shard, length in stream_lengths:
        del shard.items[length:]  # the cancelled transaction's records never happened


def _transact(original: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(original)
    def transact_write_items(backend: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
        with TABLE_LOCK:
            saved, stream_lengths = _save(backend, transact_items)
            _state.in_transaction = True
            try:
                original(backend, transact_items)
            except Exception:
                _restore(saved, stream_lengths)
                raise
            finally:
                _state.in_transaction = False

    return transact_write_items


def _locked(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def locked(*args: Any, **kwargs: Any) -> Any:
        with TABLE_LOCK:
            return original(*args, **kwargs)

    return locked


def _partition_query(original: Callable[..., Any]) -> Callable[..., Any]:
    signature = inspect.signature(original)

    @functools.wraps(original)
    def query(table: Table, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = signature.bind(table, hash_key, *args, **kwargs).arguments.get("index_name")
        if index_name or hash_key is None:
            return original(table, hash_key, *args, **kwargs)
        _state.partition = hash_key
        try:
            return original(table, hash_key, *args, **kwargs)
        finally:
            _state.partition = None

    return query


def _all_items(original: Callable[[Table], list[Any]]) -> Callable[[Table], list[Any]]:
    @functools.wraps(original)
    def all_items(table: Table) -> list[Any]:
        partition = getattr(_state, "partition", None)
        if partition is None:
            return original(table)
        found = table.items.get(partition)
        if found is None:
            return []
        return sorted(found.values(), key=lambda item: item.range_key) if table.range_key_attr else [found]

    return all_items


def install() -> None:
    """Patch moto's DynamoDB backend for this process; calling it again does nothing."""
    global _installed  # noqa: PLW0603 - a process-wide patch is installed once
    if _installed:
        return
    DynamoDBBackend.transact_write_items = _transact(DynamoDBBackend.transact_write_items)  # type: ignore[method-assign]
    for name in _WRITES:
        setattr(DynamoDBBackend, name, _locked(getattr(DynamoDBBackend, name)))
    DynamoHandler.call_action = _locked(DynamoHandler.call_action)  # type: ignore[method-assign]
    Table.__deepcopy__ = _table_deepcopy  # type: ignore[attr-defined]
    Table.query = _partition_query(Table.query)  # type: ignore[method-assign]
    Table.all_items = _all_items(Table.all_items)  # type: ignore[method-assign,assignment]
    _installed = True
