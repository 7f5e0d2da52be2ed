"""`make daily-report [DAY=2026-11-26]`: runs the daily report job on the running local stack (`make dev`),
as its schedule would, and copies the report it wrote to S3 into .local/reports/<day>/ to open in a browser.

(The local job runner that reads schedules from the template, `make run-job JOB=daily-report`, is another
branch's work; this target does the same for this one job until they meet.)"""

from __future__ import annotations

import argparse
import json
import sys

from local.tools import ENDPOINTS_FILE, REPO, local_client

ENDPOINTS = ENDPOINTS_FILE
STACK = "commerce-local"
FUNCTION = "DailyReportFunction"
BUCKET = "ReportsBucket"


def _physical_ids(aws_url: str) -> dict[str, str]:
    pages = (
        local_client("cloudformation", aws_url)
        .get_paginator("list_stack_resources")
        .paginate(StackName=STACK)
    )
    return {
        r["LogicalResourceId"]: r.get("PhysicalResourceId", "")
        for p in pages
        for r in p["StackResourceSummaries"]
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--day", help="the day to report (YYYY-MM-DD); yesterday (UTC) by default")
    args = parser.parse_args(argv)
    try:
        aws_url = json.loads(ENDPOINTS.read_text(encoding="utf-8"))["aws"]
    except (FileNotFoundError, KeyError, json.JSONDecodeError):
        print("no local stack is running: start it with `make dev`", file=sys.stderr)
        return 1
    ids = _physical_ids(aws_url)
    payload = json.dumps({"day": args.day} if args.day else {}).encode()
    answer = local_client("lambda", aws_url).invoke(FunctionName=ids[FUNCTION], Payload=payload)
    result = json.loads(answer["Payload"].read())
    if answer.get("FunctionError"):
        print(f"the job failed: {result}", file=sys.stderr)
        return 1
    s3 = local_client("s3", aws_url)
    target = REPO / ".local" / "reports" / result["day"]
    target.mkdir(parents=True, exist_ok=True)
    prefix = f"reports/daily/{result['day']}/"
    for item in s3.list_objects_v2(Bucket=ids[BUCKET], Prefix=prefix).get("Contents", []):
        name = item["Key"].removeprefix(prefix)
        (target / name).write_bytes(s3.get_object(Bucket=ids[BUCKET], Key=item["Key"])["Body"].read())
    print(f"written to {result['html']}; a copy to open in a browser: {(target / 'report.html').as_uri()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
