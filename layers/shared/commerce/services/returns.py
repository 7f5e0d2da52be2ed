"""Returns: the buyer asks for lines of a delivered order within the window; staff receive them at a
location (back in stock as `return` movements) and the refund goes out through the payment provider."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime

from commerce.domain.errors import Conflict, NotFound, ValidationFailed
from commerce.domain.events import DomainEvent
from commerce.domain.order import Order
from commerce.domain.permissions import Authority
from commerce.domain.ports import EventPublisher, ReturnRepository
from commerce.domain.returns import Return, ReturnStatus, request_lines
from commerce.services.after_sales import AfterSales

logger = logging.getLogger(__name__)

_RETURN_EVENTS = uuid.UUID("9b8f4c55-2d7e-4d9f-8e0a-6c4f3b2a1d90")


def _event(kind: str, item: Return, at: datetime) -> DomainEvent:
    return DomainEvent(
        type=kind,
        occurred_at=at,
        event_id=str(uuid.uuid5(_RETURN_EVENTS, f"{kind}:{item.id}")),
        data={
            "order_id": item.order_id,
            "return_id": item.id,
            "location": item.location,
            "lines": [{"sku": line.sku, "quantity": line.quantity} for line in item.lines],
            "refund_due": item.refund_due,
        },
    )


class Returns:
    def __init__(
        self,
        returns: ReturnRepository,
        after_sales: AfterSales,
        events: EventPublisher,
        clock: Callable[[], datetime],
    ) -> None:
        self._returns, self._after_sales, self._events, self._clock = returns, after_sales, events, clock

    def request(self, order: Order, lines: Mapping[str, int], reason: str) -> Return:
        """A return of `lines` ({sku: units}) of the buyer's order (the caller checked it is theirs)."""
        now = self._clock()
        earlier = self._returns.for_order(order.id)
        item = Return(
            id=f"ret-{uuid.uuid4().hex[:12]}",
            order_id=order.id,
            lines=request_lines(order, lines, earlier, now),
            reason=reason,
            requested_at=now,
        )
        self._returns.add(item)
        self._events.publish([_event("ReturnRequested", item, now)])
        logger.info("return requested", extra={"order_id": order.id, "return_id": item.id})
        return item

    def receive(
        self, return_id: str, location: str, refund_amount: int | None, staff: str, *, authority: Authority
    ) -> Return:
        """Back in stock at `location`, then refunded: `refund_amount` (for a partial refund: a damaged item,
        say) or what the lines are worth. Asking again finishes what is left and changes nothing twice.
        The first ask is refused, before anything changes, if the refund passes `authority`'s limit."""
        item = self._returns.get(return_id)
        if item is None:
            raise NotFound("no such return")
        amount = item.refund_due if refund_amount is None else refund_amount
        if not 0 <= amount <= item.refund_due:
            raise ValidationFailed(
                f"the refund of return {item.id} is 0 to {item.refund_due} minor units", field="refund_amount"
            )
        if item.status is ReturnStatus.REQUESTED and amount > 0:
            order = self._after_sales.get(item.order_id)
            self._after_sales.require_refund_authority(order, amount, authority)
        if item.status is ReturnStatus.REQUESTED:
            received = item.received(location, self._clock())
            try:
                self._returns.receive(received)
            except Conflict:
                reread = self._returns.get(return_id)
                if reread is None or reread.status is ReturnStatus.REQUESTED:
                    raise
                received = reread
            else:
                self._events.publish([_event("ReturnReceived", received, self._clock())])
                logger.info(
                    "return received", extra={"return_id": item.id, "location": location, "staff": staff}
                )
            item = received
        if item.status is ReturnStatus.RECEIVED:
            refund_id = None
            if amount > 0:
                refund_id = self._after_sales.refund_return(item.order_id, item.id, amount).refund_id
            item = replace(item, status=ReturnStatus.REFUNDED, refund_id=refund_id, refunded=amount)
            self._returns.refunded(item)
        return item
