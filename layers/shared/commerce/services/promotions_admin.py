"""Staff use cases for promotions (create, pause, resume, report) and FX rate snapshots (load, read)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from commerce.domain.errors import NotFound, ValidationFailed
from commerce.domain.fx import ConvertedAmount, FxSnapshot, convert
from commerce.domain.money import Money
from commerce.domain.ports import FxRateStore, PromotionRepository, PromotionUsage
from commerce.domain.promotions import Promotion, PromotionStatus


@dataclass(frozen=True, slots=True)
class PromotionReport:
    promotion: Promotion
    usage: PromotionUsage


class PromotionsAdmin:
    def __init__(
        self,
        promotions: PromotionRepository,
        fx: FxRateStore,
        currencies: Sequence[str],
        clock: Callable[[], datetime],
    ) -> None:
        self._promotions = promotions
        self._fx = fx
        self._currencies = tuple(currencies)
        self._clock = clock

    def create(self, promotion: Promotion) -> PromotionReport:
        unknown = sorted(set(promotion.amounts) - set(self._currencies))
        if unknown:
            raise ValidationFailed(f"the shop does not sell in {', '.join(unknown)}", field="amounts")
        self._promotions.add(promotion)
        return self.report(promotion.id)

    def list(self) -> list[PromotionReport]:
        return [PromotionReport(p, self._promotions.usage(p.id)) for p in self._promotions.list_all()]

    def report(self, promotion_id: str) -> PromotionReport:
        promotion = self._promotions.get(promotion_id)
        if promotion is None:
            raise NotFound(f"no promotion {promotion_id}")
        return PromotionReport(promotion, self._promotions.usage(promotion_id))

    def pause(self, promotion_id: str) -> PromotionReport:
        self._promotions.set_status(promotion_id, PromotionStatus.PAUSED)
        return self.report(promotion_id)

    def resume(self, promotion_id: str) -> PromotionReport:
        self._promotions.set_status(promotion_id, PromotionStatus.ACTIVE)
        return self.report(promotion_id)

    # FX snapshots, for reports only
    def load_rates(self, snapshot: FxSnapshot) -> FxSnapshot:
        self._fx.put(snapshot)
        return snapshot

    def load_rates_file(self, path: Path) -> FxSnapshot:
        """A snapshot from a JSON file of the shape FxSnapshot.parse reads (a scheduled job's input)."""
        return self.load_rates(FxSnapshot.parse(json.loads(path.read_text(encoding="utf-8"))))

    def rates(self, base: str, day: date) -> FxSnapshot:
        found = self._fx.get(base, day)
        if found is None:
            raise NotFound(f"no {base} rates for {day.isoformat()}")
        return found

    def convert_for_report(self, amount: Money, base: str, day: date) -> ConvertedAmount:
        """`amount` in `base` at the newest snapshot on or before `day`, with the rate used."""
        snapshot = self._fx.latest(base, day)
        if snapshot is None:
            raise NotFound(f"no {base} rates on or before {day.isoformat()}")
        return convert(amount, snapshot)
