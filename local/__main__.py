"""python -m local: start the local stack, print its URLs, run until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from local import logs
from local.stack import REPO_ROOT, LocalStack
from local.webhook_receiver import WebhookReceiver

WEBHOOK_DIR = REPO_ROOT / ".local" / "webhooks"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m local", description=__doc__)
    parser.add_argument("--api-port", type=int, default=int(os.environ.get("LOCAL_API_PORT", "3000")))
    parser.add_argument("--aws-port", type=int, default=int(os.environ.get("LOCAL_AWS_PORT", "3001")))
    parser.add_argument(
        "--issuer-port",
        type=int,
        default=int(os.environ.get("LOCAL_ISSUER_PORT", "3002")),
        help="the local OpenID issuer's port (0: any free port)",
    )
    parser.add_argument(
        "--stripe-port",
        type=int,
        default=int(os.environ.get("LOCAL_STRIPE_PORT", "3004")),
        help="localstripe's port (0: any free port)",
    )
    parser.add_argument(
        "--webhook-port",
        type=int,
        default=int(os.environ.get("LOCAL_WEBHOOK_PORT", "3005")),
        help="the webhook receiver's port, recording deliveries under .local/webhooks/ (0: any free port)",
    )
    parser.add_argument(
        "--storefront-port",
        type=int,
        default=int(os.environ.get("LOCAL_STOREFRONT_PORT", "3006")),
        help="the storefront's port, serving web/storefront/dist/ (0: any free port)",
    )
    parser.add_argument(
        "--console-port",
        type=int,
        default=int(os.environ.get("LOCAL_CONSOLE_PORT", "3007")),
        help="the back-office console's port, serving web/console/dist/ (0: any free port)",
    )
    parser.add_argument("--no-seed", dest="seed", action="store_false", help="start without the demo catalog")
    parser.add_argument("--endpoints-file", type=Path, default=None, help="default: .local/endpoints.json")
    parser.add_argument("--log-level", default=os.environ.get("LOCAL_LOG_LEVEL", "INFO"))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the stack in the foreground; 0 after a clean stop."""
    args = _arguments(argv)
    logs.configure(args.log_level)
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    # outbound webhooks: a receiver recording every delivery; seed.py subscribes it.
    try:
        receiver = WebhookReceiver(directory=WEBHOOK_DIR, port=args.webhook_port).start()
    except OSError as error:
        print(f"The webhook receiver could not start on port {args.webhook_port}: {error}", file=sys.stderr)
        return 1
    os.environ["LOCAL_WEBHOOK_RECEIVER_URL"] = receiver.url
    os.environ["LOCAL_WEBHOOK_DIR"] = str(WEBHOOK_DIR)
    stack = LocalStack(
        api_port=args.api_port,
        aws_port=args.aws_port,
        issuer_port=args.issuer_port,
        stripe_port=args.stripe_port,
        storefront_port=args.storefront_port,
        console_port=args.console_port,
        seed=args.seed,
        endpoints_file=args.endpoints_file,
    )
    try:
        stack.start()
    except OSError as error:  # typically a port already in use, or a web app not built yet
        print(f"The local stack could not start: {error}", file=sys.stderr)
        receiver.stop()
        return 1
    with stack:
        print(f"Local commerce stack\n  Shop     {stack.storefront_url} (the storefront)")
        print(f"  Console  {stack.console_url} (the back office: sign in as staff or admin)")
        print(f"  API      {stack.api_url}\n  API docs {stack.api_url}/docs")
        print(f"  AWS      {stack.aws_url} (moto)\n  Stripe   {stack.stripe_url} (localstripe)")
        print(f"  Issuer   {stack.issuer_url} (sign in: make token ROLE=customer|staff|admin)")
        print(f"  Webhooks {receiver.url} (deliveries recorded under {WEBHOOK_DIR})")
        if stack.channel_keys_file.exists():
            print(f"  Channel  API keys in {stack.channel_keys_file} (marketplace:demo-market, X-Api-Key)")
            for channel, key in json.loads(stack.channel_keys_file.read_text(encoding="utf-8")).items():
                print(f"           {channel}: {key}")
        print("Ctrl-C to stop.", flush=True)
        while not stop.wait(timeout=1.0):
            pass
    receiver.stop()
    print("Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
