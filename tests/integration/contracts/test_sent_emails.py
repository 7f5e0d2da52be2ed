"""The SentEmails record: an email's idempotency key is claimed once, and a released claim can be taken
again (the send failed, so the retry sends it)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from commerce.adapters.dynamodb.notifications import DynamoSentEmails
from tests.fakes.notifications import InMemorySentEmails

from .conftest import NOW, Shop


@pytest.fixture
def sent(shop: Shop) -> Any:
    return shop.build(InMemorySentEmails, DynamoSentEmails, clock=lambda: NOW)


def test_an_email_is_claimed_once(sent: Any) -> None:
    key = f"order-confirmation-{uuid.uuid4().hex}"

    assert sent.claim(key, "o-1") is True
    assert sent.claim(key, "o-1") is False


def test_a_released_claim_can_be_taken_again_and_releasing_twice_is_no_error(sent: Any) -> None:
    key = f"order-confirmation-{uuid.uuid4().hex}"
    sent.claim(key, "o-1")

    sent.release(key)
    sent.release(key)

    assert sent.claim(key, "o-1") is True
