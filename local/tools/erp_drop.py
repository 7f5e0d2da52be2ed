"""python -m local.tools.erp_drop FILE.csv: drop an ERP stock file in the running local stack's bucket
(ERP stock in, docs/erp-stock.md) and print the import's report once the function has written it.

The file goes under erp/stock/ in the template's ErpDropBucket, as an ERP would put it; the bucket's S3
notification sends the event to ErpImportQueue and the local queue poller runs the real handler."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import boto3

from local.aws import DUMMY_CREDENTIALS, REGION
from local.tools.id_token import DEFAULT_ENDPOINTS, NOT_RUNNING

STACK_NAME = "commerce-local"  # LocalStack's default stack name (local/stack.py)
WAIT_SECONDS = 30.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="a CSV with the header sku,location_id,on_hand")
    parser.add_argument("--endpoints", type=Path, default=DEFAULT_ENDPOINTS)
    args = parser.parse_args(argv)
    try:
        aws_url = json.loads(args.endpoints.read_text(encoding="utf-8"))["aws"]
    except (FileNotFoundError, KeyError, json.JSONDecodeError):
        print(NOT_RUNNING.format(why=f"no AWS endpoint in {args.endpoints}"), file=sys.stderr)
        return 1
    session = boto3.Session(
        aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        region_name=REGION,
    )
    bucket = session.client("cloudformation", endpoint_url=aws_url).describe_stack_resource(
        StackName=STACK_NAME, LogicalResourceId="ErpDropBucket"
    )["StackResourceDetail"]["PhysicalResourceId"]
    s3 = session.client("s3", endpoint_url=aws_url)
    stem = args.file.name.removesuffix(".csv")
    report_key = f"erp/reports/{stem}.json"
    started = time.time() - 1  # S3 times are whole seconds
    s3.put_object(Bucket=bucket, Key=f"erp/stock/{stem}.csv", Body=args.file.read_bytes())
    print(f"dropped s3://{bucket}/erp/stock/{stem}.csv", file=sys.stderr)
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        try:
            found = s3.get_object(Bucket=bucket, Key=report_key)
        except s3.exceptions.NoSuchKey:
            time.sleep(0.2)
            continue
        # A file dropped again under the same name: wait for the report of this drop, not the last one.
        if found["LastModified"].timestamp() >= started:
            print(found["Body"].read().decode())
            return 0
        time.sleep(0.2)
    print(f"no report at s3://{bucket}/{report_key} after {WAIT_SECONDS:.0f} s", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
