"""The ports the use cases talk through; each has a DynamoDB adapter and an in-memory fake."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

# The domain's types name the ports' arguments only: a function that uses two ports does not load the
# modules of all the others' types.
if TYPE_CHECKING:
    from commerce.domain.carrier_rates import CarrierLabel, CarrierRate, RateRequest
    from commerce.domain.cart import Cart
    from commerce.domain.catalog import Category, Product, ProductStatus, SkuRecord
    from commerce.domain.channels import Channel
    from commerce.domain.customer import Address, Profile
    from commerce.domain.events import DomainEvent
    from commerce.domain.flags import FlaggedOrder
    from commerce.domain.fulfillment import Shipment
    from commerce.domain.fx import FxSnapshot
    from commerce.domain.notifications import Email
    from commerce.domain.order import Order, OrderStatus
    from commerce.domain.order_history import OrderRecord
    from commerce.domain.promotions import Promotion, PromotionStatus
    from commerce.domain.refunds import PendingRefund, RefundCompletion
    from commerce.domain.returns import Return


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    next_position: Mapping[str, Any] | None  # opaque to callers; the service signs it into a cursor


@dataclass(frozen=True, slots=True)
class Period:
    """From `since` up to but not including `until`; an end that is None is open."""

    since: datetime | None = None
    until: datetime | None = None

    def includes(self, at: datetime) -> bool:
        return (self.since is None or at >= self.since) and (self.until is None or at < self.until)


class CatalogRepository(Protocol):
    def get_product(self, product_id: str) -> Product | None: ...

    def get_products(self, product_ids: Sequence[str]) -> dict[str, Product]: ...

    def list_products(
        self, category: str | None, limit: int, position: Mapping[str, Any] | None
    ) -> Page[Product]: ...

    def list_for_staff(
        self,
        statuses: Sequence[ProductStatus],
        category: str | None,
        limit: int,
        position: Mapping[str, Any] | None,
    ) -> Page[Product]:
        """Products in any of the statuses (of the category, if one), by folded default-locale name."""
        ...

    def search(self, language: str, term: str) -> set[str]:
        """Ids of active products indexed under the term in the language; under `search.STAFF`, of
        products in any status, by their names, slug and SKUs."""
        ...

    def list_categories(self) -> list[Category]: ...

    def get_category(self, slug: str) -> Category | None: ...

    def get_skus(self, skus: Sequence[str]) -> dict[str, SkuRecord]: ...

    def save_product(self, product: Product) -> None: ...

    def save_category(self, category: Category) -> None: ...


class StockLevels(Protocol):
    def available(self, skus: Sequence[str]) -> dict[str, int]:
        """Units available to sell per SKU, summed over locations; absent SKUs have none."""
        ...

    def receive(self, sku: str, location: str, quantity: int, note: str) -> None:
        """Adds units on hand at a location, recording a `receipt` movement in the same write."""
        ...


class CartRepository(Protocol):
    def get(self, cart_id: str) -> Cart | None: ...

    def add(self, cart: Cart, expires_at_epoch: int) -> None: ...

    def save(self, cart: Cart, expected_version: int, expires_at_epoch: int) -> None:
        """Replaces the cart if nobody changed it since `expected_version`; Conflict otherwise."""
        ...

    def customer_cart_id(self, customer_id: str) -> str | None:
        """The id of the customer's one active cart, if they have one."""
        ...

    def add_for_customer(self, cart: Cart, expires_at_epoch: int, replacing: str | None = None) -> None:
        """Creates the customer's active cart (in place of `replacing`, an expired one); Conflict if
        they got another one meanwhile."""
        ...

    def absorb(self, cart: Cart, expected_version: int, expires_at_epoch: int, guest: Cart) -> None:
        """Saves the merged cart and deletes the guest cart in one transaction; Conflict if either
        changed since it was read."""
        ...


class CustomerRepository(Protocol):
    """A customer's own items: profile, address book, and the pointer to their active cart."""

    def get_profile(self, customer_id: str) -> Profile | None: ...

    def save_profile(
        self, profile: Profile, expected_version: int | None, events: Sequence[DomainEvent] = ()
    ) -> None:
        """Creates the profile (expected_version None) or replaces it if nobody changed it since
        `expected_version`, writing `events` into the outbox in the same transaction; Conflict otherwise
        (and nothing written)."""
        ...

    def list_addresses(self, customer_id: str) -> list[Address]: ...

    def get_address(self, customer_id: str, address_id: str) -> Address | None: ...

    def add_address(self, customer_id: str, address: Address) -> None: ...

    def replace_address(self, customer_id: str, address: Address) -> None:
        """NotFound if the address is gone (deleted meanwhile)."""
        ...

    def delete_address(self, customer_id: str, address_id: str) -> bool:
        """True if there was such an address."""
        ...

    def active_cart_id(self, customer_id: str) -> str | None: ...

    def delete_customer(self, customer_id: str) -> int:
        """Deletes the profile, the addresses, the active cart and its pointer; how many items went."""
        ...


class OrderHistory(Protocol):
    def list_orders(
        self, customer_id: str, limit: int, position: Mapping[str, Any] | None
    ) -> Page[OrderRecord]:
        """The customer's orders, newest first."""
        ...

    def pseudonymise_orders(self, customer_id: str, erased_at: datetime) -> int:
        """Strips personal data from every order of the customer and detaches them from the customer;
        how many orders were changed."""
        ...


# checkout, payments and the order workflow
class OrderRepository(Protocol):
    def place(self, order: Order, cart: Cart, channel: Channel | None = None) -> Order:
        """Writes the order, reserves every line's units (locations with the most available first), records
        a `reservation` movement per reservation and deletes the cart (if still at `cart.version`), all in
        one transaction. Returns the order with its reservations. OutOfStock (with `unavailable`: sku,
        requested, available) when a line cannot be reserved, Conflict if the cart changed; then nothing
        changed."""
        ...

    def get(self, order_id: str) -> Order | None: ...

    def save(self, order: Order, expected_version: int, events: Sequence[DomainEvent] = ()) -> None:
        """Replaces the order if it is still at `expected_version`, writing `events` into the outbox in the
        same transaction; Conflict otherwise (and nothing written)."""
        ...

    def attach_payment_intent(self, order: Order, expected_version: int) -> None:
        """Saves the order (now holding its `payment_intent_id`) and makes it findable by that id."""
        ...

    def set_task_token(self, order_id: str, task_token: str | None) -> Order:
        """Stores the waiting workflow task's token (bumping the version); returns the order as it now is."""
        ...

    def find_by_payment_intent(self, payment_intent_id: str) -> Order | None: ...

    def list_by_status(
        self,
        status: OrderStatus,
        created: Period,
        limit: int,
        position: Mapping[str, Any] | None,
        channel: str | None = None,
    ) -> Page[Order]:
        """Orders in a status, newest first, created in the period (and taken on `channel`, `web` including
        orders that name none). A page may hold fewer than `limit` and still have a next position."""
        ...

    def list_for_email(
        self,
        email: str,
        created: Period,
        limit: int,
        position: Mapping[str, Any] | None,
        status: OrderStatus | None = None,
        channel: str | None = None,
    ) -> Page[Order]:
        """Orders placed with this email (exact, any case), newest first, created in the period, in `status`
        and on `channel` when given; paged as `list_by_status`."""
        ...

    def count_by_status(self, status: OrderStatus) -> int:
        """How many orders are in the status (a count of one index partition: for the small ones, held)."""
        ...

    def flagged(self, limit: int) -> list[FlaggedOrder]:
        """The newest orders carrying a flag, newest first."""
        ...

    def expired_reservations(self, now: datetime, limit: int) -> list[str]:
        """Ids of orders whose reservation expired before `now` and still waits for payment, oldest first."""
        ...

    def recent_orders_for_email(self, email: str, limit: int) -> list[tuple[datetime, str]]:
        """(created_at, order id) of the newest orders placed with this email, newest first."""
        ...


class StockLedger(Protocol):
    """Moves an order's reserved units, in the same transaction as the order's change, conditioned on the
    order still being at `expected_version`: a retried or duplicated step changes nothing twice."""

    def sell(self, order: Order, expected_version: int) -> None:
        """Saves `order` (already moved to its sold state) and turns its reservations into sales."""
        ...

    def release(
        self, order: Order, expected_version: int, reason: str, events: Sequence[DomainEvent] = ()
    ) -> None:
        """Saves `order` (already cancelled) and gives its reserved units back, `events` into the outbox
        with them."""
        ...


@dataclass(frozen=True, slots=True)
class PaymentIntent:
    id: str
    status: str  # Stripe's: requires_payment_method, processing, succeeded, canceled, ...
    amount: int
    currency: str  # ISO 4217, upper case
    client_secret: str | None = None
    order_id: str | None = None
    risk_level: str | None = None
    provider: str = "stripe"


class PaymentGateway(Protocol):
    def create_intent(self, order: Order) -> PaymentIntent:
        """Idempotent per order: asking twice for one order returns the same intent."""
        ...

    def cancel_intent(self, intent_id: str) -> PaymentIntent:
        """Cancels it; already cancelled is fine. InvalidState if it succeeded (refund it instead)."""
        ...

    def refund(self, intent_id: str, amount: int, idempotency_key: str | None = None) -> str:
        """Refunds `amount` minor units of a succeeded intent; the refund id."""
        ...

    def retrieve(self, intent_id: str) -> PaymentIntent: ...


class Workflow(Protocol):
    def start(self, order_id: str) -> None:
        """Starts the order's workflow (named after the order: starting it twice is no error)."""
        ...

    def resume(self, task_token: str, output: Mapping[str, Any]) -> bool:
        """Completes the waiting task; False if that task is no longer waiting (timed out, done)."""
        ...

    def fail(self, task_token: str, error: str, cause: str) -> bool:
        """Fails the waiting task with `error`; False if that task is no longer waiting."""
        ...


class EventPublisher(Protocol):
    def publish(self, events: Sequence[DomainEvent]) -> None:
        """Puts every event on the bus, retrying the entries it refuses; DependencyFailed if some never go."""
        ...


class Outbox(Protocol):
    """Events committed in the same transaction as the change they announce, until they are on the bus."""

    def add(self, events: Sequence[DomainEvent]) -> None:
        """Writes entries on their own (a DynamoDB writer adds `outbox_writes` to its transaction instead)."""
        ...

    def pending(self, older_than: datetime, limit: int) -> list[DomainEvent]:
        """Events that occurred before `older_than` and are not yet `done`, oldest first, ids intact."""
        ...

    def done(self, events: Sequence[DomainEvent]) -> None:
        """Forgets the events (published); an event already forgotten is no error."""
        ...


# fulfillment, notifications, cancellations, returns and refunds
class Mailer(Protocol):
    def send(self, email: Email) -> str:
        """Sends the email; the provider's message id. DependencyFailed when it cannot."""
        ...


class MerchantNotifier(Protocol):
    def notify(self, subject: str, message: str, facts: Mapping[str, str] | None = None) -> None:
        """Tells the merchant (a webhook subscription paused, the daily report's summary); best effort."""
        ...


class SentEmails(Protocol):
    """Which emails went out, by idempotency key (event id + template), so a redelivery sends none."""

    def claim(self, idempotency_key: str, order_id: str) -> bool:
        """Records the email as being sent; False if it was sent (or is being sent) already."""
        ...

    def release(self, idempotency_key: str) -> None:
        """Forgets a claim whose sending failed, so the retry sends it."""
        ...


class RefundLedger(Protocol):
    """What was refunded of an order's payment; the store's own condition keeps the sum within what was
    captured, so two concurrent refunds cannot both pass a check made before either wrote."""

    def reserve(self, order_id: str, refund_id: str, amount: int, captured: int) -> int:
        """Adds the refund when refunded + amount <= captured; the new sum. RefundExceedsCaptured otherwise.
        A refund id already reserved changes nothing and returns the sum (a retried request)."""
        ...

    def cancel(self, order_id: str, refund_id: str, amount: int) -> None:
        """Takes back a reservation whose refund the provider refused."""
        ...

    def refunded(self, order_id: str) -> int: ...

    def reserved(self, order_id: str, refund_id: str) -> int | None:
        """The amount reserved under this refund id, if any (a retried request refunds that again)."""
        ...

    def record_outside(
        self, order_id: str, refund_id: str, amount: int, seen_refunded: int, by_bank: bool = False
    ) -> bool:
        """Adds money that left without the shop refunding it (Stripe's dashboard, a lost dispute when
        `by_bank`) if the sum is still `seen_refunded`; Conflict if it moved meanwhile (read it again); False
        if this refund id was recorded before. The caller keeps the sum within what was captured."""
        ...

    def refunded_by_bank(self, order_id: str) -> int:
        """The part of the sum the buyer's bank took back (lost disputes), which Stripe's refunds omit."""
        ...


class PendingRefunds(Protocol):
    """Refunds committed before the money moves: the ledger reservation (pending) goes in one transaction with
    the order's change, and the refund's completion (order, ledger, stock, events into the outbox) in
    another, after the provider refunded. A crash between leaves the refund pending for the sweeper."""

    def begin(
        self, refund: PendingRefund | None, captured: int, order: Order | None, expected_version: int
    ) -> None:
        """Reserves `refund` (pending) within `captured` and saves `order` (when given) under its version, in
        one transaction. RefundExceedsCaptured, or Conflict if the order changed; a refund id already
        reserved is no error (nothing more is reserved)."""
        ...

    def finish(self, done: RefundCompletion) -> None:
        """Marks the refund sent, saves the order under its version, puts its units back on hand (`restock`:
        an `adjustment` movement each) and writes the events into the outbox, in one transaction. Conflict if
        the order changed or the refund is no longer pending."""
        ...

    def abandon(self, refund: PendingRefund | None, order: Order | None, expected_version: int) -> None:
        """Gives the reservation back (nothing was refunded) and saves `order` when given, in one
        transaction."""
        ...

    def get(self, order_id: str, refund_id: str) -> PendingRefund | None:
        """The refund if it is still pending."""
        ...

    def pending(self, requested_before: datetime, limit: int) -> list[PendingRefund]:
        """Refunds still pending that were requested before the moment, oldest first."""
        ...


@dataclass(frozen=True, slots=True)
class CarrierBooking:
    tracking_number: str
    tracking_url: str


class Carrier(Protocol):
    name: str

    def book(self, shipment: Shipment, destination: Mapping[str, str]) -> CarrierBooking:
        """Creates the shipment with the carrier; idempotent per shipment id (the same booking again)."""
        ...

    # shipping connector: rates and labels (docs/fulfillment.md#rates-and-labels)
    def rates(self, request: RateRequest) -> list[CarrierRate]:
        """The carrier's services for one parcel; DependencyFailed when down, slow or answering nonsense."""
        ...

    def label(self, shipment: Shipment, destination: Mapping[str, str]) -> CarrierLabel:
        """The shipment's label document; idempotent per shipment id (the carrier's same label again)."""
        ...

    def void(self, booking: CarrierBooking) -> None:
        """Cancels the booking before the carrier has the parcel; voiding it again is no error.
        AlreadyShipped when the carrier scanned the parcel already (it refuses, and keeps it)."""
        ...


class LabelStore(Protocol):
    """Where a shipment's label is kept once the carrier issued it (one per shipment; a new one replaces
    it)."""

    def get(self, shipment_id: str) -> tuple[CarrierLabel, datetime] | None:
        """The label and when it was stored, or None."""
        ...

    def put(self, label: CarrierLabel, stored_at: datetime) -> None: ...

    def has(self, shipment_id: str) -> bool:
        """Whether a label is kept for the shipment, without reading it."""
        ...


@dataclass(frozen=True, slots=True)
class Reallocation:
    """Units of a line the order sold at `origin` but ships from `location`: back on hand at the one, taken
    at the other (conditioned on `seen_on_hand`, read just before, as checkout's reservations are)."""

    sku: str
    origin: str
    location: str
    quantity: int
    seen_on_hand: int


@dataclass(frozen=True, slots=True)
class ShipmentPlan:
    """What fulfilling an order writes beside it: its shipments, and the units it moves to ship them."""

    shipments: Sequence[Shipment]
    reallocations: Sequence[Reallocation] = ()


@dataclass(frozen=True, slots=True)
class CarrierEventWrite:
    """What one carrier event changes: the shipment, perhaps its order, the fulfillment status and the events
    to publish, each under the version it was read at."""

    event_key: str
    shipment: Shipment
    expected_shipment_version: int
    order: Order | None
    expected_order_version: int
    fulfillment_status: str
    events: Sequence[DomainEvent]
    units_back: int = 0


class Shipments(Protocol):
    def stock_at_locations(self, skus: Sequence[str]) -> dict[str, dict[str, tuple[int, int]]]:
        """{sku: {location: (on_hand, reserved)}}, read strongly consistent."""
        ...

    def for_order(self, order_id: str) -> list[Shipment]: ...

    def find(self, carrier: str, tracking_number: str) -> Shipment | None: ...

    def start(self, order: Order, expected_version: int, plan: ShipmentPlan) -> None:
        """Saves the order (now fulfilling), the plan's shipments and their tracking pointers, and moves its
        reallocated units, in one transaction under the order's version; Conflict if anything changed."""
        ...

    def apply(self, carrier_event: CarrierEventWrite) -> None:
        """Records the carrier event, saves the shipment (and the order, when given) and writes `events` into
        the outbox in one transaction; with `units_back` -1 or +1, the shipment's units also leave or come
        back on hand, an `adjustment` movement each (a cancelled order's parcel that moved after all).
        DuplicateEvent if the event was applied before; Conflict on a version."""
        ...

    def remember(self, event_key: str) -> bool:
        """Records an event that changes nothing; False if it was seen before."""
        ...

    def park_token(self, order_id: str, milestone: str, task_token: str) -> str:
        """Stores the fulfillment workflow's task token for a milestone (shipped, delivered); returns the
        order's fulfillment status as it now is, so the caller can answer at once if it was reached."""
        ...

    def token(self, order_id: str, milestone: str) -> str | None: ...


class ReturnRepository(Protocol):
    def add(self, item: Return, returned_before: Mapping[str, int], events: Sequence[DomainEvent]) -> None:
        """Saves a new return, its `RETURN#<id>` pointer, each of its SKUs' count of units asked back (raised
        by the return's units) and `events`, in one transaction conditioned on each count still being
        `returned_before[sku]`; Conflict when a return of the order was added meanwhile."""
        ...

    def get(self, return_id: str) -> Return | None: ...

    def for_order(self, order_id: str) -> list[Return]: ...

    def receive(self, item: Return) -> None:
        """Saves the return as received (its refund under way, no stock moved) if it is still requested;
        Conflict otherwise."""
        ...

    def received_before(self, before: datetime, limit: int) -> list[Return]:
        """Returns received before `before` and not yet refunded (a crash stopped their receipt), oldest
        first."""
        ...

    def reopen(self, item: Return) -> None:
        """Saves the return as requested again if it is still received (its refund was refused)."""
        ...

    def restock(self, item: Return, events: Sequence[DomainEvent]) -> None:
        """Saves the return as refunded, puts its units back on hand at its location (a `return` movement
        each) and writes `events`, in one transaction conditioned on the return still being received;
        Conflict otherwise."""
        ...


# pricing: promotions and FX rate snapshots
@dataclass(frozen=True, slots=True)
class PromotionUsage:
    uses: int
    discount_given: Mapping[str, int]  # minor units per currency


class PromotionRepository(Protocol):
    def get(self, promotion_id: str) -> Promotion | None:
        """A promotion by id; a code promotion's id is its code."""
        ...

    def automatic(self) -> list[Promotion]:
        """The automatic promotions, active or not (the domain decides what applies when)."""
        ...

    def list_all(self) -> list[Promotion]: ...

    def add(self, promotion: Promotion) -> None:
        """Conflict when the id (the code) is taken."""
        ...

    def set_status(self, promotion_id: str, status: PromotionStatus) -> Promotion: ...

    def usage(self, promotion_id: str) -> PromotionUsage: ...

    def shopper_uses(self, promotion_id: str, shopper_key: str) -> int: ...


class FxRateStore(Protocol):
    def put(self, snapshot: FxSnapshot) -> None: ...

    def get(self, base: str, day: date) -> FxSnapshot | None: ...

    def latest(self, base: str, on_or_before: date) -> FxSnapshot | None: ...
