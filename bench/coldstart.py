"""Cold-start cost of each function's handler module against the framework's floor, and the first request.

Run it with `make bench` (which builds first when there is no artifact), or `python bench/coldstart.py
[--runs N]` once `make build` has made .aws-sam/build.

For each function of the built template, every run starts a fresh `python3.12` process, laid out as Lambda
lays it out (the function's code dir, then its layers' python/ dirs, then the standard library; the
interpreter's own site-packages removed so nothing outside the artifact is found), with the function's
environment variables from the template set to dummy but valid values, plus the variables Lambda itself sets
(region, dummy credentials, function name). It then times `import app` and the lookup of the handler: the
module-level work a cold start does (imports, Settings.from_env(), the boto3 clients, the resolver's routes).

The floor is what the chosen framework costs at the least: a function laid out like the others (its own code
dir, the same layer, the template's global environment) whose `app.py` is one validated route on a
Powertools APIGatewayHttpResolver, with Logger, Metrics, a Tracer patching botocore alone (as the functions'
does) and one DynamoDB client. Each function's import is printed as a ratio to the floor's, medians of the
same interleaved runs.

The first request after a cold start: in the same process, right after the import, the handler is invoked
once with the function's first sample in events/index.json (the floor: a GET of its one route, which reads
one DynamoDB item), and timed. Nothing answers from AWS: inside the bench process only, botocore's HTTP
session is stubbed to answer every call at once with `200 {}` (an empty item, page or result), so the request
runs the whole path (routing, validation, client creation, serialisation, signing, parsing) without the
network; any other socket connection is refused at once. What the handler returned (a status code) or
raised is printed beside the time: some samples fail on an empty answer (a missing secret, a signature),
which still runs their cold path up to that call.

Two variants, interleaved run by run so that machine noise hits both alike:
  with bytecode     the artifact as built, its unchecked-hash .cpython-312.pyc files used as they are;
  without bytecode  a copy of the artifact without any __pycache__ or .pyc, made read-only, as `sam build`
                    alone would ship it; every import compiles from source, as on Lambda's read-only disk
                    (left out with --bytecode-only).
Both run with -B (PYTHONDONTWRITEBYTECODE), so nothing is written or cached between runs (root ignores the
read-only bits, -B does not). The baseline is `python3.12 -c pass` started the same way.

It prints the machine, the date and Markdown tables (median and p90 of N runs) for docs/performance.md.
It is a measurement, not a test: it asserts nothing about the timings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import json
import math
import os
import platform
import re
import shutil
import stat
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from local.samyaml import load_template  # noqa: E402

BUILD = ROOT / ".aws-sam" / "build"
EVENTS = ROOT / "events"
SOURCES = (ROOT / "functions", ROOT / "layers" / "shared", ROOT / "template.yaml")

REGION = "us-east-1"
ACCOUNT = "123456789012"
STACK = "commerce-bench"

# What Lambda sets in every python3.12 function's environment (values made up, credentials dummy).
LAMBDA_ENVIRONMENT = {
    "AWS_REGION": REGION,
    "AWS_DEFAULT_REGION": REGION,
    "AWS_EXECUTION_ENV": "AWS_Lambda_python3.12",
    "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
    "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
    "AWS_ACCESS_KEY_ID": "ASIABENCHBENCHBENCH0",
    "AWS_SECRET_ACCESS_KEY": "bench-secret-key-not-used-for-any-call-0000",
    "AWS_SESSION_TOKEN": "bench-session-token",
    "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
    "AWS_XRAY_DAEMON_ADDRESS": "169.254.79.129:2000",
    "TZ": ":UTC",
    "LANG": "en_US.UTF-8",
    # no shared config or credentials file of the developer's, no instance metadata lookups
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}

# Runs in the fresh interpreter: argv = event file ("" for none), code_dir, module, attribute, layer dirs...
# Prints one JSON line: the import time, the first request's time and outcome, and how many artifact modules
# were loaded and had a .pyc. Then it exits at once, skipping the interpreter's teardown (100-200 ms with ~500
# modules loaded), which a Lambda cold start does not pay, so the process's wall time is start + init.
DRIVER = r"""
import sys, time
t0 = time.perf_counter()
event_file, code_dir, module_name, attribute, *layer_dirs = sys.argv[1:]
sys.path[:] = [code_dir, *layer_dirs] + [p for p in sys.path if not p.endswith("-packages")]
import importlib
handler = getattr(importlib.import_module(module_name), attribute)
t1 = time.perf_counter()
import json, os
first_ms, outcome = None, None
if event_file:
    import socket
    def _refused(self, *args):
        raise ConnectionRefusedError("no network in the cold-start bench")
    socket.socket.connect = _refused
    from botocore.awsrequest import AWSResponse
    from botocore.httpsession import URLLib3Session
    class _Empty:
        def stream(self, **kwargs):
            yield b"{}"
    def _answer(self, request):
        return AWSResponse(request.url, 200, {"content-type": "application/x-amz-json-1.0"}, _Empty())
    URLLib3Session.send = _answer
    class Context:
        function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        function_version = "$LATEST"
        memory_limit_in_mb = int(os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"])
        invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:" + function_name
        aws_request_id = "00000000-0000-4000-8000-000000000001"
        log_group_name = os.environ["AWS_LAMBDA_LOG_GROUP_NAME"]
        log_stream_name = os.environ["AWS_LAMBDA_LOG_STREAM_NAME"]
        def get_remaining_time_in_millis(self):
            return 10000
    with open(event_file) as f:
        event = json.load(f)
    t2 = time.perf_counter()
    try:
        answer = handler(event, Context())
        outcome = str(answer.get("statusCode", "ok")) if isinstance(answer, dict) else "ok"
    except Exception as error:
        outcome = type(error).__name__
    first_ms = (time.perf_counter() - t2) * 1000
roots = tuple(os.path.join(d, "") for d in (code_dir, *layer_dirs))
modules = list(sys.modules.values())
files = [(getattr(m, "__file__", None) or "", getattr(m, "__cached__", None)) for m in modules]
mine = [(f, c) for f, c in files if f.startswith(roots) and f.endswith(".py")]
sys.stdout = sys.__stdout__
print(json.dumps({
    "import_ms": (t1 - t0) * 1000,
    "first_ms": first_ms,
    "outcome": outcome,
    "callable": callable(handler),
    "modules": len(mine),
    "with_pyc": sum(1 for f, c in mine if c and os.path.exists(c)),
}), flush=True)
os._exit(0)
"""

FLOOR = "Floor"
# The framework's floor, laid out like a function: one validated route, Logger, Metrics, a Tracer patching
# botocore alone, and one DynamoDB client made at import.
FLOOR_APP = """
from __future__ import annotations

import os

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.logging import correlation_paths

logger = Logger()
metrics = Metrics()
tracer = Tracer(patch_modules=("botocore",))
dynamodb = boto3.client("dynamodb")
table = os.environ["TABLE_NAME"]
app = APIGatewayHttpResolver(enable_validation=True)


@app.get("/products/<product_id>")
def product(product_id: str) -> dict[str, object]:
    found = dynamodb.get_item(TableName=table, Key={"pk": {"S": f"PRODUCT#{product_id}"}, "sk": {"S": "A"}})
    return {"id": product_id, "found": "Item" in found}


@logger.inject_lambda_context(clear_state=True, correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, object], context: object) -> dict[str, object]:
    return app.resolve(event, context)
"""
FLOOR_EVENT = "browse-get-product.json"


@dataclass
class Function:
    logical_id: str
    code_dir: Path
    module: str
    attribute: str
    layer_dirs: list[Path]
    environment: dict[str, str]
    event: Path | None = None


@dataclass
class Series:
    import_ms: list[float] = field(default_factory=list)
    process_ms: list[float] = field(default_factory=list)
    first_ms: list[float] = field(default_factory=list)
    outcomes: set[str] = field(default_factory=set)
    modules: int = 0
    with_pyc: int = 0
    error: str | None = None


# the template


_SERVICE = {
    "AWS::DynamoDB::Table": "dynamodb",
    "AWS::SecretsManager::Secret": "secretsmanager",
    "AWS::SQS::Queue": "sqs",
    "AWS::SNS::Topic": "sns",
    "AWS::Events::EventBus": "events",
    "AWS::StepFunctions::StateMachine": "states",
    "AWS::Serverless::StateMachine": "states",
    "AWS::KMS::Key": "kms",
    "AWS::SSM::Parameter": "ssm",
    "AWS::S3::Bucket": "s3",
}


class Resolver:
    """Dummy but well-formed values for the intrinsics an environment variable may hold."""

    def __init__(self, template: dict[str, Any]) -> None:
        self.parameters: dict[str, Any] = template.get("Parameters") or {}
        self.resources: dict[str, Any] = template.get("Resources") or {}

    def _arn(self, logical_id: str) -> str:
        kind = (self.resources.get(logical_id) or {}).get("Type", "")
        service = _SERVICE.get(kind, "lambda")
        name = f"{STACK}-{logical_id}"
        if service == "secretsmanager":
            return f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{name}-AbCdEf"
        if service == "dynamodb":
            return f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}"
        if service == "states":
            return f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{name}"
        if service == "events":
            return f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/{name}"
        if service == "kms":
            return f"arn:aws:kms:{REGION}:{ACCOUNT}:key/00000000-0000-4000-8000-000000000000"
        return f"arn:aws:{service}:{REGION}:{ACCOUNT}:{name}"

    def ref(self, name: str) -> str:
        pseudo = {
            "AWS::Region": REGION,
            "AWS::AccountId": ACCOUNT,
            "AWS::StackName": STACK,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
        }
        if name in pseudo:
            return pseudo[name]
        if name in self.parameters:
            default = self.parameters[name].get("Default", "")
            return ",".join(map(str, default)) if isinstance(default, list) else str(default)
        kind = (self.resources.get(name) or {}).get("Type", "")
        if kind in ("AWS::SecretsManager::Secret", "AWS::SNS::Topic", "AWS::StepFunctions::StateMachine"):
            return self._arn(name)
        if kind == "AWS::SQS::Queue":
            return f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{STACK}-{name}"
        if kind == "AWS::KMS::Key":
            return "00000000-0000-4000-8000-000000000000"
        return f"{STACK}-{name}"

    def get_att(self, logical_id: str, attribute: str) -> str:
        if attribute == "Arn" or attribute.endswith(".Arn"):
            return self._arn(logical_id)
        if attribute == "QueueUrl":
            return self.ref(logical_id)
        return f"{STACK}-{logical_id}"

    def value(self, node: Any, variable: str) -> str:
        if isinstance(node, bool):
            return str(node).lower()
        if isinstance(node, str | int | float):
            return str(node)
        pairs: list[tuple[Any, Any]] = (
            list(node.items()) if isinstance(node, dict) and node else [(None, None)]
        )
        (key, arg), *rest = pairs
        resolved: str | None = None
        if not rest and key == "Ref":
            resolved = self.ref(str(arg))
        elif not rest and key == "Fn::GetAtt":
            parts = arg.split(".", 1) if isinstance(arg, str) else arg
            resolved = self.get_att(str(parts[0]), str(parts[1]))
        elif not rest and key == "Fn::Sub":
            text, extra = (arg, {}) if isinstance(arg, str) else arg
            resolved = self._sub(text, extra, variable)
        elif not rest and key == "Fn::Join":
            separator, items = arg
            resolved = str(separator).join(self.value(item, variable) for item in items)
        return resolved if resolved is not None else f"bench-{variable.lower().replace('_', '-')}"

    def _sub(self, text: str, extra: dict[str, Any], variable: str) -> str:
        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in extra:
                return self.value(extra[name], variable)
            if "." in name:
                logical_id, attribute = name.split(".", 1)
                return self.get_att(logical_id, attribute)
            return self.ref(name)

        return re.sub(r"\$\{(?!!)([A-Za-z0-9_:.]+)\}", one, text)


def first_samples() -> dict[str, Path]:
    """Each function's first sample event in events/index.json."""
    index: dict[str, dict[str, str]] = json.loads((EVENTS / "index.json").read_text(encoding="utf-8"))
    found: dict[str, Path] = {}
    for name, sample in index.items():
        found.setdefault(sample["function"], EVENTS / name)
    return found


def lambda_variables(logical_id: str, handler: str, memory: object) -> dict[str, str]:
    return {
        "AWS_LAMBDA_FUNCTION_NAME": f"{STACK}-{logical_id}",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(memory),
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{STACK}-{logical_id}",
        "AWS_LAMBDA_LOG_STREAM_NAME": "2000/01/01/[$LATEST]bench",
        "_HANDLER": handler,
    }


def functions_of(build: Path, only: set[str] | None) -> tuple[list[Function], Function]:
    """Python zip functions of the built template, with their handler, layers, environment and first sample
    event; and the floor, with the global layers and environment (its code dir is made by `prepare`)."""
    try:
        template = load_template(build / "template.yaml")
    except ValueError as error:
        raise SystemExit(str(error)) from None
    resources: dict[str, Any] = template["Resources"]
    defaults: dict[str, Any] = (template.get("Globals") or {}).get("Function") or {}
    resolver = Resolver(template)
    samples = first_samples()
    found = []
    for logical_id, resource in resources.items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        if only and logical_id not in only:
            continue
        props = resource.get("Properties") or {}
        runtime = str(props.get("Runtime", defaults.get("Runtime", "")))
        if not runtime.startswith("python") or props.get("PackageType", "Zip") != "Zip":
            continue
        handler = str(props.get("Handler", defaults.get("Handler", "app.lambda_handler")))
        module, _, attribute = handler.rpartition(".")
        layers = [*(defaults.get("Layers") or []), *(props.get("Layers") or [])]
        layer_dirs = layer_dirs_of(build, resources, logical_id, layers)
        variables = {
            **((defaults.get("Environment") or {}).get("Variables") or {}),
            **((props.get("Environment") or {}).get("Variables") or {}),
        }
        environment = {name: resolver.value(value, name) for name, value in variables.items()}
        memory = props.get("MemorySize", defaults.get("MemorySize", 128))
        environment.update(lambda_variables(logical_id, handler, memory))
        code_dir = build / str(props.get("CodeUri", logical_id))
        found.append(
            Function(
                logical_id, code_dir, module, attribute, layer_dirs, environment, samples.get(logical_id)
            )
        )
    variables = (defaults.get("Environment") or {}).get("Variables") or {}
    environment = {name: resolver.value(value, name) for name, value in variables.items()}
    environment.update(lambda_variables(FLOOR, "app.lambda_handler", defaults.get("MemorySize", 128)))
    layer_dirs = layer_dirs_of(build, resources, FLOOR, defaults.get("Layers") or [])
    floor = Function(
        FLOOR, build / FLOOR, "app", "lambda_handler", layer_dirs, environment, EVENTS / FLOOR_EVENT
    )
    return found, floor


def layer_dirs_of(build: Path, resources: dict[str, Any], logical_id: str, layers: list[Any]) -> list[Path]:
    layer_dirs = []
    for layer in layers:
        layer_id = layer.get("Ref") if isinstance(layer, dict) else None
        layer_props = (resources.get(layer_id) or {}).get("Properties") or {} if layer_id else {}
        content = layer_props.get("ContentUri")
        if not isinstance(content, str):
            print(f"warning: {logical_id}: layer {layer!r} is not built here; left out", file=sys.stderr)
            continue
        base = build / content / "python"
        layer_dirs += [base / "lib" / "python3.12" / "site-packages", base]
    return layer_dirs


# the machine


def find_python312(explicit: str | None) -> str:
    candidates: list[str | None] = [explicit]
    if not explicit:
        candidates += sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.12*/bin/python3.12")))
        candidates += [shutil.which("python3.12")]
    for candidate in filter(None, candidates):
        check = [candidate, "-c", "import sys; sys.exit(sys.version_info[:2] != (3, 12))"]
        if subprocess.run(check, capture_output=True, check=False).returncode == 0:
            return candidate
    raise SystemExit("no Python 3.12 (the Lambda runtime's version): pyenv install 3.12, or --python PATH")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith(("model name", "cpu model", "hardware")):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine(python: str) -> dict[str, str]:
    version = subprocess.run(
        [python, "-c", "import sys, platform; print(platform.python_version(), platform.machine())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()),
        "cpu": cpu_model(),
        "python": f"CPython {version[0]} ({version[1]}, {python})",
        "arch": version[1],
        "kernel": f"{platform.system()} {platform.release()}",
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


# the copies that run


def native_dists(site: Path) -> dict[str, list[str]]:
    """name==version -> the extension modules (paths relative to site) of each distribution that has some."""
    found: dict[str, list[str]] = {}
    for record in site.glob("*.dist-info/RECORD"):
        name, _, version = record.parent.name.removesuffix(".dist-info").partition("-")
        paths = [line.split(",", 1)[0] for line in record.read_text().splitlines()]
        native = [p for p in paths if p.endswith(".so") and not p.startswith("..")]
        if native:
            found[f"{name}=={version}"] = native
    return found


def host_extensions(python: str, dists: list[str], into: Path) -> Path:
    """The same versions of the distributions, built for this machine (pip, from the package index)."""
    command = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps"]
    command += ["--no-compile", "--only-binary=:all:", "--target", str(into), *dists]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"could not install this machine's builds of {', '.join(dists)}:\n{done.stderr}")
    return into


def copy_artifact(
    python: str, functions: list[Function], build: Path, into: Path, *, bytecode: bool
) -> list[Function]:
    """The functions' code and layer dirs copied under `into`; with bytecode=False, no __pycache__ or .pyc.
    The floor's code dir is written there, and compiled as `make build` compiles a function's."""
    ignore = None if bytecode else shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo")
    copied: dict[Path, Path] = {}

    def moved(path: Path) -> Path:
        top = build / path.relative_to(build).parts[0]
        if top not in copied:
            copied[top] = into / top.name
            shutil.copytree(top, copied[top], ignore=ignore, symlinks=True)
        return copied[top] / path.relative_to(top)

    result = []
    for f in functions:
        layers = [moved(d) for d in f.layer_dirs]
        if f.logical_id == FLOOR:
            code_dir = into / FLOOR
            code_dir.mkdir(parents=True)
            (code_dir / "app.py").write_text(FLOOR_APP, encoding="utf-8")
            if bytecode:
                compile_floor = [python, "-m", "compileall", "-q", "--invalidation-mode", "unchecked-hash"]
                subprocess.run([*compile_floor, str(code_dir)], check=True)
        else:
            code_dir = moved(f.code_dir)
        result.append(Function(f.logical_id, code_dir, f.module, f.attribute, layers, f.environment, f.event))
    if not bytecode:
        leftovers = [p for p in into.rglob("*") if p.name == "__pycache__" or p.suffix in (".pyc", ".pyo")]
        if leftovers:
            raise SystemExit(f"the copy without bytecode still has {leftovers[0]}")
    return result


def swap_extensions(site: Path, host: Path, dists: dict[str, list[str]]) -> None:
    """In a copy, swap the artifact's arm64 extension modules for this machine's builds of them."""
    host_dists = native_dists(host)
    for dist, paths in dists.items():
        for path in paths:
            (site / path).unlink(missing_ok=True)
        for path in host_dists.get(dist, []):
            (site / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(host / path, site / path)


def prepare(
    python: str, arch: str, functions: list[Function], build: Path, scratch: Path
) -> tuple[list[Function], list[Function], str]:
    """Read-only copies of the artifact, with and without bytecode, runnable on this machine."""
    built = copy_artifact(python, functions, build, scratch / "with", bytecode=True)
    bare = copy_artifact(python, functions, build, scratch / "without", bytecode=False)
    note = "none needed (this machine is arm64, like Lambda)"
    if arch not in ("aarch64", "arm64"):
        sites = {d for f in functions for d in f.layer_dirs if d.is_dir()}
        dists = {k: v for site in sites for k, v in native_dists(site).items()}
        if dists:
            host = host_extensions(python, sorted(dists), scratch / "host")
            for copy in (scratch / "with", scratch / "without"):
                for site in sites:
                    swap_extensions(copy / site.relative_to(build), host, native_dists(site))
            note = f"this machine is {arch}: the arm64 extension modules of {', '.join(sorted(dists))} "
            note += (
                f"are replaced by {arch} builds of the same versions; all Python code and bytecode as built"
            )
    for copy in (scratch / "with", scratch / "without"):
        set_writable(copy, writable=False)
    return built, bare, note


def set_writable(top: Path, *, writable: bool) -> None:
    bits = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    for path in [top, *top.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        path.chmod((mode | stat.S_IWUSR) if writable else (mode & ~bits))


# measuring


def run_once(
    python: str, function: Function | None, environment: dict[str, str]
) -> tuple[float, dict[str, Any]]:
    """Wall time of one fresh process in ms, and what the driver printed (empty for the baseline)."""
    if function is None:
        command = [python, "-I", "-B", "-c", "pass"]
    else:
        args = [str(function.event or ""), str(function.code_dir), function.module, function.attribute]
        command = [python, "-I", "-B", "-c", DRIVER, *args, *map(str, function.layer_dirs)]
    t0 = time.perf_counter()
    done = subprocess.run(
        command, env=environment, capture_output=True, text=True, check=False, cwd="/", timeout=120
    )
    wall = (time.perf_counter() - t0) * 1000
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip()[-3000:] or f"exit status {done.returncode}")
    return wall, (json.loads(done.stdout.strip().splitlines()[-1]) if function else {})


def base_environment(function: Function | None) -> dict[str, str]:
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": tempfile.gettempdir()}
    environment.update(LAMBDA_ENVIRONMENT)
    if function is not None:
        environment.update(function.environment)
        environment["LAMBDA_TASK_ROOT"] = str(function.code_dir)
    return environment


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def measure(
    python: str, built: list[Function], bare: list[Function] | None, runs: int
) -> tuple[Series, dict[str, Series]]:
    baseline = Series()
    series: dict[str, Series] = {}
    variants = []
    for with_bc, without_bc in zip(built, bare or [None] * len(built), strict=True):
        for label, function in (("with", with_bc), ("without", without_bc)):
            if function is not None:
                series[f"{function.logical_id}/{label}"] = Series()
                variants.append((f"{function.logical_id}/{label}", function))

    # one warm-up run each (discarded): fills the page cache, and finds a broken import before timing
    run_once(python, None, base_environment(None))
    for key, function in variants:
        try:
            _, info = run_once(python, function, base_environment(function))
            series[key].modules, series[key].with_pyc = info["modules"], info["with_pyc"]
            if not info["callable"]:
                series[key].error = f"{function.module}.{function.attribute} is not callable"
        except RuntimeError as error:
            series[key].error = str(error)

    for run in range(runs):
        wall, _ = run_once(python, None, base_environment(None))
        baseline.process_ms.append(wall)
        for key, function in variants:
            if series[key].error:
                continue
            try:
                wall, info = run_once(python, function, base_environment(function))
            except RuntimeError as error:
                series[key].error = f"run {run + 1}: {error}"
                continue
            series[key].process_ms.append(wall)
            series[key].import_ms.append(info["import_ms"])
            if info["first_ms"] is not None:
                series[key].first_ms.append(info["first_ms"])
                series[key].outcomes.add(info["outcome"])
        print(f"  run {run + 1}/{runs} done", file=sys.stderr)
    return baseline, series


# reporting


def cell(values: list[float]) -> str:
    if not values:
        return "n/a"
    return f"{statistics.median(values):,.0f} / {percentile(values, 0.9):,.0f}"


def ratio(without: list[float], with_: list[float]) -> str:
    if not without or not with_:
        return "n/a"
    return f"{statistics.median(without) / statistics.median(with_):.2f}x"


def report(
    info: dict[str, str], runs: int, baseline: Series, series: dict[str, Series], names: list[str]
) -> str:
    variants = ["with", "without"] if any(key.endswith("/without") for key in series) else ["with"]
    floor = {label: series[f"{FLOOR}/{label}"] for label in variants}
    lines = [
        f"Date: {info['date']}  ",
        f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['kernel']}; "
        f"load average {info['load']} at start, {info['load_end']} at end  ",
        f"Python: {info['python']}  ",
        f"Native extensions: {info['extensions']}  ",
        f"Runs: {runs} per variant, interleaved, after one discarded warm-up; cells are median / p90 in ms.",
        "",
        "Import and initialisation of the handler module (`import app`, timed inside the fresh process), its "
        "ratio to the floor's (medians), and the first request right after it (botocore answering `200 {}`):",
        "",
        "| function | "
        + " | ".join(f"{label} bytecode (ms) | to the floor" for label in variants)
        + " | first request (ms) | answered |",
        "| --- | " + " | ".join("---: | ---:" for _ in variants) + " | ---: | --- |",
    ]
    for name in [FLOOR, *names]:
        row = [
            name if name != FLOOR else "**floor** (one validated route, Logger, Metrics, Tracer, one client)"
        ]
        for label in variants:
            found = series[f"{name}/{label}"]
            row += [cell(found.import_ms), ratio(found.import_ms, floor[label].import_ms)]
        first = series[f"{name}/with"]
        row += [cell(first.first_ms), ", ".join(sorted(first.outcomes)) or "n/a"]
        lines.append("| " + " | ".join(row) + " |")
    lines += [
        "",
        "The whole fresh process, from spawn to handler ready (interpreter start included, teardown not; the "
        "first request is not in it):",
        "",
        "| process | " + " | ".join(f"{label} bytecode (ms) | to the floor" for label in variants) + " |",
        "| --- | " + " | ".join("---: | ---:" for _ in variants) + " |",
        f"| `python3.12 -c pass` (baseline) | {cell(baseline.process_ms)} |" + " |" * (2 * len(variants) - 1),
    ]
    for name in [FLOOR, *names]:
        row = [name]
        for label in variants:
            found = series[f"{name}/{label}"]
            row += [cell(found.process_ms), ratio(found.process_ms, floor[label].process_ms)]
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "Modules loaded from the artifact (with a .pyc found beside them):", ""]
    for name in [FLOOR, *names]:
        counts = [
            f"{label} bytecode {series[f'{name}/{label}'].modules} "
            f"({series[f'{name}/{label}'].with_pyc} with .pyc)"
            for label in variants
        ]
        lines.append(f"- {name}: " + "; ".join(counts))
    for key, value in series.items():
        if value.error:
            lines += ["", f"**{key} failed**:", "", "```", value.error, "```"]
    return "\n".join(lines)


def stale_warning(build: Path) -> str | None:
    built_at = (build / "template.yaml").stat().st_mtime
    newer = []
    for source in SOURCES:
        paths = [source] if source.is_file() else source.rglob("*")
        newer += [
            p for p in paths if p.is_file() and "__pycache__" not in p.parts and p.stat().st_mtime > built_at
        ]
    if not newer:
        return None
    return f"warning: {len(newer)} source file(s) changed since the build (e.g. {newer[0]}): make build"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per variant (default 20, min 10)")
    parser.add_argument("--python", help="the Python 3.12 to run (default: pyenv's 3.12, then python3.12)")
    parser.add_argument("--function", action="append", help="only this logical id (repeatable)")
    parser.add_argument("--build-dir", type=Path, default=BUILD, help="the artifact (.aws-sam/build)")
    parser.add_argument(
        "--bytecode-only", action="store_true", help="leave out the variant without bytecode (half the time)"
    )
    args = parser.parse_args()
    if args.runs < 10:
        parser.error("--runs must be at least 10 for a median and a p90 worth reading")

    build: Path = args.build_dir.resolve()
    if not (build / "template.yaml").is_file():
        print(f"no artifact at {build}: run `make build` first (`make bench` does)", file=sys.stderr)
        return 2
    warning = stale_warning(build)
    if warning:
        print(warning, file=sys.stderr)

    python = find_python312(args.python)
    functions, floor = functions_of(build, set(args.function) if args.function else None)
    if not functions:
        print(f"no python function in {build / 'template.yaml'}", file=sys.stderr)
        return 2
    info = machine(python)
    names = [f.logical_id for f in functions]
    print(f"measuring {', '.join(names)} with {python}, {args.runs} runs each...", file=sys.stderr)

    scratch = Path(tempfile.mkdtemp(prefix="coldstart-"))
    try:
        built, bare, info["extensions"] = prepare(python, info["arch"], [floor, *functions], build, scratch)
        baseline, series = measure(python, built, None if args.bytecode_only else bare, args.runs)
    finally:
        set_writable(scratch, writable=True)
        shutil.rmtree(scratch, ignore_errors=True)

    info["load_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(report(info, args.runs, baseline, series, names))
    return 1 if any(s.error for s in series.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
