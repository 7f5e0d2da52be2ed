"""Two fixes to moto's DynamoDB so the local stack behaves like the real service under load.

1. Isolation: moto serves requests on many threads and applies a transaction item by item, so two
   concurrent transactions could both pass their conditions and oversell. Real DynamoDB serialises
   them; here every write (and each transaction as a whole) holds one lock.
2. Speed: moto backs up every table a transaction touches with a deep copy, so each transaction costs
   time in proportion to the table's size. Here it backs up only the items the transaction touches.
3. Speed: moto answers every Query by sorting every item of the table. Here a Query on the table's
   own key reads only its partition, and the sorted item list is kept until the table's items change.
"""

from __future__ import annotations

import copy
import functools
import inspect
import threading
import types
from collections.abc import Callable
from typing import Any

from moto.dynamodb import models
from moto.dynamodb.models.table import Table

_LOCK = threading.RLock()
_INSTALLED = False
_QUERY = threading.local()  # the table and partition a Query on the base table is reading
_SORTED: dict[int, tuple[Any, list[Any]]] = {}  # id(table) -> (items dict identity marker, sorted items)


def _deepcopy_except_tables(value: Any, memo: Any = None) -> Any:
    """moto's whole-table backup, turned into a no-op: the item-level undo log below replaces it."""
    return value if isinstance(value, Table) else copy.deepcopy(value, memo)


def _item_key(backend: Any, op_type: str, op: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    table_name = op.get("TableName")
    if not table_name or table_name not in backend.tables:
        return None
    if op_type == "Put":
        table = backend.get_table(table_name)
        attrs = op["Item"]
        key = {table.hash_key_attr: attrs.get(table.hash_key_attr)}
        if table.range_key_attr is not None:
            key[table.range_key_attr] = attrs.get(table.range_key_attr)
        return (table_name, key) if None not in key.values() else None
    return (table_name, op["Key"]) if "Key" in op else None


def _snapshot(backend: Any, transact_items: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any], Any]]:
    undo = []
    for entry in transact_items:
        op_type, op = next(iter(entry.items()))
        target = _item_key(backend, op_type, op)
        if target is None:
            continue
        try:
            current = backend.get_item(*target)
        except Exception:  # noqa: BLE001 - a malformed key: moto reports it when it applies the op
            continue
        undo.append((target[0], target[1], copy.deepcopy(current)))
    return undo


def _restore(backend: Any, undo: list[tuple[str, dict[str, Any], Any]]) -> None:
    for table_name, key, before in reversed(undo):
        table = backend.get_table(table_name)
        hash_value, range_value = backend.get_keys_value(table, key)
        if before is None:
            table.delete_item(hash_value, range_value)
        else:
            table.put_item(before.to_json()["Attributes"])


def _locked(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            return method(*args, **kwargs)

    return wrapper


def _patch_table_reads() -> None:
    original_all_items = Table.all_items
    original_query = Table.query
    original_put = Table.put_item
    original_delete = Table.delete_item

    def all_items(self: Table) -> list[Any]:
        if getattr(_QUERY, "table", None) is self:
            bucket = self.items.get(_QUERY.hash_key)
            if bucket is None:
                return []
            return sorted(bucket.values(), key=lambda i: i.range_key) if self.range_key_attr else [bucket]
        with _LOCK:
            cached = _SORTED.get(id(self))
            if cached is None or cached[0] is not self:
                cached = (self, original_all_items(self))
                _SORTED[id(self)] = cached
            return list(cached[1])

    signature = inspect.signature(original_query)

    def query(self: Table, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = signature.bind(self, hash_key, *args, **kwargs).arguments.get("index_name")
        if index_name or hash_key is None:
            return original_query(self, hash_key, *args, **kwargs)
        _QUERY.table, _QUERY.hash_key = self, hash_key
        try:
            return original_query(self, hash_key, *args, **kwargs)
        finally:
            _QUERY.table = _QUERY.hash_key = None

    def put_item(self: Table, *args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            _SORTED.pop(id(self), None)
            return original_put(self, *args, **kwargs)

    def delete_item(self: Table, *args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            _SORTED.pop(id(self), None)
            return original_delete(self, *args, **kwargs)

    Table.all_items = all_items  # type: ignore[method-assign]
    Table.query = query  # type: ignore[method-assign]
    Table.put_item = put_item  # type: ignore[method-assign]
    Table.delete_item = delete_item  # type: ignore[method-assign]


def install() -> None:
    """Patch moto's DynamoDB backend (idempotent; the in-process server shares the class)."""
    global _INSTALLED  # noqa: PLW0603 - a process-wide patch is applied once
    if _INSTALLED:
        return
    backend_class = models.DynamoDBBackend
    original_transact = backend_class.transact_write_items
    models.copy = types.SimpleNamespace(deepcopy=_deepcopy_except_tables)  # type: ignore[attr-defined]

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        with _LOCK:
            undo = _snapshot(self, transact_items)
            try:
                original_transact(self, transact_items)
            except Exception:
                _restore(self, undo)
                raise

    backend_class.transact_write_items = transact_write_items
    for name in ("put_item", "update_item", "delete_item", "get_item"):
        if hasattr(backend_class, name):
            setattr(backend_class, name, _locked(getattr(backend_class, name)))
    _patch_table_reads()
    _INSTALLED = True
