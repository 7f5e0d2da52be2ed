"""In-process Lambda runtime: each function's handler loaded from its code directory and called directly."""

from __future__ import annotations

import importlib.util
import itertools
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from local import environment
from local.code_dirs import code_directory
from local.context import LambdaContext
from local.patches import powertools
from local.patches.moto_lambda import MotoInvokePatch, patch_moto_invoke
from local.specs import FunctionSpec

logger = logging.getLogger(__name__)

__all__ = ["FunctionLoadError", "LambdaContext", "LambdaRuntime", "MotoInvokePatch", "patch_moto_invoke"]

Handler = Callable[[Any, LambdaContext], Any]
_runtime_ids = itertools.count(1)


class FunctionLoadError(RuntimeError):
    """The handler could not be imported; invoking it fails the way Lambda's init error does."""

    error_type = "Runtime.ImportModuleError"


def _exec(module_name: str, source: Path) -> ModuleType:
    module_spec = importlib.util.spec_from_file_location(module_name, source)
    if module_spec is None or module_spec.loader is None:
        raise FileNotFoundError(f"no module at {source}")
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[module_name] = module
    module_spec.loader.exec_module(module)
    return module


class LambdaRuntime:
    """Loads every function's handler once (cold start) and invokes them by logical id, name or ARN."""

    def __init__(self, functions: dict[str, FunctionSpec], repo_root: Path) -> None:
        powertools.install()  # concurrent requests must not share Powertools' current request
        self.functions = dict(functions)
        self._by_name = {spec.physical_name: spec for spec in functions.values()}
        self._instance = next(_runtime_ids)
        self._previous_env = environment.apply(environment.merged_environment(functions.values()))
        self._shared = str((repo_root / "layers" / "shared").resolve())
        self._added_shared = self._shared not in sys.path
        if self._added_shared:
            sys.path.insert(0, self._shared)
        self._modules: dict[str, ModuleType] = {}
        self._handlers: dict[str, Handler] = {}
        self._load_errors: dict[str, FunctionLoadError] = {}
        for spec in self.functions.values():
            self._load(spec)

    def _load(self, spec: FunctionSpec) -> None:
        module_path, _, attribute = spec.handler.rpartition(".")
        source = spec.code_dir / (module_path.replace(".", "/") + ".py")
        module_name = f"_local_lambda_{self._instance}_{spec.logical_id}"
        try:
            with code_directory(spec.code_dir):
                module = _exec(module_name, source)
            self._modules[module_name] = module
            self._handlers[spec.logical_id] = getattr(module, attribute)
        except Exception as error:
            sys.modules.pop(module_name, None)
            logger.exception(
                "handler failed to load", extra={"function": spec.logical_id, "source": str(source)}
            )
            self._load_errors[spec.logical_id] = FunctionLoadError(f"{spec.logical_id}: {error!r}")

    def find(self, name: str) -> FunctionSpec | None:
        """The function with this logical id, physical name or ARN (qualifier ignored)."""
        if ":function:" in name:
            name = name.split(":function:", 1)[1].split(":", 1)[0]
        return self.functions.get(name) or self._by_name.get(name)

    def module(self, logical_id: str) -> ModuleType:
        """The function's loaded handler module (its resolver, for tests that read what routes declare)."""
        if logical_id in self._load_errors:
            raise self._load_errors[logical_id]
        return self._modules[f"_local_lambda_{self._instance}_{logical_id}"]

    def invoke(self, name: str, event: Any) -> Any:
        """Call the handler with the event and a fresh context; its exceptions propagate."""
        spec = self.find(name)
        if spec is None:
            raise KeyError(f"no function {name!r} in this runtime")
        if spec.logical_id in self._load_errors:
            raise self._load_errors[spec.logical_id]
        context = LambdaContext(
            function_name=spec.physical_name,
            memory_limit_in_mb=spec.memory_size,
            timeout_seconds=spec.timeout,
        )
        return self._handlers[spec.logical_id](event, context)

    def close(self) -> None:
        """Forget the loaded modules and restore the environment as it was."""
        for module_name in self._modules:
            sys.modules.pop(module_name, None)
        self._modules.clear()
        environment.restore(self._previous_env)
        if self._added_shared and self._shared in sys.path:
            sys.path.remove(self._shared)
            self._added_shared = False
