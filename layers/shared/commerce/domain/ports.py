"""The ports the use cases talk through; each has a DynamoDB adapter and an in-memory fake."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, Protocol, TypeVar

from commerce.domain.cart import Cart
from commerce.domain.catalog import Category, Product, SkuRecord
from commerce.domain.customer import Address, Profile
from commerce.domain.events import DomainEvent
from commerce.domain.fx import FxSnapshot
from commerce.domain.order import Order, OrderStatus
from commerce.domain.order_history import OrderRecord
from commerce.domain.promotions import Promotion, PromotionStatus

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    next_position: Mapping[str, Any] | None  # opaque to callers; the service signs it into a cursor


class CatalogRepository(Protocol):
    def get_product(self, product_id: str) -> Product | None: ...

    def get_products(self, product_ids: Sequence[str]) -> dict[str, Product]: ...

    def list_products(
        self, category: str | None, limit: int, position: Mapping[str, Any] | None
    ) -> Page[Product]: ...

    def search(self, language: str, term: str) -> set[str]:
        """Ids of active products indexed under the term in the language."""
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

    def save_profile(self, profile: Profile, expected_version: int | None) -> None:
        """Creates the profile (expected_version None) or replaces it if nobody changed it since
        `expected_version`; Conflict otherwise."""
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


# ---- checkout, payments and the order workflow
class OrderRepository(Protocol):
    def place(self, order: Order, cart: Cart) -> Order:
        """Writes the order, reserves every line's units (locations with the most available first), records
        a `reservation` movement per reservation and deletes the cart (if still at `cart.version`), all in
        one transaction. Returns the order with its reservations. OutOfStock (with `unavailable`: sku,
        requested, available) when a line cannot be reserved, Conflict if the cart changed; then nothing
        changed."""
        ...

    def get(self, order_id: str) -> Order | None: ...

    def save(self, order: Order, expected_version: int) -> None:
        """Replaces the order if it is still at `expected_version`; Conflict otherwise."""
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
        since: datetime | None,
        until: datetime | None,
        limit: int,
        position: Mapping[str, Any] | None,
    ) -> Page[Order]:
        """Orders in a status, newest first, created in [since, until)."""
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

    def release(self, order: Order, expected_version: int, reason: str) -> None:
        """Saves `order` (already cancelled) and gives its reserved units back."""
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


# ---- pricing: promotions and FX rate snapshots (the pricing issue)
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
