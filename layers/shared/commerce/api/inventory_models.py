"""Request and response bodies of the staff inventory API (/admin/inventory/..., /admin/locations...)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, field_validator

from commerce.api.models import CURRENCY_PATTERN, Mirror, MoneyOut, Strict
from commerce.domain.currency import is_currency
from commerce.domain.inventory import Location, Movement, PurchaseOrder, ReorderPolicy, StockLevel, Transfer
from commerce.services.inventory import StockView

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
MAX_UNITS = 1_000_000
Units = Annotated[int, Field(ge=1, le=MAX_UNITS)]
LocationId = Annotated[str, Field(pattern=ID_PATTERN)]
Note = Annotated[str, Field(max_length=500)]


AddressField = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]


class LocationIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["warehouse", "store"]
    # Field names such as line1, city, postal_code, country: lower case, never empty.
    address: dict[AddressField, Annotated[str, Field(max_length=200)]] = Field(
        default_factory=dict, max_length=10, description="line1, city, postal_code, country, ..."
    )


class LocationOut(BaseModel):
    id: str
    name: str
    kind: str
    address: dict[str, str]

    @classmethod
    def of(cls, location: Location) -> LocationOut:
        return cls(
            id=location.id, name=location.name, kind=location.kind.value, address=dict(location.address)
        )


class LocationsOut(BaseModel):
    items: list[LocationOut]


class ReceiptIn(Strict):
    location: LocationId
    quantity: Units
    note: Note = ""


class AdjustmentIn(Strict):
    location: LocationId
    quantity: int = Field(
        ge=-MAX_UNITS, le=MAX_UNITS, description="Units more (positive) or fewer (negative); not zero."
    )
    reason: Literal["damaged", "lost", "found", "recount", "expired", "other"]
    note: Note = ""


class TransferIn(Strict):
    sku: str = Field(pattern=r"^[A-Z0-9][A-Z0-9-]{1,63}$")
    source: LocationId
    destination: LocationId
    quantity: Units


class TransferOut(Mirror):
    id: str
    sku: str
    source: str
    destination: str
    quantity: int
    status: str
    sent_at: str
    received_at: str | None

    @classmethod
    def of(cls, t: Transfer) -> TransferOut:
        return cls.copying(
            t,
            status=t.status.value,
            sent_at=t.sent_at.isoformat(),
            received_at=t.received_at.isoformat() if t.received_at else None,
        )


class TransferListOut(BaseModel):
    items: list[TransferOut]
    next_cursor: str | None


class UnitCost(Strict):
    amount: int = Field(ge=0, le=10**12, description="Integer minor units (cents; yen; fils).")
    currency: str = Field(pattern=CURRENCY_PATTERN, description="ISO 4217 code.")

    @field_validator("currency")
    @classmethod
    def _known(cls, value: str) -> str:
        if not is_currency(value):
            raise ValueError("not an ISO 4217 currency")
        return value


class ReorderPolicyIn(Strict):
    reorder_point: int = Field(ge=0, le=MAX_UNITS, description="Restock when available falls to this.")
    reorder_quantity: Units
    supplier: str = Field(pattern=ID_PATTERN)
    lead_time_days: int = Field(ge=0, le=365)
    location: LocationId = Field(description="Where the supplier delivers.")
    unit_cost: UnitCost | None = Field(
        default=None, description="What one unit costs from the supplier (the inventory report's value)."
    )

    def to_policy(self, sku: str) -> ReorderPolicy:
        cost = self.unit_cost
        return ReorderPolicy(
            sku,
            self.reorder_point,
            self.reorder_quantity,
            self.supplier,
            self.lead_time_days,
            self.location,
            unit_cost=cost.amount if cost else None,
            cost_currency=cost.currency if cost else None,
        )


class ReorderPolicyOut(Mirror):
    reorder_point: int
    reorder_quantity: int
    supplier: str
    lead_time_days: int
    location: str
    unit_cost: MoneyOut | None = None

    @classmethod
    def of(cls, p: ReorderPolicy) -> ReorderPolicyOut:
        return cls.copying(
            p,
            unit_cost=MoneyOut(amount=p.unit_cost, currency=p.cost_currency)
            if p.unit_cost is not None and p.cost_currency
            else None,
        )


class LevelOut(BaseModel):
    location: str
    on_hand: int
    reserved: int
    available: int

    @classmethod
    def of(cls, level: StockLevel) -> LevelOut:
        return cls(
            location=level.location, on_hand=level.on_hand, reserved=level.reserved, available=level.available
        )


class MovementOut(Mirror):
    at: str
    location: str
    reason: str
    quantity: int
    on_hand_change: int
    reference: str | None
    note: str

    @classmethod
    def of(cls, m: Movement) -> MovementOut:
        return cls.copying(
            m,
            at=m.at.isoformat(),
            on_hand_change=m.on_hand_delta,
        )


class MovementListOut(BaseModel):
    items: list[MovementOut] = Field(description="Newest first.")
    next_cursor: str | None


class StockOut(Mirror):
    sku: str
    on_hand: int
    reserved: int
    available: int
    locations: list[LevelOut]
    recent_movements: list[MovementOut] = Field(description="Newest first.")
    reorder_policy: ReorderPolicyOut | None

    @classmethod
    def of(cls, view: StockView) -> StockOut:
        return cls.copying(
            view,
            locations=[LevelOut.of(level) for level in view.levels],
            recent_movements=[MovementOut.of(m) for m in view.movements],
            reorder_policy=ReorderPolicyOut.of(view.policy) if view.policy else None,
        )


class PurchaseOrderLineOut(BaseModel):
    sku: str
    quantity: int
    received: int


class PurchaseOrderOut(Mirror):
    id: str
    supplier: str
    location: str
    status: str
    created_at: str
    lines: list[PurchaseOrderLineOut]

    @classmethod
    def of(cls, po: PurchaseOrder) -> PurchaseOrderOut:
        return cls.copying(
            po,
            status=po.status.value,
            created_at=po.created_at.isoformat(),
            lines=[
                PurchaseOrderLineOut(sku=li.sku, quantity=li.quantity, received=li.received)
                for li in po.lines
            ],
        )


class PurchaseOrdersOut(BaseModel):
    items: list[PurchaseOrderOut]


class PurchaseOrderReceiptIn(Strict):
    lines: dict[
        Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9-]{1,63}$")], Annotated[int, Field(ge=0, le=MAX_UNITS)]
    ] = Field(min_length=1, max_length=100, description="Units delivered per SKU.")
    note: Note = ""


class HotSkuIn(Strict):
    shards: int = Field(
        ge=1, le=32, description="Split the available units over this many items; 1: not hot."
    )


class HotSkuOut(BaseModel):
    sku: str
    shards: int
    locations: list[LevelOut] = Field(description="Per shard: `<location>@<n>` (shard 0 is `<location>`).")
