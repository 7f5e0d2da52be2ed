"""The webhook functions called with the sample events in events/, against moto built from template.yaml."""

from __future__ import annotations

import copy
from typing import Any

from .conftest import Stack, routed, sample_event


def admin_call(
    stack: Stack, method: str, path: str, route: str, body: Any = None, groups: str = "[admin]"
) -> Any:
    event = routed(sample_event("webhook-admin-create.json"), method, route, path, body)
    event["requestContext"]["authorizer"]["jwt"]["claims"]["cognito:groups"] = groups
    return stack.call("WebhookAdminFunction", event)


def test_staff_create_a_subscription_and_see_its_secret_only_once(stack: Stack) -> None:
    status, headers, created = stack.call("WebhookAdminFunction", sample_event("webhook-admin-create.json"))
    assert status == 201, created
    assert (
        created["secret"].startswith("whsec_") and headers["Location"] == f"/admin/webhooks/{created['id']}"
    )
    assert created["event_types"] == ["OrderPaid", "OrderCancelled"] and created["status"] == "active"
    status, _, fetched = admin_call(
        stack, "GET", f"/admin/webhooks/{created['id']}", "/admin/webhooks/{subscription_id}"
    )
    assert status == 200 and "secret" not in fetched and fetched["url"] == created["url"]


def test_a_customer_is_refused_and_a_bad_request_is_a_problem(stack: Stack) -> None:
    status, _, _ = admin_call(stack, "GET", "/admin/webhooks", "/admin/webhooks", groups="[]")
    assert status == 403
    status, _, _ = admin_call(stack, "POST", "/admin/webhooks", "/admin/webhooks", {}, groups="[]")
    assert status == 403  # refused before the body is validated: a customer learns nothing of its schema
    status, headers, problem = admin_call(
        stack,
        "POST",
        "/admin/webhooks",
        "/admin/webhooks",
        {"url": "http://hooks.example.com/", "event_types": ["*"]},
    )
    assert status == 400 and headers["Content-Type"] == "application/problem+json", problem
    status, _, _ = admin_call(stack, "GET", "/admin/webhooks/whs_none", "/admin/webhooks/{subscription_id}")
    assert status == 404
    status, _, _ = admin_call(
        stack,
        "POST",
        "/admin/webhooks/deliveries/whd_none/replay",
        "/admin/webhooks/deliveries/{delivery_id}/replay",
    )
    assert status == 404


def test_the_dispatcher_answers_a_batch_and_reports_only_the_message_it_could_not_handle(
    stack: Stack,
) -> None:
    event = sample_event("webhook-dispatcher-event.json")
    good = event["Records"][0]
    bad = copy.deepcopy(good) | {"messageId": "broken-1", "body": "{not json"}
    event["Records"] = [good, bad]
    answer = stack.runtime.invoke("WebhookDispatcherFunction", event)
    assert answer == {"batchItemFailures": [{"itemIdentifier": "broken-1"}]}
