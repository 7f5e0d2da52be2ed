"""An in-memory ReturnRepository (domain/ports.py) for unit tests; stock is the inventory's business."""

from __future__ import annotations

from commerce.domain.errors import Conflict
from commerce.domain.returns import Return, ReturnStatus


class InMemoryReturns:
    def __init__(self) -> None:
        self.returns: dict[str, Return] = {}

    def add(self, item: Return) -> None:
        if item.id in self.returns:
            raise Conflict("that return exists already")
        self.returns[item.id] = item

    def get(self, return_id: str) -> Return | None:
        return self.returns.get(return_id)

    def for_order(self, order_id: str) -> list[Return]:
        return [r for r in self.returns.values() if r.order_id == order_id]

    def receive(self, item: Return) -> None:
        current = self.returns.get(item.id)
        if current is None or current.status is not ReturnStatus.REQUESTED:
            raise Conflict("the return was received already")
        self.returns[item.id] = item

    def refunded(self, item: Return) -> None:
        self.returns[item.id] = item
