"""The merchant's notices: mailed to the configured address in the mailer's outbox, logged always, and never
failing the work that caused them when the mail provider refuses."""

from __future__ import annotations

import logging

import pytest

from commerce.adapters.merchant_mail import MailToMerchant
from commerce.domain.notifications import EmailKind
from tests.fakes.notifications import InMemoryMailer


def test_a_notice_is_mailed_to_the_merchant_with_its_facts() -> None:
    mailer = InMemoryMailer()

    MailToMerchant(mailer, "owner@shop.example").notify(
        "A webhook subscription was paused", "Deliveries have failed.", {"subscription_id": "whs_1"}
    )

    (email,) = mailer.sent
    assert (email.to, email.kind, email.language) == ("owner@shop.example", EmailKind.MERCHANT_NOTICE, "en")
    assert email.subject == "A webhook subscription was paused"
    assert email.body.startswith("Deliveries have failed.") and "subscription_id: whs_1" in email.body


def test_without_an_address_a_notice_is_only_logged(caplog: pytest.LogCaptureFixture) -> None:
    mailer = InMemoryMailer()

    with caplog.at_level(logging.WARNING):
        MailToMerchant(mailer, None).notify("Daily report 2026-11-26", "Sales on 2026-11-26: 0.00 EUR")

    assert mailer.sent == []
    assert [r.getMessage() for r in caplog.records] == ["merchant notified"]


def test_a_refused_mail_is_logged_as_an_error_and_does_not_fail_the_caller(
    caplog: pytest.LogCaptureFixture,
) -> None:
    mailer = InMemoryMailer()
    mailer.fail_for.add("owner@shop.example")

    with caplog.at_level(logging.WARNING):
        MailToMerchant(mailer, "owner@shop.example").notify("Daily report 2026-11-26", "text")

    assert [(r.levelname, r.getMessage()) for r in caplog.records][-1] == (
        "ERROR",
        "merchant notice not mailed",
    )
