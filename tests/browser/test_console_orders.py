"""Staff at work on orders in the console: a held order approved, part of an order refunded, a flag
resolved."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from playwright.sync_api import Browser, Page, expect

from commerce.adapters.dynamodb.orders import DynamoOrders
from local.stack import LocalStack

from . import storefront
from .console import accessible, open_section, settled, signed_in
from .orders import held_order, paid_order, shop

pytestmark = pytest.mark.e2e


def order_row_opened(page: Page, order_id: str, status: str) -> Page:
    """The Orders list at `status`, the order's row opened to what staff may do."""
    open_section(page, "Orders")
    if status != "on_hold":  # the list opens on the orders held for review
        page.get_by_role("combobox", name="Status").click()
        page.get_by_role("option", name=status.replace("_", " "), exact=True).click()
        expect(page.get_by_role("listbox")).to_have_count(0)
    settled(page)
    row = page.get_by_role("row").filter(has_text=order_id)
    row.get_by_role("button", name=f"Actions for order {order_id}").click()
    return page


def test_staff_approve_an_order_held_for_review_and_the_storefront_then_shows_it_paid(
    browser: Browser, stack: LocalStack, page: Page
) -> None:
    placed = held_order(stack)
    console = signed_in(browser, stack, "admin")

    order_row_opened(console, placed["order_id"], "on_hold")
    review = console.get_by_role("form", name=f"Review order {placed['order_id']}")
    expect(review).to_contain_text("Held for review")
    accessible(console, "orders-held")
    review.get_by_role("button", name="Approve").click()
    expect(console.get_by_text("Order approved")).to_be_visible()

    page.goto(f"/orders/{placed['order_id']}?token={placed['order_token']}")
    storefront.sees_order_paid(page, placed["order_id"])
    console.context.close()


@pytest.fixture
def refunded(browser: Browser, stack: LocalStack) -> Iterator[tuple[Page, dict[str, Any]]]:
    """An order of two EUR 25.00 shoes, EUR 5.00 of it refunded by an admin from the Orders list."""
    placed = paid_order(stack, quantity=2)
    console = signed_in(browser, stack, "admin")
    order_row_opened(console, placed["order_id"], "fulfilling")
    refund = console.get_by_role("form", name=f"Refund order {placed['order_id']}")
    expect(refund).to_contain_text("Refund up to €50.00")
    expect(refund).to_contain_text("Your refunds have no limit")
    refund.get_by_label("Amount to refund (EUR)").fill("5.00")
    refund.get_by_label("Reason for the refund").fill("a scuffed box")
    refund.get_by_role("button", name="Refund").click()
    expect(console.get_by_text("Refund made")).to_be_visible()
    yield console, placed
    console.context.close()


def test_staff_refund_part_of_an_order_and_see_what_is_left_to_refund(
    stack: LocalStack, refunded: tuple[Page, dict[str, Any]]
) -> None:
    console, placed = refunded

    refund = console.get_by_role("form", name=f"Refund order {placed['order_id']}")

    expect(refund).to_contain_text("Refund up to €45.00")
    assert shop(stack).order(placed)["payment"]["refunded"]["amount"] == 500


def test_staff_refund_part_of_an_order_and_see_the_refund_on_the_orders_page(
    stack: LocalStack, refunded: tuple[Page, dict[str, Any]]
) -> None:
    console, placed = refunded

    console.goto(f"{stack.console_url}#/orders/{placed['order_id']}/show")

    expect(console.get_by_role("heading", level=1, name=f"Order {placed['order_id']}")).to_be_visible()
    refunds = console.get_by_role("table", name="Refunds")
    expect(refunds).to_contain_text("€5.00")
    expect(refunds).to_contain_text("a scuffed box")
    accessible(console, "order")


def flagged(stack: LocalStack, order_id: str, flag: str) -> None:
    """The order flagged as a carrier's scan of a cancelled parcel would flag it."""
    assert stack.deployment is not None
    client = boto3.client("dynamodb", endpoint_url=stack.aws_url, region_name="us-east-1")
    orders = DynamoOrders(client, stack.deployment.physical_ids["MainTable"])
    order = orders.get(order_id)
    assert order is not None
    orders.save(order.flagged(datetime.now(UTC), flag, "scanned by the carrier"), order.version)


def test_staff_mark_an_orders_flag_resolved_with_a_note_on_its_page(
    browser: Browser, stack: LocalStack
) -> None:
    placed = paid_order(stack)
    flagged(stack, placed["order_id"], "fulfillment_conflict")
    console = signed_in(browser, stack, "admin")

    console.goto(f"{stack.console_url}#/orders/{placed['order_id']}/show")
    resolve = console.get_by_role("form", name="Resolve flag fulfillment conflict")
    resolve.get_by_label("What was done about fulfillment conflict").fill("the carrier returns it")
    resolve.get_by_role("button", name="Mark resolved").click()

    expect(console.get_by_text("Flag resolved", exact=True)).to_be_visible()
    expect(resolve).to_have_count(0)
    expect(console.get_by_role("table", name="What happened")).to_contain_text("the carrier returns it")
    accessible(console, "order-flag-resolved")
    console.context.close()
