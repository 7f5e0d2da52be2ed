"""Who calls a channel's routes: the channel the path names, holding its own API key (X-Api-Key)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import unquote

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from wiring import channels

from commerce.api.access import ApiKey
from commerce.domain.channels import CHANNEL_PATTERN, Channel
from commerce.observability import logger

ChannelId = Annotated[
    str, Path(max_length=60, pattern=CHANNEL_PATTERN, description="marketplace:<name>, ...")
]
KEY_HEADER = "X-Api-Key"

NO_KEY: dict[int, OpenAPIResponse] = {
    401: {
        "description": "No valid API key for this channel in the X-Api-Key header.",
        "content": {"application/problem+json": {"schema": {"type": "object"}}},
    }
}


def _authenticated(event: Mapping[str, Any]) -> Channel:
    """The channel the path names, when the request carries its valid key (else Unauthorized)."""
    path = str(event.get("rawPath") or "")
    channel_id = unquote(path.split("/")[2]) if path.count("/") >= 2 else ""
    headers = {str(k).lower(): v for k, v in (event.get("headers") or {}).items()}
    return channels.authenticate(channel_id, headers.get(KEY_HEADER.lower()))


channel_key = ApiKey("channel", _authenticated)


def calling_channel() -> Channel:
    """The channel the handler authenticated by its key, before the request was validated."""
    channel = channel_key.caller()
    logger.append_keys(channel=channel.id)
    return channel
