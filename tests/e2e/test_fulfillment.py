"""Fulfillment, carrier tracking, customer emails and cancellation on the local stack, end to end: checkout,
a card payment through localstripe, the workflow's hand-over, shipments from the nearest locations, the
simulated carrier's signed webhooks (`make carrier-advance`), and the emails in the buyer's language."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from local.stack import LocalStack
from local.tools.carrier import advance, shipments
from tests.polling import poll
from tests.stocked import stocked_sku

from .conftest import Api, Tokens, aws_client, unique_email
from .test_purchase import DECLINED, VISA, Shop

pytestmark = pytest.mark.e2e


class Fulfilled(Shop):
    def sku_at(self, **units: int) -> str:
        """A product of its own with units at the named locations (`wh_paris=2` -> wh-paris)."""
        return stocked_sku("FUL", "e2e", **{location.replace("_", "-"): n for location, n in units.items()})

    def paid_order(self, lines: dict[str, int]) -> dict[str, Any]:
        cart = self.api.post("/carts", json={"currency": "EUR"})
        cart_id, token = cart.json()["id"], cart.json()["token"]
        for sku, quantity in lines.items():
            line = self.api.put(
                f"/carts/{cart_id}/lines/{sku}", json={"quantity": quantity}, headers={"X-Cart-Token": token}
            )
            assert line.status_code == 200, line.text
        response = self.checkout(cart_id, token)
        assert response.status_code == 201, response.text
        placed = dict(response.json())
        self.pay(placed["payment"]["payment_intent_id"], VISA)
        poll(lambda: self.order(placed)["status"] in ("paid", "fulfilling"))
        return placed

    def delivered_order(self, sku: str) -> dict[str, Any]:
        """One unit of `sku` paid for, shipped in one parcel and delivered."""
        placed = self.paid_order({sku: 1})
        self.shipments(placed, 1)
        self.advance(placed, "delivered")
        self.settles_as(placed, "delivered")
        return placed

    def shipments(self, placed: dict[str, Any], count: int) -> list[dict[str, Any]]:
        return list(poll(lambda: len(s := shipments(self.stack.aws_url, placed["order_id"])) == count and s))

    def advance(self, placed: dict[str, Any], to: str | None = None) -> list[tuple[str, str, str]]:
        return advance(self.stack.api_url, self.stack.aws_url, placed["order_id"], to)

    def emails_to(self, address: str) -> list[dict[str, str]]:
        found = []
        for path in sorted(Path(self.stack.mail_dir).glob("*.eml")):
            head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
            headers = dict(line.split(": ", 1) for line in head.splitlines())
            if headers.get("To") == address:
                found.append({**headers, "body": body})
        return found

    def fulfillment_execution(self, placed: dict[str, Any]) -> str:
        """The status of the order's fulfillment execution, once it is no longer running."""
        assert self.stack.deployment is not None
        arn = self.stack.deployment.physical_ids["FulfillmentStateMachine"]
        execution = arn.replace(":stateMachine:", ":execution:") + ":" + placed["order_id"]
        client = aws_client(self.stack, "stepfunctions")

        def finished() -> str | None:
            status = str(client.describe_execution(executionArn=execution)["status"])
            return None if status == "RUNNING" else status

        return str(poll(finished))

    def email_of(self, placed: dict[str, Any]) -> str:
        return str(self.stored_order(placed["order_id"])["email"])


@pytest.fixture(scope="module")
def shop(stack: LocalStack, api: Api) -> Fulfilled:
    return Fulfilled(stack, api)


def test_a_paid_order_ships_and_is_delivered_and_the_buyer_hears_of_each_step_in_french(
    shop: Fulfilled,
) -> None:
    sku = shop.sku_at(wh_paris=3, wh_berlin=3)
    placed = shop.paid_order({sku: 2})

    (shipment,) = shop.shipments(placed, 1)
    assert shop.settles_as(placed, "fulfilling")["status"] == "fulfilling"
    assert shop.stored_order(placed["order_id"])["reservations"][0]["location"] == "wh-paris"  # FR: nearest

    assert shop.advance(placed) == [(shipment["id"], "in_transit", "applied")]
    shop.settles_as(placed, "shipped")
    assert shop.advance(placed) == [(shipment["id"], "delivered", "applied")]
    shop.settles_as(placed, "delivered")
    assert shop.fulfillment_execution(placed) == "SUCCEEDED"

    address = shop.email_of(placed)
    emails = poll(lambda: len(found := shop.emails_to(address)) >= 3 and found)
    assert [e["X-Template"] for e in emails] == ["order_confirmation", "shipped", "delivered"]
    assert {e["Content-Language"] for e in emails} == {"fr"}
    assert emails[0]["Subject"] == f"Votre commande {placed['order_id']} est confirmée"
    assert shipment["tracking_number"] in emails[1]["body"]
    assert "https://tracking.example/simulated/" in emails[1]["body"]


def test_a_replayed_tracking_update_and_a_stale_one_change_nothing(shop: Fulfilled) -> None:
    from local.tools.carrier import send, webhook_secret  # noqa: PLC0415

    sku = shop.sku_at(wh_paris=2)
    placed = shop.paid_order({sku: 1})
    (shipment,) = shop.shipments(placed, 1)
    shop.advance(placed, "delivered")
    shop.settles_as(placed, "delivered")

    stale = send(
        shop.stack.api_url, webhook_secret(shop.stack.aws_url), shipment["tracking_number"], "in_transit"
    )

    assert stale["result"] in ("no_change", "duplicate")
    assert shop.settles_as(placed, "delivered")["status"] == "delivered"


def test_an_order_no_single_location_can_fill_ships_in_two_parcels(shop: Fulfilled) -> None:
    only_paris, only_berlin = shop.sku_at(wh_paris=2), shop.sku_at(wh_berlin=2)
    placed = shop.paid_order({only_paris: 1, only_berlin: 1})

    parcels = shop.shipments(placed, 2)
    locations = {s["sku"]: s["location"] for s in shop.stored_order(placed["order_id"])["reservations"]}
    assert locations == {only_paris: "wh-paris", only_berlin: "wh-berlin"}

    shop.advance(placed)  # both in transit
    shop.settles_as(placed, "shipped")
    advance(shop.stack.api_url, shop.stack.aws_url, placed["order_id"], "delivered", only=parcels[0]["id"])
    assert shop.order(placed)["status"] == "shipped"  # one of two delivered
    shop.advance(placed, "delivered")
    shop.settles_as(placed, "delivered")
    address = shop.email_of(placed)

    def shipped_emails() -> list[dict[str, str]]:
        return [e for e in shop.emails_to(address) if e["X-Template"] == "shipped"]

    emails = poll(lambda: len(found := shipped_emails()) == 2 and found)
    assert {p["tracking_number"] for p in parcels} == {
        next(p["tracking_number"] for p in parcels if p["tracking_number"] in e["body"]) for e in emails
    }


def test_a_failed_delivery_is_recorded_and_the_order_stays_shipped(shop: Fulfilled) -> None:
    sku = shop.sku_at(wh_paris=2)
    placed = shop.paid_order({sku: 1})
    (shipment,) = shop.shipments(placed, 1)
    shop.advance(placed)
    shop.settles_as(placed, "shipped")

    assert shop.advance(placed, "delivery_failed") == [(shipment["id"], "delivery_failed", "applied")]

    assert shipments(shop.stack.aws_url, placed["order_id"])[0]["status"] == "delivery_failed"
    assert shop.order(placed)["status"] == "shipped"
    assert shop.advance(placed) == [(shipment["id"], "in_transit", "applied")]  # the carrier tries again


def test_cancelling_before_shipment_refunds_the_payment_and_puts_the_units_back(shop: Fulfilled) -> None:
    sku = shop.sku_at(wh_paris=3)
    placed = shop.paid_order({sku: 2})
    shop.shipments(placed, 1)
    assert shop.level(sku) == (1, 0)

    response = shop.api.post(
        f"/orders/{placed['order_id']}/cancel", headers={"X-Order-Token": placed["order_token"]}
    )

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelled"
    assert response.json()["payment"]["status"] == "refunded"
    assert shop.level(sku) == (3, 0)
    assert shop.ledger_balances(sku)
    refunds = shop.stripe.v1.refunds.list(params={"payment_intent": placed["payment"]["payment_intent_id"]})
    assert sum(r.amount for r in refunds.data) == placed["totals"]["total"]["amount"]
    emails = poll(
        lambda: [e for e in shop.emails_to(shop.email_of(placed)) if e["X-Template"] == "cancelled"]
    )
    assert len(emails) == 1
    assert shop.fulfillment_execution(placed) == "SUCCEEDED"  # stopped as cancelled: no overdue alarm


def test_staff_cancel_a_paid_order_it_is_refunded_and_its_units_are_back_on_hand(
    shop: Fulfilled, tokens: Tokens
) -> None:
    sku = shop.sku_at(wh_paris=3)
    placed = shop.paid_order({sku: 2})
    shop.shipments(placed, 1)
    assert shop.level(sku) == (1, 0)
    staff = tokens.headers("staff", unique_email("staff"))
    support = tokens.headers("support", unique_email("support"))
    route = f"/admin/orders/{placed['order_id']}/cancel"

    refused = shop.api.post(route, json={"reason": "asked by phone"}, headers=support)
    response = shop.api.post(route, json={"reason": "asked by phone"}, headers=staff)
    again = shop.api.post(route, json={"reason": "asked by phone"}, headers=staff)

    assert refused.status_code == 403
    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["cancel_reason"]) == (
        "cancelled",
        "cancelled_by_staff",
    )
    assert response.json()["payment"]["status"] == "refunded"
    assert again.status_code == 200 and again.json() == response.json()
    assert shop.level(sku) == (3, 0)
    assert shop.ledger_balances(sku)
    refunds = shop.stripe.v1.refunds.list(params={"payment_intent": placed["payment"]["payment_intent_id"]})
    assert sum(r.amount for r in refunds.data) == placed["totals"]["total"]["amount"]
    assert len(refunds.data) == 1
    whole = shop.api.get(f"/admin/orders/{placed['order_id']}", headers=support).json()
    assert [(r["id"], r["status"]) for r in whole["refunds"]] == [
        (f"cancel-{placed['order_id']}", "refunded")
    ]
    assert [s["lines"] for s in whole["shipments"]] == [[{"sku": sku, "quantity": 2}]]


def test_cancelling_after_shipment_is_refused_with_the_reason(shop: Fulfilled) -> None:
    sku = shop.sku_at(wh_paris=2)
    placed = shop.paid_order({sku: 1})
    shop.shipments(placed, 1)
    shop.advance(placed)
    shop.settles_as(placed, "shipped")

    response = shop.api.post(
        f"/orders/{placed['order_id']}/cancel", headers={"X-Order-Token": placed["order_token"]}
    )

    assert response.status_code == 409
    assert response.json()["type"].endswith("/already-shipped") and response.json()["reason"] == "shipped"


def test_cancelling_someone_elses_order_is_not_found(shop: Fulfilled) -> None:
    sku = shop.sku_at(wh_paris=1)
    placed = shop.paid_order({sku: 1})

    response = shop.api.post(f"/orders/{placed['order_id']}/cancel", headers={"X-Order-Token": "guess"})

    assert response.status_code == 404


def test_a_returned_unit_goes_back_in_stock_and_is_refunded_in_part(shop: Fulfilled, tokens: Tokens) -> None:
    sku = shop.sku_at(wh_paris=3)
    placed = shop.paid_order({sku: 2})
    shop.shipments(placed, 1)
    shop.advance(placed, "delivered")
    shop.settles_as(placed, "delivered")
    assert shop.level(sku) == (1, 0)

    asked = shop.api.post(
        f"/orders/{placed['order_id']}/returns",
        json={"lines": [{"sku": sku, "quantity": 1}], "reason": "too small"},
        headers={"X-Order-Token": placed["order_token"]},
    )
    assert asked.status_code == 200, asked.text
    line = next(line for line in placed["lines"] if line["sku"] == sku)
    charged = line["line_total"]["amount"] - (line.get("discount") or {"amount": 0})["amount"]
    if not placed["totals"].get("tax_included"):
        charged += line["tax"]["amount"]
    one_unit = charged - charged // 2  # the first unit takes the odd cent (Money.allocate)
    assert asked.json()["refund_due"]["amount"] == one_unit

    received = shop.api.post(
        f"/admin/returns/{asked.json()['id']}/receive",
        json={"location": "wh-paris"},
        headers=tokens.headers("staff"),
    )

    assert received.status_code == 200, received.text
    assert received.json()["status"] == "refunded" and received.json()["refunded"]["amount"] == one_unit
    assert shop.level(sku) == (2, 0)
    assert "return" in {m["reason"] for m in shop.movements(sku)} and shop.ledger_balances(sku)
    refunds = shop.stripe.v1.refunds.list(params={"payment_intent": placed["payment"]["payment_intent_id"]})
    assert [r.amount for r in refunds.data] == [one_unit] and one_unit < placed["totals"]["total"]["amount"]
    assert shop.order(placed)["payment"]["status"] == "partially_refunded"
    again = shop.api.post(
        f"/admin/returns/{asked.json()['id']}/receive",
        json={"location": "wh-paris"},
        headers=tokens.headers("staff"),
    )
    assert again.status_code == 200 and shop.level(sku) == (2, 0)
    emails = poll(
        lambda: [e for e in shop.emails_to(shop.email_of(placed)) if e["X-Template"] == "refund_issued"]
    )
    assert len(emails) == 1 and "Nous avons remboursé" in emails[0]["body"]


def test_concurrent_goodwill_refunds_over_http_never_exceed_what_was_captured(
    shop: Fulfilled, tokens: Tokens
) -> None:
    sku = shop.sku_at(wh_paris=2)
    placed = shop.paid_order({sku: 1})
    total = placed["totals"]["total"]["amount"]
    share = total * 4 // 10
    admin = tokens.headers("admin")

    def refund(n: int) -> int:
        return shop.api.post(
            f"/admin/orders/{placed['order_id']}/refunds",
            json={"amount": share, "reason": "goodwill"},
            headers={**admin, "Idempotency-Key": f"race-{n}"},
        ).status_code

    with ThreadPoolExecutor(6) as pool:
        statuses = sorted(pool.map(refund, range(6)))

    assert statuses == [200, 200, 409, 409, 409, 409]
    refunds = shop.stripe.v1.refunds.list(params={"payment_intent": placed["payment"]["payment_intent_id"]})
    assert sum(r.amount for r in refunds.data) == 2 * share <= total


def test_a_declined_card_sends_the_payment_failed_email_and_nothing_ships(shop: Fulfilled) -> None:
    sku = shop.sku_at(wh_paris=2)
    response = shop.checkout(*shop.cart_with(sku, 1))
    assert response.status_code == 201, response.text
    placed = dict(response.json())

    shop.pay(placed["payment"]["payment_intent_id"], DECLINED)
    shop.declined(placed)
    shop.let_the_reservation_expire(placed)

    shop.settles_as(placed, "cancelled")
    (email,) = poll(lambda: shop.emails_to(shop.email_of(placed)))
    assert email["X-Template"] == "payment_failed" and email["Content-Language"] == "fr"
    assert shipments(shop.stack.aws_url, placed["order_id"]) == []
