"""Returns: the buyer asks for lines of a delivered order within the window, never more units than were
bought and not yet asked back; staff receive them at a location, the refund goes out through the payment
provider, and only then are the units back in stock (`return` movements)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from commerce.domain.errors import Conflict, NotFound, TransientError, ValidationFailed
from commerce.domain.events import DomainEvent
from commerce.domain.order import Order
from commerce.domain.permissions import Authority
from commerce.domain.ports import ReturnRepository
from commerce.domain.returns import Return, ReturnStatus, request_lines, returned_units
from commerce.services.after_sales import AfterSales
from commerce.services.outbox import OutboxRelay

logger = logging.getLogger(__name__)

ATTEMPTS = 5
FINISH_GRACE = timedelta(minutes=5)  # a receipt in progress has finished by then
FINISH_LIMIT = 50
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
        relay: OutboxRelay,
        clock: Callable[[], datetime],
    ) -> None:
        """`relay` publishes the events each write committed in its outbox."""
        self._returns, self._after_sales, self._relay, self._clock = returns, after_sales, relay, clock

    def request(self, order: Order, lines: Mapping[str, int], reason: str) -> Return:
        """A return of `lines` ({sku: units}) of the buyer's order (the caller checked it is theirs). Its
        units are counted against what was bought in the write that records it, so requests racing for the
        same units get one return between them."""
        for _ in range(ATTEMPTS):
            now = self._clock()
            earlier = self._returns.for_order(order.id)
            item = Return(
                id=f"ret-{uuid.uuid4().hex[:12]}",
                order_id=order.id,
                lines=request_lines(order, lines, earlier, now),
                reason=reason,
                requested_at=now,
            )
            before = returned_units(earlier)
            events = [_event("ReturnRequested", item, now)]
            try:
                self._returns.add(item, {sku: before.get(sku, 0) for sku in lines}, events)
            except Conflict:
                continue  # another return of the order came first: count again
            self._relay.deliver(events)
            logger.info("return requested", extra={"order_id": order.id, "return_id": item.id})
            return item
        raise TransientError(f"returns of order {order.id} keep changing; try again")

    def receive(
        self, return_id: str, location: str, refund_amount: int | None, staff: str, *, authority: Authority
    ) -> Return:
        """Arrived at `location`: refunded `refund_amount` (less than due for a damaged item, say; all that is
        due when None), then back on hand there in the write that marks it refunded. Asking again finishes
        what is left and changes nothing twice; a refund that is refused leaves it requested, unstocked.
        The first ask is refused, before anything changes, if the refund passes `authority`'s limit."""
        item = self._returns.get(return_id)
        if item is None:
            raise NotFound("no such return")
        if item.status is ReturnStatus.REQUESTED:
            amount = item.refund_due if refund_amount is None else refund_amount
            if 0 < amount <= item.refund_due:
                order = self._after_sales.get(item.order_id)
                self._after_sales.require_refund_authority(order, amount, authority)
            received = item.received(location, self._clock(), amount)
            try:
                self._returns.receive(received)
            except Conflict:
                reread = self._returns.get(return_id)
                if reread is None or reread.status is ReturnStatus.REQUESTED:
                    raise
                received = reread
            else:
                logger.info(
                    "return received", extra={"return_id": item.id, "location": location, "staff": staff}
                )
            item = received
        if item.status is ReturnStatus.RECEIVED:
            item = self._refund_and_restock(item)
        return item

    def finish_received(self, grace: timedelta = FINISH_GRACE, limit: int = FINISH_LIMIT) -> int:
        """Refunds and restocks the returns a crash left received for longer than `grace` (the sweeper's
        run); how many it finished. One that fails stays for the next run (a refused refund reopens it)."""
        finished = 0
        for item in self._returns.received_before(self._clock() - grace, limit):
            try:
                self._refund_and_restock(item)
            except Exception:  # one return must not stop the others; it is logged and tried again
                logger.warning("received return not finished", extra={"return_id": item.id}, exc_info=True)
                continue
            finished += 1
        return finished

    def _refund_and_restock(self, item: Return) -> Return:
        refund_id = None
        if item.to_refund:
            try:
                refund_id = self._after_sales.refund_return(item.order_id, item.id, item.to_refund).refund_id
            except (ValidationFailed, NotFound, Conflict):
                # Refused for good (the order disputed, refunded in full meanwhile...): nothing goes on hand.
                # Anything else (the provider down) leaves it received for a retry to finish.
                self._returns.reopen(item.reopened())
                raise
        done = item.refunded_as(refund_id)
        events = [_event("ReturnReceived", done, self._clock())]
        try:
            self._returns.restock(done, events)
        except Conflict:
            reread = self._returns.get(item.id)
            if reread is None or reread.status is not ReturnStatus.REFUNDED:
                raise
            return reread  # a concurrent receipt finished it
        self._relay.deliver(events)
        logger.info("return refunded and restocked", extra={"return_id": item.id, "refunded": done.refunded})
        return done
