"""What needs staff's attention now: each section for the callers holding its permission, null for others."""

from __future__ import annotations

from wiring import attention

from commerce.api.access import ANY_STAFF
from commerce.api.attention_models import AttentionOut
from commerce.api.routing import CommerceRouter

router = CommerceRouter()


@router.get(
    "/admin/attention",
    access=ANY_STAFF,
    summary="What needs attention now (any staff): each section null without its permission",
)
def get_attention() -> AttentionOut:
    return AttentionOut.of(attention.summary(router.authority()))
