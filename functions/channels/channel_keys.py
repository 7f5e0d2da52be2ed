"""Who calls a channel's routes: the channel the path names, holding its own API key (X-Api-Key)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import unquote

from aws_lambda_powertools.event_handler.openapi.params import Path
from wiring import channels

from commerce.api.access import ApiKey, api_key, no_key
from commerce.domain.channels import CHANNEL_PATTERN, Channel
from commerce.observability import logger

ChannelId = Annotated[
    str, Path(max_length=60, pattern=CHANNEL_PATTERN, description="marketplace:<name>, ...")
]
NO_KEY = no_key("No valid API key for this channel in the X-Api-Key header.")


def _authenticated(event: Mapping[str, Any]) -> Channel:
    """The channel the path names, when the request carries its valid key (else Unauthorized)."""
    path = str(event.get("rawPath") or "")
    channel_id = unquote(path.split("/")[2]) if path.count("/") >= 2 else ""
    return channels.authenticate(channel_id, api_key(event))


channel_key = ApiKey("channel", _authenticated)


def calling_channel() -> Channel:
    """The channel the handler authenticated by its key, before the request was validated."""
    channel = channel_key.caller()
    logger.append_keys(channel=channel.id)
    return channel
