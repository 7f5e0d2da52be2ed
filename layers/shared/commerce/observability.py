"""One Logger, Tracer and Metrics per function, configured by the Powertools environment variables."""

from __future__ import annotations

import gc

from aws_lambda_powertools import Logger, Metrics, Tracer

import commerce

logger = Logger()
# The AWS calls alone become subsegments: patching every library X-Ray knows (the default) imports and wraps
# requests, sqlite3 and the rest at every cold start. Calls to Stripe, a carrier or a webhook target show in
# the trace as time inside the handler's segment.
tracer = Tracer(patch_modules=("botocore",))
metrics = Metrics()


def follow_order(order_id: str) -> None:
    """From here on, this invocation's log lines carry the order's id as their correlation id, the id
    its workflow execution is named after and its events carry (docs/operations.md, "Following one order")."""
    logger.set_correlation_id(order_id)
    logger.append_keys(order_id=order_id)
    tracer.put_annotation(key="order_id", value=order_id)  # X-Ray: `annotation.order_id = "<id>"`


def ready() -> None:
    """The end of a function's init, once its handler is made: the collector that `commerce` paused on Lambda
    resumes, with what init made frozen out of its passes."""
    if commerce.PAUSED_COLLECTOR and not gc.isenabled():
        gc.freeze()
        gc.enable()
