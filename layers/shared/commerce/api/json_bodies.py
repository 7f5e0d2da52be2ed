"""Request bodies are JSON or nothing. Powertools offers no public way to change how its request validation
reads a body, so this module is the one place the shared package reaches into Powertools' private
internals; tests/unit/test_json_bodies.py fails when the pinned Powertools is not the one it was written for.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver
from aws_lambda_powertools.event_handler.middlewares.openapi_validation import (
    OpenAPIRequestValidationMiddleware,
)
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.types import EventHandlerInstance

# The Powertools release this was read against; bump it only after re-checking what RELIES_ON lists.
WRITTEN_FOR = "3.37.0"
RELIES_ON = (
    "ApiGatewayResolver.__init__ sets _request_validation_middleware when enable_validation is on, and "
    "Route._build_middleware_stack runs whatever that attribute holds before the route",
    "OpenAPIRequestValidationMiddleware._get_body(app) reads the body, and _parse_json_data(app) parses it",
)


class JsonBodiesOnly(OpenAPIRequestValidationMiddleware):
    """Powertools' request validation, but a body is JSON or nothing: it would parse a form or a multipart
    body too, and a multipart Content-Type without a boundary raised a bare ValueError (a 500), as did a
    body that is not UTF-8, JSON nested deeper than the parser recurses, and an integer of more digits
    than Python converts (4,300). A media type is case-insensitive: `APPLICATION/JSON` is JSON."""

    def _get_body(self, app: EventHandlerInstance) -> dict[str, Any]:
        content_type = app.current_event.headers.get("content-type", "").strip().lower()
        if content_type and not content_type.startswith("application/json"):
            raise RequestUnsupportedContentType(
                "Unsupported content type",
                errors=[
                    {"type": "unsupported_content_type", "loc": ("body",), "msg": "not application/json"}
                ],
            )
        try:
            return self._parse_json_data(app)
        except UnicodeDecodeError as error:  # Powertools catches only JSONDecodeError
            raise _unreadable("the body is not UTF-8 text") from error
        except RecursionError as error:
            raise _unreadable("the body is nested too deeply") from error
        except ValueError as error:  # int("1" * 5000): Python refuses to convert that many digits
            raise _unreadable("the body holds a number too long to read") from error


def use_json_bodies_only(resolver: ApiGatewayResolver) -> None:
    """Makes `resolver` (built with validation on) read request bodies as JSON only. Refuses at cold start,
    rather than validating bodies the old way unnoticed, when Powertools no longer builds the attribute."""
    if not hasattr(resolver, "_request_validation_middleware"):
        raise RuntimeError(
            f"Powertools no longer sets _request_validation_middleware (written for {WRITTEN_FOR}): "
            "re-check commerce/api/json_bodies.py"
        )
    resolver._request_validation_middleware = JsonBodiesOnly()  # type: ignore[no-untyped-call]


def _unreadable(why: str) -> RequestValidationError:
    return RequestValidationError([{"type": "json_invalid", "loc": ("body",), "msg": why}])
