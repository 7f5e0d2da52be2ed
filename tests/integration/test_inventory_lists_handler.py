"""GET /admin/inventory/{sku}/movements and GET /admin/inventory/transfers on the inventory_admin function:
the whole ledger and every transfer, newest first, a page at a time."""

from __future__ import annotations

from typing import Any

from .conftest import Stack
from .test_admin_catalog_handler import admin_get
from .test_inventory_admin_handler import FN, _call, _locations, _sku


def listed(
    stack: Stack, route: str, groups: str = "[staff]", query: dict[str, str] | None = None, **params: str
) -> tuple[int, Any]:
    return admin_get(stack, FN, route, query or {}, groups, **params)


def every_page(stack: Stack, route: str, limit: int, **params: str) -> list[list[Any]]:
    pages: list[list[Any]] = []
    query = {"limit": str(limit)}
    for _ in range(50):  # bounded: a cursor that never ends fails the test instead of hanging it
        status, body = listed(stack, route, query=query, **params)
        assert status == 200, body
        pages.append(body["items"])
        if body["next_cursor"] is None:
            return pages
        query = {"limit": str(limit), "cursor": body["next_cursor"]}
    raise AssertionError("the pages never ended")


def test_staff_page_through_a_skus_whole_ledger_newest_first(stack: Stack) -> None:
    _locations(stack)
    sku = _sku()
    for quantity in (1, 2, 3):
        body = {"location": "wh-test", "quantity": quantity}
        assert _call(stack, "POST", "/admin/inventory/{sku}/receipts", body, sku=sku)[0] == 200

    pages = every_page(stack, "/admin/inventory/{sku}/movements", 2, sku=sku)

    assert [[m["quantity"] for m in page] for page in pages] == [[3, 2], [1]]
    assert pages[0][0]["reason"] == "receipt" and pages[0][0]["location"] == "wh-test"


def test_staff_list_transfers_newest_sent_first(stack: Stack) -> None:
    _locations(stack)
    sku = _sku()
    _call(stack, "POST", "/admin/inventory/{sku}/receipts", {"location": "wh-test", "quantity": 9}, sku=sku)
    sent = []
    for quantity in (1, 2, 3):
        body = {"sku": sku, "source": "wh-test", "destination": "store-test", "quantity": quantity}
        status, transfer = _call(stack, "POST", "/admin/inventory/transfers", body)
        assert status == 201, transfer
        sent.append(transfer["id"])

    status, first = listed(stack, "/admin/inventory/transfers", query={"limit": "2"})
    status_next, second = listed(
        stack, "/admin/inventory/transfers", query={"limit": "2", "cursor": first["next_cursor"]}
    )

    assert status == 200 and status_next == 200, (first, second)
    assert [t["id"] for t in first["items"]] == [sent[2], sent[1]]
    assert second["items"][0]["id"] == sent[0] and second["items"][0]["sku"] == sku


def test_bad_list_parameters_are_a_400_problem(stack: Stack) -> None:
    for query in ({"limit": "0"}, {"limit": "101"}, {"cursor": "forged.cursor"}):
        status, body = listed(stack, "/admin/inventory/transfers", query=query)
        assert status == 400, (query, body)
        status, body = listed(stack, "/admin/inventory/{sku}/movements", query=query, sku="HAT-1")
        assert status == 400, (query, body)
    status, body = listed(stack, "/admin/inventory/{sku}/movements", sku="not a sku")
    assert status == 400, body


def test_support_staff_without_the_inventory_permission_get_403(stack: Stack) -> None:
    assert listed(stack, "/admin/inventory/transfers", groups="[support]")[0] == 403
    assert listed(stack, "/admin/inventory/{sku}/movements", groups="[support]", sku="HAT-1")[0] == 403
