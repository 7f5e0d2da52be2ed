"""Orders after checkout: the buyer's view of one order, the staff's lists, the fraud review decision and
the flags staff resolve."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from commerce.domain.errors import Conflict, InvalidState, LimitExceeded, NotFound
from commerce.domain.identity import Principal
from commerce.domain.order import Order, OrderStatus, PaymentOutcome
from commerce.domain.ports import OrderRepository, Period, Workflow
from commerce.services.checkout import order_token_matches
from commerce.services.pagination import CursorCodec, CursorPage

MAX_PAGE = 100
REJECTED = "OrderRejected"  # the error the review task fails with: the workflow refunds, releases, cancels
_NOT_FOUND = "no such order"


def payment_status(order: Order) -> str:
    """pending, succeeded, failed, canceled, partially_refunded or refunded, for the buyer's page."""
    if order.payment_outcome is None:
        return "failed" if order.declined else "pending"
    if order.payment_outcome is PaymentOutcome.SUCCEEDED and order.refunded > 0:
        return "refunded" if order.refunded >= order.totals.total.amount else "partially_refunded"
    return order.payment_outcome.value


class Orders:
    def __init__(
        self,
        orders: OrderRepository,
        workflow: Workflow,
        cursors: CursorCodec,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._orders, self._workflow, self._cursors, self._clock = orders, workflow, cursors, clock

    # the buyer
    def for_token(self, order_id: str, token: str | None) -> Order:
        """The order whose secret token (returned by checkout) this is; NotFound for anything else, so the
        answer does not tell whether the id exists."""
        order = self._orders.get(order_id)
        if order is None or not order_token_matches(order, token):
            raise NotFound(_NOT_FOUND)
        return order

    def for_customer(self, order_id: str, customer_id: str) -> Order:
        order = self._orders.get(order_id)
        if order is None or order.customer_id != customer_id:
            raise NotFound(_NOT_FOUND)
        return order

    # staff
    def list_by_status(
        self,
        status: OrderStatus | None,
        since: datetime | None,
        until: datetime | None,
        limit: int,
        cursor: str | None,
        channel: str | None = None,
        email: str | None = None,
    ) -> CursorPage[Order]:
        """Orders newest first, every filter given applying at once. By `email`: that address's orders (in
        `status` when given, any status otherwise); without it: the orders in `status` (on_hold when None)."""
        if not 1 <= limit <= MAX_PAGE:
            raise LimitExceeded(f"limit must be between 1 and {MAX_PAGE}")
        if email is None:
            status = status or OrderStatus.ON_HOLD
        context: dict[str, Any] = {
            "list": "orders_by_status",
            "status": status.value if status else None,
            "from": since.isoformat() if since else None,
            "to": until.isoformat() if until else None,
            "channel": channel,
            "email": email.strip().lower() if email else None,
        }
        position = self._cursors.decode(cursor, context) if cursor else None
        period = Period(since, until)
        if email is not None:
            page = self._orders.list_for_email(email, period, limit, position, status, channel)
        else:
            page = self._orders.list_by_status(
                status or OrderStatus.ON_HOLD, period, limit, position, channel
            )
        next_cursor = self._cursors.encode(page.next_position, context) if page.next_position else None
        return CursorPage(page.items, next_cursor)

    def approve(self, order_id: str, staff: Principal) -> Order:
        """Releases a held order: the review task resumes and the workflow sells its units."""
        current = self._orders.get(order_id)
        if current is not None and current.payment_outcome is PaymentOutcome.MISMATCHED:
            raise InvalidState(
                f"order {order_id} was paid another amount or currency than its total: reject it (what was "
                "received is refunded) and let the buyer order again",
                reason="payment_mismatch",
            )
        order, token = self._awaiting_review(order_id)
        if not self._workflow.resume(token, {"decision": "approve", "reviewed_by": staff.subject}):
            raise InvalidState("the review of this order is no longer waiting")
        return order

    def reject(self, order_id: str, staff: Principal, reason: str) -> Order:
        """Refuses a held order: the review task fails and the workflow refunds, releases and cancels."""
        order, token = self._awaiting_review(order_id)
        if not self._workflow.fail(token, REJECTED, f"{reason} (by {staff.subject})"):
            raise InvalidState("the review of this order is no longer waiting")
        return order

    def resolve_flag(self, order_id: str, flag: str, note: str, staff: Principal) -> Order:
        """Takes a flag off once staff have dealt with it: one conditional write on the order's version,
        which takes it off staff's list of flagged orders when no flag is left. Like approve and reject, it
        announces no event: nothing about the order's money, stock or status changes."""
        current = self._orders.get(order_id)
        if current is None:
            raise NotFound(_NOT_FOUND)
        resolved = current.flag_resolved(self._clock(), flag, note, staff.subject)
        if resolved is not current:
            self._orders.save(resolved, current.version)
        return resolved

    def _awaiting_review(self, order_id: str) -> tuple[Order, str]:
        order = self._orders.get(order_id)
        if order is None:
            raise NotFound(_NOT_FOUND)
        if order.status is not OrderStatus.ON_HOLD:
            raise InvalidState(f"order {order_id} is {order.status.value}, not on_hold")
        if not order.task_token:
            raise Conflict("the review of this order has not started yet; try again in a moment")
        return order, order.task_token
