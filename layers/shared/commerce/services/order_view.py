"""One order whole, for staff: the order, its refunds, its shipments (and whether each one's label is kept)
and its returns, each read by the order's key (a Query of its partition, a HEAD per label), never a Scan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from commerce.domain.errors import NotFound
from commerce.domain.fulfillment import Shipment
from commerce.domain.order import Order
from commerce.domain.ports import OrderRepository
from commerce.domain.refunds import RefundRecord
from commerce.domain.returns import Return
from commerce.services.customer_view import ReturnsReader


class RefundHistory(Protocol):
    def for_order(self, order_id: str) -> list[RefundRecord]:
        """Every refund of the order, oldest first."""
        ...


class ShipmentsReader(Protocol):
    def for_order(self, order_id: str) -> list[Shipment]: ...


class LabelShelf(Protocol):
    def has(self, shipment_id: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class OrderDossier:
    order: Order
    refunds: tuple[RefundRecord, ...]
    shipments: tuple[Shipment, ...]
    returns: tuple[Return, ...]  # newest first
    labelled: frozenset[str] = frozenset()  # the shipments whose label is kept (GET .../label serves it)


class OrderView:
    def __init__(
        self,
        orders: OrderRepository,
        refunds: RefundHistory,
        shipments: ShipmentsReader,
        returns: ReturnsReader,
        labels: LabelShelf,
    ) -> None:
        self._orders, self._refunds, self._shipments, self._returns = orders, refunds, shipments, returns
        self._labels = labels

    def dossier(self, order_id: str) -> OrderDossier:
        order = self._orders.get(order_id)
        if order is None:
            raise NotFound("no such order")
        returns = sorted(
            self._returns.for_order(order_id), key=lambda r: (r.requested_at, r.id), reverse=True
        )
        shipments = sorted(self._shipments.for_order(order_id), key=lambda s: s.id)
        return OrderDossier(
            order=order,
            refunds=tuple(self._refunds.for_order(order_id)),
            shipments=tuple(shipments),
            returns=tuple(returns),
            labelled=frozenset(s.id for s in shipments if self._labels.has(s.id)),
        )
