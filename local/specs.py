"""What the local runtimes need to know about the template's functions and API, read from the SAM template."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FUNCTION_TYPE = "AWS::Serverless::Function"
HTTP_API_TYPE = "AWS::Serverless::HttpApi"


@dataclass(frozen=True)
class FunctionSpec:
    """One Lambda function as deployed locally."""

    logical_id: str
    physical_name: str
    code_dir: Path
    handler: str
    environment: dict[str, str]
    http_routes: list[tuple[str, str]] = field(default_factory=list)
    memory_size: int = 128
    timeout: int = 3


@dataclass(frozen=True)
class CorsConfig:
    """An HttpApi CorsConfiguration with its parameters resolved."""

    allow_origins: list[str]
    allow_methods: list[str]
    allow_headers: list[str]
    expose_headers: list[str] = field(default_factory=list)
    max_age: int | None = None
    allow_credentials: bool = False


def parameter_values(sam: dict[str, Any], overrides: dict[str, str] | None) -> dict[str, Any]:
    """Parameter values as CloudFormation sees them: defaults, then overrides; lists split."""
    values: dict[str, Any] = {}
    for name, declaration in sam.get("Parameters", {}).items():
        value = (overrides or {}).get(name, declaration.get("Default"))
        if value is not None and str(declaration.get("Type", "")).startswith(("CommaDelimitedList", "List<")):
            value = [item.strip() for item in str(value).split(",")]
        values[name] = value
    return values


def resolve_parameters(node: Any, parameters: dict[str, Any]) -> Any:
    """Replace {"Ref": parameter} in a fragment by its value."""
    if isinstance(node, list):
        return [resolve_parameters(item, parameters) for item in node]
    if isinstance(node, dict):
        if set(node) == {"Ref"} and node["Ref"] in parameters:
            return parameters[node["Ref"]]
        return {key: resolve_parameters(value, parameters) for key, value in node.items()}
    return node


def http_routes(resource: dict[str, Any]) -> list[tuple[str, str]]:
    """(METHOD, path) of a function's HttpApi events; a missing method is ANY, a missing path $default."""
    routes: list[tuple[str, str]] = []
    for event in (resource.get("Properties", {}).get("Events") or {}).values():
        if event.get("Type") == "HttpApi":
            props = event.get("Properties") or {}
            routes.append((str(props.get("Method", "ANY")).upper(), str(props.get("Path", "$default"))))
    return routes


def code_dir(sam: dict[str, Any], resource: dict[str, Any], template_dir: Path) -> Path | None:
    """The function's source directory from its (or the Globals') CodeUri."""
    defaults = sam.get("Globals", {}).get("Function", {})
    uri = resource.get("Properties", {}).get("CodeUri") or defaults.get("CodeUri")
    if not isinstance(uri, str) or uri.startswith("s3://"):
        return None
    return (template_dir / uri).resolve()


def _strings(config: dict[str, Any], key: str) -> list[str]:
    return [str(value) for value in config.get(key) or []]


def cors_config(sam: dict[str, Any], parameters: dict[str, Any]) -> CorsConfig | None:
    """The first HttpApi's CORS configuration, or None when it has none."""
    for resource in sam["Resources"].values():
        if resource.get("Type") != HTTP_API_TYPE:
            continue
        config = resolve_parameters(resource.get("Properties", {}).get("CorsConfiguration"), parameters)
        if config is True:
            return CorsConfig(allow_origins=["*"], allow_methods=["*"], allow_headers=["*"])
        if isinstance(config, dict):
            max_age = config.get("MaxAge")
            return CorsConfig(
                allow_origins=_strings(config, "AllowOrigins"),
                allow_methods=[m.upper() for m in _strings(config, "AllowMethods")],
                allow_headers=[h.lower() for h in _strings(config, "AllowHeaders")],
                expose_headers=[h.lower() for h in _strings(config, "ExposeHeaders")],
                max_age=None if max_age is None else int(max_age),
                allow_credentials=bool(config.get("AllowCredentials", False)),
            )
    return None


def template_environments(sam: dict[str, Any], parameters: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each SAM function's variables as the template declares them (the globals, then its own), parameters
    resolved; a resource's name or ARN stays a reference, known only once deployed."""
    shared = sam.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
    return {
        logical_id: resolve_parameters(
            {**shared, **resource["Properties"].get("Environment", {}).get("Variables", {})}, parameters
        )
        for logical_id, resource in sam["Resources"].items()
        if resource.get("Type") == FUNCTION_TYPE
    }


def function_specs(
    sam: dict[str, Any], template_dir: Path, physical_ids: dict[str, str], lambda_client: Any
) -> dict[str, FunctionSpec]:
    """A FunctionSpec per deployed SAM function, its environment read back from Lambda."""
    specs: dict[str, FunctionSpec] = {}
    for logical_id, resource in sam["Resources"].items():
        source = code_dir(sam, resource, template_dir) if resource.get("Type") == FUNCTION_TYPE else None
        if source is None or logical_id not in physical_ids:
            continue
        config = lambda_client.get_function_configuration(FunctionName=physical_ids[logical_id])
        variables = (config.get("Environment") or {}).get("Variables") or {}
        specs[logical_id] = FunctionSpec(
            logical_id=logical_id,
            physical_name=config["FunctionName"],
            code_dir=source,
            handler=config["Handler"],
            environment={name: str(value) for name, value in variables.items()},
            http_routes=http_routes(resource),
            memory_size=int(config.get("MemorySize", 128)),
            timeout=int(config.get("Timeout", 3)),
        )
    return specs
