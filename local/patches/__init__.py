"""Every place the local stack reaches into moto's or Powertools' private internals, in one package.

Each module names the internals it relies on; they are written for the versions in WRITTEN_FOR, and
tests/unit/test_local_patches.py fails when requirements-lock.txt or the installed packages pin others.
"""

from __future__ import annotations

# The versions these patches were read against; bump one only after re-checking what RELIES_ON lists.
WRITTEN_FOR = {"moto": "5.2.5", "aws-lambda-powertools": "3.37.0"}

# The private behaviour each package's patches assume, to re-check against a new release.
RELIES_ON = {
    "moto": (
        "moto_dynamodb: DynamoDBBackend.put_item/update_item/delete_item/transact_write_items, "
        "DynamoHandler.call_action (every request, read or write, goes through it), "
        "Table.items, Table.stream_shard.items, Table.query(index_name=...) calling Table.all_items, "
        "and transact_write_items deep-copying each Table to roll back",
        "moto_lambda: LambdaBackend.invoke, LambdaSimpleBackend.invoke and LambdaFunction.invoke "
        "(their signatures, and that Step Functions, SQS mappings and streams call them)",
        "moto_cloudformation: moto.cloudformation.parsing.get_model_map and NULL_MODELS; KMS KeyPolicy "
        "parsed as a JSON string",
        "moto_server: ThreadedMotoServer._server, the listening socket stop() leaves open",
    ),
    "aws-lambda-powertools": (
        "powertools: ApiGatewayResolver.current_event and lambda_context as class attributes set by "
        "resolve(), and ApiGatewayResolver._to_proxy_event",
    ),
}
