"""Every route of template.yaml declares, beside its path in its function's router modules, who may call
it; and that declaration agrees with the template's authorizer. Read from the source: nothing is imported."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

from local.api_routes import TemplateRoute, load_routes
from local.samyaml import load_template

REPO = Path(__file__).resolve().parents[2]
ROUTES = load_routes(REPO / "template.yaml")
METHODS = {"get", "post", "put", "patch", "delete"}
PARAMETER = re.compile(r"<([^>]+)>")  # Powertools' <name> is the template's {name}


CODE_DIRS = {
    logical_id: REPO / str(resource["Properties"]["CodeUri"])
    for logical_id, resource in load_template(REPO / "template.yaml")["Resources"].items()
    if resource.get("Type") == "AWS::Serverless::Function"
}


@functools.cache
def _declarations(code_dir: Path) -> dict[str, str | None]:
    """'METHOD /path/{param}' -> the source of its `access=` argument (None when it has none)."""
    found: dict[str, str | None] = {}
    nodes = (
        node for module in sorted(code_dir.glob("*.py")) for node in ast.walk(ast.parse(module.read_text()))
    )
    for node in nodes:
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)):
                continue
            if decorator.func.attr not in METHODS or not decorator.args:
                continue
            path = ast.literal_eval(decorator.args[0])
            access = next((k.value for k in decorator.keywords if k.arg == "access"), None)
            template_path = PARAMETER.sub(r"{\1}", path)
            key = f"{decorator.func.attr.upper()} {template_path}"
            found[key] = ast.unparse(access) if access is not None else None
    return found


def _declared(route: TemplateRoute) -> str | None:
    declarations = _declarations(CODE_DIRS[route.function])
    assert route.key in declarations, f"{route.key}: no route in {route.function}'s modules"
    return declarations[route.key]


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.key)
def test_every_template_route_declares_its_access_beside_its_path(route: TemplateRoute) -> None:
    access = _declared(route)

    assert access is not None, f"{route.key} declares no access=; say who may call it"


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.key)
def test_the_template_authorizer_agrees_with_the_declared_access(route: TemplateRoute) -> None:
    access = _declared(route) or ""
    open_at_the_gateway = access == "PUBLIC" or access.endswith(".access")  # public, or a partner's key

    assert (route.authorizer is None) == open_at_the_gateway, (route.key, route.authorizer, access)
    if route.path.startswith("/admin/"):
        staff_only = access.startswith("staff(Permission.") or access == "ANY_STAFF"
        assert staff_only, f"{route.key}: the back office is staff only"
    if route.path == "/me" or route.path.startswith("/me/"):
        assert access == "CUSTOMER", route.key


def test_every_declared_route_of_every_function_is_in_the_template() -> None:
    declared = {
        key
        for app_py in (REPO / "functions").glob("*/app.py")
        for key, access in _declarations(app_py.parent).items()
        if access is not None
    }

    assert sorted(declared - {route.key for route in ROUTES}) == []
