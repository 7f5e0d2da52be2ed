"""The body of GET /admin/reports/inventory."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import BaseModel, Field

from commerce.api.models import Mirror, MoneyOut
from commerce.domain.inventory_report import InventoryReport
from commerce.services.inventory_report import MAX_PAGE, PAGE

ReportPageSize = Annotated[
    int | None, Query(ge=1, le=MAX_PAGE, description=f"SKU figures per page ({PAGE} when left out).")
]
AfterSku = Annotated[
    str | None,
    Query(
        max_length=64,
        pattern=r"^[A-Z0-9][A-Z0-9-]{1,63}$",
        description="The next page: the `next_after` of the previous one (the SKUs are in order).",
    ),
]


class LocationValueOut(BaseModel):
    location: str
    units_on_hand: int
    value_at_cost: list[MoneyOut] = Field(description="On hand times unit cost, per cost currency.")
    units_without_cost: int = Field(description="Units on hand of SKUs with no unit cost: not valued.")


class SkuCoverOut(Mirror):
    sku: str
    on_hand: int
    available: int
    reorder_point: int | None
    units_sold_per_day: float = Field(description="Units sold per day over the last 28 days.")
    days_of_cover: float | None = Field(description="Available ÷ units sold per day; null when none sold.")


class InventoryReportOut(Mirror):
    generated_at: datetime
    locations: list[LocationValueOut]
    low_stock: list[str] = Field(description="SKUs available but at or below their reorder point.")
    out_of_stock: list[str] = Field(description="SKUs with nothing available anywhere.")
    without_cost: list[str] = Field(description="SKUs on hand with no unit cost in their reorder policy.")
    skus: list[SkuCoverOut] = Field(
        description="A page of per-SKU figures, by SKU; the totals cover every SKU."
    )
    next_after: str | None = Field(description="Pass as `after` for the next page of `skus`; null: the last.")
    truncated: bool = Field(description="More SKUs than one report reads (1 000): the figures cover those.")

    @classmethod
    def of(cls, report: InventoryReport) -> InventoryReportOut:
        return cls.copying(
            report,
            locations=[
                LocationValueOut(
                    location=loc.location,
                    units_on_hand=loc.units,
                    value_at_cost=[MoneyOut(amount=a, currency=c) for c, a in loc.value.items()],
                    units_without_cost=loc.units_without_cost,
                )
                for loc in report.locations
            ],
            low_stock=list(report.low_stock),
            out_of_stock=list(report.out_of_stock),
            without_cost=list(report.without_cost),
            skus=[SkuCoverOut.copying(s, units_sold_per_day=s.sold_per_day) for s in report.skus],
        )
