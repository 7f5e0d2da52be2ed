"""GET /admin/customers on the recommendations and customer view function: staff find customers who signed
up through the customers function, by email (GSI3) or name prefix (GSI4), a page at a time."""

from __future__ import annotations

import uuid
from typing import Any

from .conftest import Stack
from .test_admin_catalog_handler import admin_get
from .test_customers_handler import Customer


def signed_up(stack: Stack, name: str, email: str | None = None) -> Customer:
    """A customer whose first sign-in made their profile, who then gave their name."""
    customer = Customer(stack, email)
    status, _, body = customer.call("PUT", "/me", {"name": name})
    assert status == 200, body
    return customer


def listed(stack: Stack, groups: str = "[support]", **query: str) -> tuple[int, Any]:
    return admin_get(stack, "RecommendationsAndCustomerViewFunction", "/admin/customers", query, groups)


def test_support_find_a_customer_by_email_in_any_case(stack: Stack) -> None:
    email = f"Grace.{uuid.uuid4().hex[:8]}@example.com"
    grace = signed_up(stack, "Grace Hopper", email)

    status, body = listed(stack, q=email.upper())

    assert status == 200, body
    assert [(c["customer_id"], c["email"], c["name"]) for c in body["items"]] == [
        (grace.sub, email, "Grace Hopper")
    ]
    assert body["items"][0]["created_at"] and body["items"][0]["segment"] is None
    assert body["next_cursor"] is None


def test_support_page_through_customers_found_by_the_start_of_their_name(stack: Stack) -> None:
    family = f"Zyx{uuid.uuid4().hex[:6]}"
    noemie, bea, chloe = (signed_up(stack, f"{family} {first}") for first in ("Noémie", "béa", "Chloé"))
    signed_up(stack, f"Other {family}")

    status, first = listed(stack, q=f"{family.upper()} ", limit="2")
    assert status == 200, first
    status, second = listed(stack, q=f"{family.upper()} ", limit="2", cursor=first["next_cursor"])
    assert status == 200, second

    assert [c["customer_id"] for c in first["items"] + second["items"]] == [bea.sub, chloe.sub, noemie.sub]
    assert second["next_cursor"] is None
    status, accented = listed(stack, q=f"{family} noemie")
    assert [c["customer_id"] for c in accented["items"]] == [noemie.sub]


def test_the_segment_list_keeps_its_shape_with_a_cursor(stack: Stack) -> None:
    status, body = listed(stack, segment="repeat", limit="5")

    assert status == 200, body
    assert body["segment"] == "repeat" and "next_cursor" in body
    assert all(c["segment"] == "repeat" for c in body["items"])


def test_bad_list_parameters_are_a_400_problem(stack: Stack) -> None:
    for query in ({"segment": "vip"}, {"limit": "0"}, {"limit": "500"}, {"cursor": "forged.cursor"}):
        status, body = listed(stack, **query)
        assert status == 400, (query, body)
        assert body["status"] == 400, body


def test_staff_without_the_customers_read_permission_get_403(stack: Stack) -> None:
    status, body = listed(stack, groups="[customers]", q="someone@example.com")

    assert status == 403, body
