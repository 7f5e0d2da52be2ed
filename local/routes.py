"""The HTTP API's route table, matched the way API Gateway picks the most specific route."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import unquote

DEFAULT_ROUTE = "$default"
_LITERAL, _PARAMETER, _GREEDY = 2, 1, 0


@dataclass(frozen=True)
class Route:
    """One route: METHOD (or ANY) and a path with {param} and a trailing {proxy+}, bound to a function."""

    method: str
    path: str
    function: str

    @property
    def route_key(self) -> str:
        return DEFAULT_ROUTE if self.path == DEFAULT_ROUTE else f"{self.method} {self.path}"

    @property
    def segments(self) -> list[str]:
        return self.path.strip("/").split("/") if self.path.strip("/") else []

    def specificity(self) -> tuple[int, tuple[int, ...], int]:
        """Higher is more specific: no greedy variable, literal segments early, exact method."""
        if self.path == DEFAULT_ROUTE:
            return (-1, (), 0)
        ranks = tuple(
            _GREEDY if s.endswith("+}") else _PARAMETER if s.startswith("{") else _LITERAL
            for s in self.segments
        )
        return (int(_GREEDY not in ranks), ranks, int(self.method != "ANY"))

    @cached_property
    def _pattern(self) -> tuple[re.Pattern[str], list[str]]:
        names: list[str] = []
        parts: list[str] = []
        for segment in self.segments:
            if segment.startswith("{") and segment.endswith("}"):
                greedy = segment.endswith("+}")
                names.append(segment[1 : -2 if greedy else -1])
                parts.append(f"(?P<p{len(names)}>.+)" if greedy else f"(?P<p{len(names)}>[^/]+)")
            else:
                parts.append(re.escape(segment))
        return re.compile("^/" + "/".join(parts) + "/?$"), names

    def match_path(self, raw_path: str) -> dict[str, str] | None:
        """The path parameters (decoded) when the path fits this route, else None."""
        if self.path == DEFAULT_ROUTE:
            return {}
        pattern, names = self._pattern
        found = pattern.match(raw_path)
        if found is None:
            return None
        return {name: unquote(found.group(f"p{index}")) for index, name in enumerate(names, start=1)}


@dataclass(frozen=True)
class RouteMatch:
    route: Route
    path_parameters: dict[str, str]


class RouteTable:
    """Routes of all functions; match() returns the winner, or the methods the path allows."""

    def __init__(self, routes: list[Route]) -> None:
        self.routes = sorted(routes, key=Route.specificity, reverse=True)

    def match(self, method: str, raw_path: str) -> RouteMatch | list[str]:
        """The best route for method and path, else the sorted methods of the most specific route path that
        fits the path ([] = none): `DELETE /admin/inventory/transfers` allows POST (the transfers' path),
        not also GET (the `{sku}` path a GET would fall back to)."""
        allowed: dict[tuple[int, ...], set[str]] = {}
        for route in self.routes:
            parameters = route.match_path(raw_path)
            if parameters is None:
                continue
            if route.method in ("ANY", method.upper()):
                return RouteMatch(route, parameters)
            allowed.setdefault(route.specificity()[1], set()).add(route.method)
        return sorted(allowed[max(allowed)]) if allowed else []
