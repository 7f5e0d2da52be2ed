"""The one-command local stack: started in-process, and as `python -m local` in a subprocess."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
import requests

from local.stack import LocalStack

from .conftest import local_stack

REPO = Path(__file__).resolve().parents[2]
OPENAPI = REPO / "docs" / "openapi.json"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    with local_stack(tmp_path_factory, seed=False) as running:
        yield running


def test_health_answers_ok(stack: LocalStack) -> None:
    response = requests.get(f"{stack.api_url}/health", timeout=10)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_an_unknown_path_is_a_404_problem(stack: LocalStack) -> None:
    response = requests.get(f"{stack.api_url}/no/such/thing", timeout=10)

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_post_to_the_product_list_is_a_405(stack: LocalStack) -> None:
    response = requests.post(f"{stack.api_url}/products", json={}, timeout=10)

    assert response.status_code == 405
    assert "GET" in response.headers["allow"]
    assert response.json()["title"] == "Method Not Allowed"


def test_endpoints_file_names_the_api_and_aws_urls(stack: LocalStack) -> None:
    endpoints = json.loads(stack.endpoints_file.read_text(encoding="utf-8"))

    assert endpoints["api"] == stack.api_url
    assert endpoints["aws"] == stack.aws_url
    assert endpoints["issuer"] == stack.issuer_url
    assert stack.api_url.startswith("http://127.0.0.1:")


def test_by_default_endpoints_go_to_the_repo_local_directory() -> None:
    assert LocalStack().endpoints_file == REPO / ".local" / "endpoints.json"


def test_the_openapi_document_is_served_as_committed(stack: LocalStack) -> None:
    response = requests.get(f"{stack.api_url}/openapi.json", timeout=10)

    if OPENAPI.is_file():
        assert response.status_code == 200
        assert response.json() == json.loads(OPENAPI.read_text(encoding="utf-8"))
    else:
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"


def test_the_docs_page_loads_swagger_ui_from_node_modules(stack: LocalStack) -> None:
    page = requests.get(f"{stack.api_url}/docs", timeout=10)
    bundle = requests.get(f"{stack.api_url}/docs/assets/swagger-ui-bundle.js", timeout=10)
    escape = requests.get(f"{stack.api_url}/docs/assets/../../package.json", timeout=10)

    assert page.status_code == 200
    assert "/docs/assets/swagger-ui-bundle.js" in page.text
    assert '"/openapi.json"' in page.text
    assert bundle.status_code == 200
    assert escape.status_code == 404


def test_the_template_tables_are_reachable_at_the_aws_url(stack: LocalStack) -> None:
    assert stack.deployment is not None
    dynamodb = boto3.client(
        "dynamodb",
        endpoint_url=stack.aws_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )

    table = dynamodb.describe_table(TableName=stack.deployment.physical_ids["MainTable"])["Table"]

    indexes = {index["IndexName"] for index in table["GlobalSecondaryIndexes"]}
    assert indexes == {"GSI1", "GSI2", "GSI3", "GSI4"}


def _wait_for_health(endpoints_file: Path, process: subprocess.Popen[str], seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            api = json.loads(endpoints_file.read_text(encoding="utf-8"))["api"]
            if requests.get(f"{api}/health", timeout=2).status_code == 200:
                return str(api)
        except (FileNotFoundError, KeyError, json.JSONDecodeError, requests.ConnectionError):
            pass
        time.sleep(0.1)
    raise AssertionError(f"the stack did not become healthy within {seconds}s (exit code {process.poll()})")


def python_m_local(aws_port: str = "0") -> list[str]:
    """`python -m local` without demo data, every port free but the AWS one when given."""
    ports = {
        "api": "0",
        "aws": aws_port,
        "issuer": "0",
        "stripe": "0",
        "webhook": "0",
        "storefront": "0",
        "console": "0",
    }
    options = [word for name, port in ports.items() for word in (f"--{name}-port", port)]
    return [sys.executable, "-m", "local", *options, "--no-seed"]


def local_environment() -> dict[str, str]:
    return os.environ | {"PYTHONPATH": os.pathsep.join([str(REPO / "layers" / "shared"), str(REPO)])}


def test_python_m_local_serves_until_interrupted_then_exits_cleanly(tmp_path: Path) -> None:
    endpoints_file = tmp_path / "endpoints.json"
    process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [*python_m_local(), "--endpoints-file", str(endpoints_file)],
        cwd=REPO,
        env=local_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        api = _wait_for_health(endpoints_file, process, seconds=60)
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()

    assert process.returncode == 0, output
    assert api in output
    assert "Issuer   http://127.0.0.1:" in output
    assert not endpoints_file.exists()


def test_a_taken_port_fails_fast_with_a_clear_message(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = subprocess.run(  # noqa: S603 - our own module, fixed arguments
            python_m_local(aws_port=port),
            cwd=REPO,
            env=local_environment() | {"LOCAL_LOG_LEVEL": "WARNING"},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
