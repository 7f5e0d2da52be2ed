"""The HTTP resolver every function uses: validation on, errors mapped to problem details."""

from __future__ import annotations

from typing import Any, TypeVar

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.middlewares.openapi_validation import (
    OpenAPIRequestValidationMiddleware,
)
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.types import EventHandlerInstance

from commerce.api import problems


class _JsonBodiesOnly(OpenAPIRequestValidationMiddleware):
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


def _unreadable(why: str) -> RequestValidationError:
    return RequestValidationError([{"type": "json_invalid", "loc": ("body",), "msg": why}])


def create_resolver() -> APIGatewayHttpResolver:
    app = APIGatewayHttpResolver(enable_validation=True)
    # Powertools builds this middleware in the constructor and uses whatever sits in the attribute.
    app._request_validation_middleware = _JsonBodiesOnly()  # type: ignore[no-untyped-call]
    problems.register(app)
    return app


def header(app: APIGatewayHttpResolver, name: str) -> str | None:
    """A request header by case-insensitive name (HTTP API payload 2.0 lower-cases them)."""
    return app.current_event.headers.get(name.lower())


T = TypeVar("T")


def created(body: T, location: str) -> Response[T]:
    """201 Created with the new resource as JSON and where it lives."""
    return Response(
        status_code=201, content_type="application/json", body=body, headers={"Location": location}
    )
