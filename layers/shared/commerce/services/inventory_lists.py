"""Staff's inventory lists, a page at a time: a SKU's whole ledger of movements, and every transfer."""

from __future__ import annotations

from commerce.domain.inventory import Movement, Transfer
from commerce.domain.inventory_ports import InventoryStore
from commerce.services.inventory import TRANSFERS_INDEX, transfer_from
from commerce.services.pagination import CursorCodec, CursorPage, check_limit


class InventoryLists:
    def __init__(self, store: InventoryStore, cursors: CursorCodec) -> None:
        self._store = store
        self._cursors = cursors

    def movements(self, sku: str, limit: int, cursor: str | None = None) -> CursorPage[Movement]:
        """Newest first, over every shard the SKU's stock was ever split into."""
        check_limit(limit)
        context = {"movements_of": sku}
        position = self._cursors.decode(cursor, context) if cursor else None
        page = self._store.movement_page(sku, limit, position)
        next_cursor = self._cursors.encode(page.next_position, context) if page.next_position else None
        return CursorPage(items=page.items, next_cursor=next_cursor)

    def transfers(self, limit: int, cursor: str | None = None) -> CursorPage[Transfer]:
        """Newest sent first, received or in transit."""
        check_limit(limit)
        context = {"transfers": True}
        position = self._cursors.decode(cursor, context) if cursor else None
        page = self._store.index_page(TRANSFERS_INDEX, limit, position)
        next_cursor = self._cursors.encode(page.next_position, context) if page.next_position else None
        return CursorPage(items=tuple(transfer_from(r) for r in page.items), next_cursor=next_cursor)
