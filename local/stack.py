"""The whole local stack in one object: OpenID issuer, moto server, deployed template, in-process functions,
HTTP API with the template's JWT authorizers."""

from __future__ import annotations

import importlib
import json
import logging
import os
import uuid
from pathlib import Path
from types import TracebackType

from aws_lambda_powertools.utilities import parameters

from local import aws, endpoints
from local.auth import DEFAULT_PORT as DEFAULT_ISSUER_PORT
from local.auth import LocalIssuer
from local.cloudformation import Deployment, deploy
from local.console import CLIENT_ID as CONSOLE_CLIENT_ID
from local.console import ConsoleServer, console_config
from local.event_capture import EventCapture
from local.http_api import Authorizer, HttpApi, HttpApiServer
from local.jwt_authorizer import JwtAuthorizer, template_client_id
from local.lambdas import LambdaRuntime, MotoInvokePatch, patch_moto_invoke
from local.moto_server import MotoServer
from local.queues import QueuePoller, queue_consumers
from local.samyaml import load_template
from local.storefront import StorefrontServer, storefront_config
from local.stripe import LocalStripeServer, StripeKeys

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
STRIPE_SECRET = "StripeSecret"  # noqa: S105 - the template's logical id, not a secret
STRIPE_WEBHOOK_PATH = "/webhooks/stripe"
_CLEARED = ("AWS_PROFILE", "AWS_SESSION_TOKEN")
# Outbound webhooks: local receivers listen on 127.0.0.1, which production refuses.
# The merchant's notices (a paused webhook, the daily report) land in .local/mail/ like every email.
LOCAL_PARAMETERS = {"WebhookAllowLoopback": "true", "MerchantNotificationEmail": "merchant@example.com"}


class LocalStack:
    """Start with `with LocalStack(...) as stack:`; close() stops everything and may be called twice."""

    def __init__(
        self,
        *,
        api_port: int = 3000,
        aws_port: int = 3001,
        issuer_port: int = DEFAULT_ISSUER_PORT,
        stripe_port: int = 3004,
        storefront_port: int | None = None,
        console_port: int | None = None,
        seed: bool = True,
        repo_root: Path = REPO_ROOT,
        stack_name: str = "commerce-local",
        endpoints_file: Path | None = None,
        authorizer: Authorizer | None = None,
        parameters: dict[str, str] | None = None,
    ) -> None:
        self.repo_root = repo_root
        self.endpoints_file = endpoints_file or repo_root / ".local" / "endpoints.json"
        self.channel_keys_file = self.endpoints_file.parent / "channel-keys.json"  # demo marketplace key
        self._api_port, self._aws_port, self._seed, self._stack_name = api_port, aws_port, seed, stack_name
        self._issuer_port = issuer_port
        self._authorizer = authorizer
        self.issuer: LocalIssuer | None = None
        self.issuer_url = ""
        self._stripe_port = stripe_port
        self._parameters = {**LOCAL_PARAMETERS, **(parameters or {})}
        self.events: EventCapture | None = None
        self._stripe: LocalStripeServer | None = None
        self.stripe_keys = StripeKeys.generate()
        self.stripe_url = ""
        self._storefront_port = storefront_port  # None: no storefront (web/storefront/dist/) served
        self.storefront: StorefrontServer | None = None
        self.storefront_url = ""
        self._console_port = console_port  # None: no console (web/console/dist/) served
        self.console: ConsoleServer | None = None
        self.console_url = ""
        self._moto: MotoServer | None = None
        self._previous_env: dict[str, str | None] = {}
        self._patch: MotoInvokePatch | None = None
        self._http: HttpApiServer | None = None
        self._published: dict[str, str] = {}
        self.aws_url = ""
        self.api_url = ""
        self.deployment: Deployment | None = None
        self.runtime: LambdaRuntime | None = None
        self.queues: QueuePoller | None = None
        self.mail_dir = self.endpoints_file.parent / "mail"  # every email sent, one file each

    @classmethod
    def quiet_on_free_ports(cls, name: str) -> LocalStack:
        """A stack on any free ports that logs warnings only, for a benchmark run beside a developer's stack:
        its endpoints in a file of its own, `.local/<name>-<random>.json`."""
        endpoints = REPO_ROOT / ".local" / f"{name}-{uuid.uuid4().hex[:8]}.json"
        return cls(
            api_port=0,
            aws_port=0,
            stripe_port=0,
            issuer_port=0,
            endpoints_file=endpoints,
            parameters={"LogLevel": "WARNING"},
        )

    def start(self) -> LocalStack:
        if self._http is not None:  # started already (`stack.start()` then `with stack:`)
            return self
        try:
            sam = load_template(self.repo_root / "template.yaml")
            self.issuer = LocalIssuer(port=self._issuer_port, client_id=template_client_id(sam)).start()
            self.issuer_url = self.issuer.url
            # The web apps are bound first: the API's CORS admits their origins from the deployment on.
            if self._storefront_port is not None:
                self.storefront = StorefrontServer(self._storefront_port)
                self.issuer.allow_storefront(self.storefront.url)  # its sign-in callback and sign-out
            if self._console_port is not None:
                self.console = ConsoleServer(self._console_port)
                self.issuer.allow_console(CONSOLE_CLIENT_ID, self.console.index_url)
            web_origins = [app.url for app in (self.storefront, self.console) if app is not None]
            if web_origins:
                self._parameters.setdefault("CorsAllowedOrigins", ",".join(web_origins))
            authorizer = self._authorizer or JwtAuthorizer.from_template(
                sam,
                issuer_url=self.issuer_url,
                parameters=self._parameters,
            )
            self._start_moto()
            stripe_server = LocalStripeServer(HOST, self._stripe_port)
            self._stripe = stripe_server.start()
            self.stripe_url = stripe_server.url
            self.deployment = deploy(
                self.repo_root / "template.yaml",
                stack_name=self._stack_name,
                parameters={"StripeApiBase": self.stripe_url, **self._parameters},
            )
            self._put_stripe_keys(self.deployment)
            self.runtime = LambdaRuntime(self.deployment.functions, self.repo_root)
            self._patch = patch_moto_invoke(self.runtime)
            # Lambda's SQS poller (partial batch responses, redrive, delayed messages); see local/queues.py.
            self.queues = QueuePoller(
                self.runtime, queue_consumers(sam), self.deployment.physical_ids
            ).start()
            # A copy of every event the bus receives, for the event catalog check (docs/events.md).
            self.events = EventCapture(self.deployment.outputs["EventBusName"])
            if self._seed:
                self._seed_demo_data()
            app = HttpApi(
                self.runtime, self.repo_root, cors_config=self.deployment.cors, authorizer=authorizer
            )
            self._http = HttpApiServer(app, host=HOST, port=self._api_port).start()
            self.api_url = self._http.url
            stripe_server.register_webhook(
                self.api_url + STRIPE_WEBHOOK_PATH, self.stripe_keys.webhook_secret
            )
            self._published = {
                "api": self.api_url,
                "aws": self.aws_url,
                "stripe": self.stripe_url,
                "issuer": self.issuer_url,
            }
            if self.storefront is not None:
                self.storefront_url = self._serve_storefront(self.storefront, template_client_id(sam))
                self._published["storefront"] = self.storefront_url
            if self.console is not None:
                self.console_url = self._serve_console(self.console)
                self._published["console"] = self.console_url
            endpoints.publish(self.endpoints_file, self._published)
        except BaseException:
            self.close()
            raise
        logger.info(
            "local stack started",
            extra={
                "api": self.api_url,
                "aws": self.aws_url,
                "stripe": self.stripe_url,
                "issuer": self.issuer_url,
            },
        )
        return self

    def _serve_storefront(self, server: StorefrontServer, client_id: str) -> str:
        def config() -> dict[str, object]:
            return storefront_config(
                api_url=self.api_url,
                issuer_url=self.issuer_url,
                stripe_url=self.stripe_url,
                client_id=client_id,
                publishable_key=server.publishable_key,
            )

        return server.start(config).url

    def _serve_console(self, server: ConsoleServer) -> str:
        def config() -> dict[str, object]:
            return console_config(
                api_url=self.api_url,
                issuer_url=self.issuer_url,
                client_id=CONSOLE_CLIENT_ID,
                index_url=server.index_url,
            )

        server.start(config)
        return server.index_url

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
                "MAIL_DIRECTORY": str(self.mail_dir),
            }
        )

    def _put_stripe_keys(self, deployment: Deployment) -> None:
        """Before any function starts: they read the keys at their first Stripe call or webhook."""
        arn = deployment.physical_ids[STRIPE_SECRET]
        aws.client("secretsmanager").put_secret_value(
            SecretId=arn, SecretString=json.dumps(self.stripe_keys.as_secret())
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
        counts = seed.seed_demo_data(channel_keys_file=self.channel_keys_file)
        logger.info("demo data seeded", extra={"counts": counts})

    def _stop_web_apps(self) -> None:
        for web_app in (self.storefront, self.console):
            if web_app is not None:
                web_app.stop()
        self.storefront = self.console = None

    def close(self) -> None:
        """Stop the HTTP API, unpatch moto, stop the moto server and the issuer, restore the environment."""
        if self._published:
            endpoints.withdraw(self.endpoints_file, self._published)
            self._published = {}
        self._stop_web_apps()
        if self._http is not None:
            self._http.stop()
            self._http = None
        if self.queues is not None:
            self.queues.stop()
            self.queues = None
        if self._patch is not None:
            self._patch.undo()
            self._patch = None
        if self.runtime is not None:
            self.runtime.close()
            self.runtime = None
        if self._stripe is not None:
            self._stripe.stop()
            self._stripe = None
        if self._moto is not None:
            self._moto.stop()
            self._moto = None
        if self.issuer is not None:
            self.issuer.stop()
            self.issuer = None
        for name, value in self._previous_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._previous_env = {}
        # Powertools keeps one Secrets Manager client per process, bound to this stack's moto: the next
        # stack in the process (the e2e session stack after a module's own) must get a client of its own.
        parameters.clear_caches()

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
