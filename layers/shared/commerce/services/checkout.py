"""Checkout: a cart becomes an order priced by the server, its units reserved, its payment created and its
workflow started. A step that fails after the reservation gives the units back at once."""

from __future__ import annotations

import hmac
import logging
import secrets
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from commerce.domain.cart import Cart, CartPolicy, price_cart
from commerce.domain.catalog import SkuRecord
from commerce.domain.channels import DEFAULT_CHANNEL, Channel, checkout_channel
from commerce.domain.customer import Address, AddressInput, email_address
from commerce.domain.errors import EmptyCart, NotFound, NotSellable, UnsupportedCurrency, ValidationFailed
from commerce.domain.inventory_ports import ChannelScopes
from commerce.domain.order import Order, OrderStatus, TimelineEntry
from commerce.domain.ports import (
    CartRepository,
    CatalogRepository,
    OrderRepository,
    PaymentGateway,
    PaymentIntent,
    StockLedger,
    Workflow,
)
from commerce.domain.pricing import Destination
from commerce.services.carts import hash_token
from commerce.services.pricing import Pricer, shopper_key

# A child of the "commerce" logger Powertools configures (POWERTOOLS_SERVICE_NAME): same JSON lines.
logger = logging.getLogger(__name__)

# The sweeper acts this long after the workflow's own payment timeout should have, so it only catches what
# the workflow missed.
SWEEPER_GRACE = timedelta(minutes=5)
ADDRESS_FIELDS = ("recipient_name", "line1", "line2", "city", "region", "postal_code", "country", "phone")


@dataclass(frozen=True, slots=True)
class CheckoutRequest:
    email: str
    shipping_address: AddressInput
    billing_address: AddressInput | None = None  # None: same as shipping
    locale: str = "en"
    channel: str | None = None  # inventory: the sales channel; None: the storefront's (`web`)
    channel_key: str | None = None  # the API key a channel other than web or app needs (X-Api-Key)


@dataclass(frozen=True, slots=True)
class CheckoutResult:
    order: Order
    order_token: str  # shown once; opens the order for a guest (stored hashed)
    payment: PaymentIntent


def order_token_matches(order: Order, token: str | None) -> bool:
    return bool(token) and hmac.compare_digest(order.order_token_hash, hash_token(token or ""))


def address_fields(given: AddressInput, now: datetime, part: str = "shipping_address") -> dict[str, str]:
    """The address checked as the address book checks it, as the order stores it (no empty fields). A refusal
    names its field in the request (`billing_address.postal_code`): a form shows it in the right place."""
    try:
        checked = Address.of("order", given, now, now)
    except ValidationFailed as refused:
        if "field" in refused.extensions:
            refused.extensions["field"] = f"{part}.{refused.extensions['field']}"
        raise
    values = {name: getattr(checked, name) for name in ADDRESS_FIELDS}
    return {name: value for name, value in values.items() if value}


# inventory: sales channels (docs/inventory.md)
class NotSoldByChannel(NotSellable, title="Not sold on this channel", slug="not-sold-by-channel"): ...


def _check_channel(
    channel: Channel, currency: str, lines: Iterable[str], skus: Mapping[str, SkuRecord]
) -> None:
    """A named channel sells in its price list's currency and only its products."""
    if currency != channel.currency:
        raise UnsupportedCurrency(
            f"{channel.id} sells in {channel.currency}", supported=[channel.currency], channel=channel.id
        )
    refused = [
        {"sku": sku, "reason": f"not sold on {channel.id}"}
        for sku in sorted(lines)
        if sku not in skus or not channel.sells(skus[sku].product_id)
    ]
    if refused:
        raise NotSoldByChannel(f"some lines are not sold on {channel.id}", channel=channel.id, lines=refused)


class Checkout:
    def __init__(
        self,
        carts: CartRepository,
        catalog: CatalogRepository,
        orders: OrderRepository,
        ledger: StockLedger,
        payments: PaymentGateway,
        workflow: Workflow,
        clock: Callable[[], datetime],
        policy: CartPolicy,
        payment_timeout: timedelta,
        default_locale: str,
        pricer: Pricer | None = None,
        channels: ChannelScopes | None = None,
    ) -> None:
        self._carts = carts
        self._catalog = catalog
        self._orders = orders
        self._ledger = ledger
        self._payments = payments
        self._workflow = workflow
        self._clock = clock
        self._policy = policy
        self._payment_timeout = payment_timeout
        self._default_locale = default_locale
        self._pricer = pricer or Pricer(None, lambda _customer: False, clock, {})
        self._channels = channels  # inventory: sales channels (None: every checkout draws on every location)

    def guest(self, cart_id: str, cart_token: str | None, request: CheckoutRequest) -> CheckoutResult:
        cart = self._carts.get(cart_id) if cart_token else None
        if (
            cart is None
            or cart.customer_id
            or not self._live(cart)
            or not hmac.compare_digest(cart.token_hash, hash_token(cart_token or ""))
        ):
            raise NotFound("no such cart")
        return self._check_out(cart, request)

    def customer(self, customer_id: str, request: CheckoutRequest) -> CheckoutResult:
        cart_id = self._carts.customer_cart_id(customer_id)
        cart = self._carts.get(cart_id) if cart_id else None
        if cart is None or cart.customer_id != customer_id or not self._live(cart):
            raise EmptyCart("the cart is empty")
        return self._check_out(cart, request)

    # the steps
    def _check_out(self, cart: Cart, request: CheckoutRequest) -> CheckoutResult:
        now = self._clock()
        channel = self._channel(request.channel, request.channel_key)
        order, token = self._new_order(cart, request, now, channel)
        placed = self._orders.place(order, cart, channel)
        logger.info("stock reserved", extra={"order_id": placed.id, "lines": len(placed.lines)})
        intent: PaymentIntent | None = None
        try:
            intent = self._payments.create_intent(placed)
            with_payment = replace(placed, payment_intent_id=intent.id, version=placed.version + 1)
            self._orders.attach_payment_intent(with_payment, placed.version)
            self._workflow.start(placed.id)
        except Exception:
            logger.warning("checkout abandoned after the reservation", extra={"order_id": placed.id})
            self._abandon(placed.id, intent.id if intent else None)
            raise
        return CheckoutResult(order=with_payment, order_token=token, payment=intent)

    def _new_order(
        self, cart: Cart, request: CheckoutRequest, now: datetime, channel: Channel | None = None
    ) -> tuple[Order, str]:
        skus = self._catalog.get_skus(list(cart.lines)) if cart.lines else {}
        if channel is not None and request.channel is not None:  # inventory: a named channel's terms
            _check_channel(channel, cart.currency, cart.lines, skus)
        shipping = address_fields(request.shipping_address, now)
        billing = (
            address_fields(request.billing_address, now, "billing_address")
            if request.billing_address
            else dict(shipping)
        )
        priced = price_cart(cart, skus, request.locale, self._default_locale)
        # pricing: promotions, tax for the shipping address's region, shipping by zone
        destination = Destination(shipping["country"], shipping.get("region"))
        priced_order = self._pricer.quote(priced, skus, destination, cart.customer_id)
        if priced_order.code_refusal is not None:
            raise priced_order.code_refusal
        buyer = shopper_key(cart.customer_id, request.email)
        pricing = self._pricer.order_pricing(priced_order, cart.discount_code, buyer)
        token = secrets.token_urlsafe(32)
        order = Order(
            id=str(uuid.uuid4()),
            status=OrderStatus.PENDING_PAYMENT,
            currency=cart.currency,
            lines=priced_order.lines,
            totals=priced_order.totals,
            email=email_address(request.email),
            shipping_address=shipping,
            billing_address=billing,
            created_at=now,
            reservations=(),
            reservation_expires_at=now + self._payment_timeout + SWEEPER_GRACE,
            order_token_hash=hash_token(token),
            customer_id=cart.customer_id,
            cart_id=cart.id,
            timeline=(TimelineEntry(now, "order_placed"),),
            tax_country=priced_order.country,
            pricing=pricing,
            attribution=cart.attribution,  # the cart's campaign, carried to its order
            channel=channel.id if channel else DEFAULT_CHANNEL,  # inventory: the sales channel
        )
        return order, token

    def _abandon(self, order_id: str, intent_id: str | None) -> None:
        """Cancels the payment and the order and gives the units back; what fails here the sweeper retries."""
        try:
            if intent_id:
                self._payments.cancel_intent(intent_id)
            order = self._orders.get(order_id)
            if order is None or not order.is_pending:
                return
            cancelled = order.cancelled(self._clock(), "checkout_failed")
            self._ledger.release(cancelled, order.version, "checkout_failed")
        except Exception:  # the caller raises the first error; this one must not hide it
            logger.exception(
                "could not undo a failed checkout; the sweeper will", extra={"order_id": order_id}
            )

    # inventory: sales channels (docs/inventory.md)
    def _channel(self, channel_id: str | None, key: str | None = None) -> Channel | None:
        """The named channel (NotFound if a public one is not set up; ChannelKeyRequired, before anything is
        read or reserved, for any other without its key), else the storefront's `web` channel if set up."""
        if channel_id is not None:
            named = self._named_channel(channel_id)
            checkout_channel(channel_id, named, key)
            if named is None and self._channels is not None:
                raise NotFound(f"no channel {channel_id}")
            return named
        if self._channels is None:
            return None
        try:
            return self._channels.channel(DEFAULT_CHANNEL)
        except NotFound:
            return None

    def _named_channel(self, channel_id: str) -> Channel | None:
        if self._channels is None:
            return None
        try:
            return self._channels.channel(channel_id)
        except NotFound:
            return None

    def _live(self, cart: Cart) -> bool:
        return cart.expires_at(self._policy) > self._clock()
