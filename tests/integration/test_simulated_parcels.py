"""The simulated carrier's parcels on moto: one conditional write decides if a scan or a void was first."""

from __future__ import annotations

import threading
import uuid

import boto3
import pytest

from commerce.adapters.carriers import SimulatedCarrier
from commerce.adapters.dynamodb.simulated_parcels import DynamoParcels
from commerce.config import Settings
from commerce.domain.ports import CarrierBooking
from commerce.domain.refunds import AlreadyShipped

from .conftest import Stack


def _parcels(_: Stack) -> DynamoParcels:
    return DynamoParcels(boto3.client("dynamodb"), Settings.from_env().table_name)


def test_a_voided_booking_cannot_be_scanned_and_a_scanned_parcel_cannot_be_voided(stack: Stack) -> None:
    parcels = _parcels(stack)
    carrier = SimulatedCarrier(parcels=parcels)
    voided, scanned = f"SIM{uuid.uuid4().hex[:8]}", f"SIM{uuid.uuid4().hex[:8]}"

    carrier.void(CarrierBooking(voided, ""))
    carrier.void(CarrierBooking(voided, ""))  # again: no error
    assert parcels.scan(voided) is False

    assert parcels.scan(scanned) is True and parcels.scan(scanned) is True
    with pytest.raises(AlreadyShipped) as refused:
        carrier.void(CarrierBooking(scanned, ""))
    assert refused.value.extensions["reason"] == "carrier_has_parcel"


def _race(parcels: DynamoParcels, number: str) -> list[tuple[str, bool]]:
    start = threading.Barrier(6)
    results: list[tuple[str, bool]] = []

    def act(kind: str) -> None:
        start.wait()
        results.append((kind, parcels.scan(number) if kind == "scan" else parcels.void(number)))

    threads = [threading.Thread(target=act, args=(kind,)) for kind in ["scan", "void"] * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_scans_and_voids_racing_on_one_parcel_let_only_one_kind_through(stack: Stack) -> None:
    parcels = _parcels(stack)
    for _ in range(5):
        results = _race(parcels, f"SIM{uuid.uuid4().hex[:8]}")

        assert len({kind for kind, won in results if won}) == 1, results
