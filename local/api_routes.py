"""The HTTP API's routes as the template declares them, with the authorizer each one needs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from local.samyaml import load_template


@dataclass(frozen=True, slots=True)
class TemplateRoute:
    function: str  # logical id
    method: str
    path: str
    authorizer: str | None  # None: public

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


def _default_authorizer(sam: dict[str, Any], api_ref: Any) -> str | None:
    api_id = api_ref.get("Ref") if isinstance(api_ref, dict) else None
    api = sam["Resources"].get(api_id or "", {})
    auth = (api.get("Properties") or {}).get("Auth") or {}
    return auth.get("DefaultAuthorizer")


def template_routes(sam: dict[str, Any]) -> list[TemplateRoute]:
    routes: list[TemplateRoute] = []
    for logical_id, resource in sam["Resources"].items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        for event in ((resource.get("Properties") or {}).get("Events") or {}).values():
            if event.get("Type") != "HttpApi":
                continue
            props = event.get("Properties") or {}
            authorizer = ((props.get("Auth") or {}).get("Authorizer")) or _default_authorizer(
                sam, props.get("ApiId")
            )
            routes.append(
                TemplateRoute(
                    function=logical_id,
                    method=str(props.get("Method", "ANY")).upper(),
                    path=str(props.get("Path", "$default")),
                    authorizer=None if authorizer in (None, "NONE") else str(authorizer),
                )
            )
    return sorted(routes, key=lambda r: (r.path, r.method))


def load_routes(template_path: Path) -> list[TemplateRoute]:
    return template_routes(load_template(template_path))
