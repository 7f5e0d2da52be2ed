"""The simulated carrier's parcels: whichever of a scan and a void comes first wins, the other is refused;
repeating the winner is harmless."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from commerce.adapters.dynamodb.simulated_parcels import DynamoParcels
from tests.fakes.shipping import InMemoryParcels

from .conftest import Shop


@pytest.fixture
def parcels(shop: Shop) -> Any:
    return shop.build(InMemoryParcels, DynamoParcels)


def a_tracking_number() -> str:
    return f"SIM{uuid.uuid4().hex[:12].upper()}"


def test_a_scanned_parcel_can_no_longer_be_voided(parcels: Any) -> None:
    tracking = a_tracking_number()

    assert parcels.scan(tracking) is True
    assert parcels.void(tracking) is False
    assert parcels.scan(tracking) is True


def test_a_voided_booking_can_no_longer_be_scanned(parcels: Any) -> None:
    tracking = a_tracking_number()

    assert parcels.void(tracking) is True
    assert parcels.scan(tracking) is False
    assert parcels.void(tracking) is True
