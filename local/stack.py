"""The whole local stack in one object: moto server, deployed template, in-process functions, HTTP API."""

from __future__ import annotations

import importlib
import logging
import os
from pathlib import Path
from types import TracebackType

from local import endpoints
from local.cloudformation import Deployment, deploy
from local.http_api import Authorizer, HttpApi, HttpApiServer
from local.lambdas import LambdaRuntime, MotoInvokePatch, patch_moto_invoke
from local.moto_server import MotoServer

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
_CLEARED = ("AWS_PROFILE", "AWS_SESSION_TOKEN")


class LocalStack:
    """Start with `with LocalStack(...) as stack:`; close() stops everything and may be called twice."""

    def __init__(
        self,
        *,
        api_port: int = 3000,
        aws_port: int = 3001,
        seed: bool = True,
        repo_root: Path = REPO_ROOT,
        stack_name: str = "commerce-local",
        endpoints_file: Path | None = None,
        authorizer: Authorizer | None = None,
    ) -> None:
        self.repo_root = repo_root
        self.endpoints_file = endpoints_file or repo_root / ".local" / "endpoints.json"
        self._api_port, self._aws_port, self._seed, self._stack_name = api_port, aws_port, seed, stack_name
        self._authorizer = authorizer
        self._moto: MotoServer | None = None
        self._previous_env: dict[str, str | None] = {}
        self._patch: MotoInvokePatch | None = None
        self._http: HttpApiServer | None = None
        self._published: dict[str, str] = {}
        self.aws_url = ""
        self.api_url = ""
        self.deployment: Deployment | None = None
        self.runtime: LambdaRuntime | None = None

    def start(self) -> LocalStack:
        try:
            self._start_moto()
            self.deployment = deploy(
                self.repo_root / "template.yaml", stack_name=self._stack_name, parameters=None
            )
            self.runtime = LambdaRuntime(self.deployment.functions, self.repo_root)
            self._patch = patch_moto_invoke(self.runtime)
            if self._seed:
                self._seed_demo_data()
            app = HttpApi(
                self.runtime, self.repo_root, cors_config=self.deployment.cors, authorizer=self._authorizer
            )
            self._http = HttpApiServer(app, host=HOST, port=self._api_port).start()
            self.api_url = self._http.url
            self._published = {"api": self.api_url, "aws": self.aws_url}
            endpoints.publish(self.endpoints_file, self._published)
        except BaseException:
            self.close()
            raise
        logger.info("local stack started", extra={"api": self.api_url, "aws": self.aws_url})
        return self

    def _start_moto(self) -> None:
        self._moto = MotoServer(HOST, self._aws_port)
        self.aws_url = self._moto.url
        self._set_env(
            {
                "MOTO_PORT": str(self._moto.port),
                "AWS_ENDPOINT_URL": self.aws_url,
                "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_REGION": "us-east-1",
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "POWERTOOLS_TRACE_DISABLED": "true",
            }
        )

    def _set_env(self, variables: dict[str, str]) -> None:
        for name in (*variables, *_CLEARED):
            self._previous_env.setdefault(name, os.environ.get(name))
        for name in _CLEARED:
            os.environ.pop(name, None)
        os.environ.update(variables)

    def _seed_demo_data(self) -> None:
        # Imported here: it builds its adapters from the environment the stack has just put in place.
        seed = importlib.import_module("local.seed")
        counts = seed.seed_demo_data()
        logger.info("demo data seeded", extra={"counts": counts})

    def close(self) -> None:
        """Stop the HTTP API, unpatch moto, stop the moto server and restore the environment."""
        if self._published:
            endpoints.withdraw(self.endpoints_file, self._published)
            self._published = {}
        if self._http is not None:
            self._http.stop()
            self._http = None
        if self._patch is not None:
            self._patch.undo()
            self._patch = None
        if self.runtime is not None:
            self.runtime.close()
            self.runtime = None
        if self._moto is not None:
            self._moto.stop()
            self._moto = None
        for name, value in self._previous_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._previous_env = {}

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
