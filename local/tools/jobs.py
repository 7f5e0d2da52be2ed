"""Run a scheduled job on demand: `make run-job JOB=restock` (or `python -m local.tools.jobs restock`).

moto's CloudFormation does not build `AWS::Scheduler::Schedule`, so the local stack has no schedules.
The schedule's own definition is read from template.yaml instead: each function's `ScheduleV2` events
give the target function and the input the scheduler would send. The job is invoked through the running
stack's Lambda endpoint (moto, whose invoke runs the real handler in the stack's process)."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from local import aws
from local.samyaml import load_template
from local.specs import FUNCTION_TYPE, parameter_values, resolve_parameters
from local.tools import ENDPOINTS_FILE, REPO

STACK_NAME = "commerce-local"


@dataclass(frozen=True)
class Schedule:
    job: str  # the function's logical id without "Function", in kebab case: restock, reservation-sweeper
    function: str  # logical id
    expression: str
    input: dict[str, Any]


def job_name(logical_id: str) -> str:
    base = logical_id.removesuffix("Function")
    return re.sub(r"(?<!^)(?=[A-Z])", "-", base).lower()


def schedules(template: Path = REPO / "template.yaml") -> dict[str, Schedule]:
    """Every ScheduleV2 event in the template, by job name."""
    sam = load_template(template)
    parameters = parameter_values(sam, None)
    found: dict[str, Schedule] = {}
    for logical_id, resource in sam["Resources"].items():
        if resource.get("Type") != FUNCTION_TYPE:
            continue
        for event in (resource.get("Properties", {}).get("Events") or {}).values():
            if event.get("Type") != "ScheduleV2":
                continue
            props = resolve_parameters(event.get("Properties") or {}, parameters)
            raw_input = props.get("Input")
            found[job_name(logical_id)] = Schedule(
                job=job_name(logical_id),
                function=logical_id,
                expression=str(props.get("ScheduleExpression", "")),
                input=json.loads(raw_input) if raw_input else {},
            )
    return found


def run(
    job: str,
    invoke: Callable[[str, dict[str, Any]], Any],
    template: Path = REPO / "template.yaml",
    extra: dict[str, Any] | None = None,
) -> Any:
    """Invokes the job's target function with the schedule's input (plus `extra`, such as the abandoned-cart
    job's `after_minutes`); what it returned."""
    known = schedules(template)
    if job not in known:
        raise KeyError(f"no scheduled job {job!r}; the template schedules: {', '.join(sorted(known))}")
    schedule = known[job]
    return invoke(schedule.function, {**schedule.input, **(extra or {})})


def invoke_running_stack(
    logical_id: str, payload: dict[str, Any], endpoints_file: Path = ENDPOINTS_FILE
) -> Any:
    """Invokes a function of the running local stack (found through its endpoints file)."""
    endpoints = json.loads(endpoints_file.read_text(encoding="utf-8"))
    previous = os.environ.get("AWS_ENDPOINT_URL")
    os.environ["AWS_ENDPOINT_URL"] = endpoints["aws"]
    try:
        return _invoke(logical_id, payload)
    finally:
        if previous is None:
            os.environ.pop("AWS_ENDPOINT_URL", None)
        else:
            os.environ["AWS_ENDPOINT_URL"] = previous


def _invoke(logical_id: str, payload: dict[str, Any]) -> Any:
    with aws.offline_defaults():
        resource = aws.client("cloudformation").describe_stack_resource(
            StackName=STACK_NAME, LogicalResourceId=logical_id
        )
        name = resource["StackResourceDetail"]["PhysicalResourceId"]
        response = aws.client("lambda").invoke(FunctionName=name, Payload=json.dumps(payload).encode())
    body = response["Payload"].read()
    if response.get("FunctionError"):
        raise RuntimeError(f"{logical_id} failed: {body.decode()}")
    return json.loads(body) if body else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.tools.jobs", description=__doc__)
    parser.add_argument("job", help="restock, reservation-sweeper, ...")
    parser.add_argument(
        "--input", default="{}", help="JSON merged into the schedule's input: '{\"after_minutes\": 0}'"
    )
    args = parser.parse_args(argv)
    try:
        result = run(args.job, invoke_running_stack, extra=json.loads(args.input))
    except FileNotFoundError:
        print("The local stack is not running: start it with `make dev`.", file=sys.stderr)
        return 1
    except (KeyError, RuntimeError) as error:
        print(error.args[0], file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
