"""The repeated resource shapes of the template, each written once: a function with its log group and its
alarm, a log group, a dead-letter queue's alarm, a business metric's alarm, checkov's skips. Each returns the
lines of the resources it stands for, at the indentation of template.yaml's Resources."""

from __future__ import annotations

import re

import yaml

from infra.blocks import Block, comment_of, shift, split

Reasons = dict[str, dict[str, str]]  # check id -> reason name -> why the check does not apply
Library = dict[str, list[str]]  # statement name -> its lines without the Sid, at indentation 0

_FUNCTION_KEYS = {"Statements", "Routes", "Events", "Checkov"}
_ROUTE = re.compile(r"^(?P<name>\w+):\s+(?P<method>[A-Z]+)\s+(?P<path>\S+)(?P<public>\s+public)?\s*$")


def log_group(name: str) -> list[str]:
    return [
        f"  {name}:",
        "    Type: AWS::Logs::LogGroup",
        "    Properties:",
        "      RetentionInDays: !Ref LogRetentionDays",
        "      KmsKeyId: !GetAtt DataKey.Arn",
    ]


def failing_alarm(function: str) -> list[str]:
    """Errors or throttles of one function, one is enough (tests/unit/test_operability.py asks one each)."""
    dimensions = f"Dimensions: [{{Name: FunctionName, Value: !Ref {function}}}]"
    return [
        f"  {function}FailingAlarm:",
        "    Type: AWS::CloudWatch::Alarm",
        "    Properties:",
        f'      AlarmDescription: !Sub "${{{function}}} failed or was throttled'
        ' (runbook - docs/operations.md#a-function-fails-or-is-throttled)."',
        "      Metrics:",
        "        - Id: errors",
        "          ReturnData: false",
        f"          MetricStat: {{Metric: {{Namespace: AWS/Lambda, MetricName: Errors, {dimensions}}},"
        " Period: 300, Stat: Sum}",
        "        - Id: throttles",
        "          ReturnData: false",
        f"          MetricStat: {{Metric: {{Namespace: AWS/Lambda, MetricName: Throttles, {dimensions}}},"
        " Period: 300, Stat: Sum}",
        "        - Id: failures",
        "          Label: errors and throttles",
        "          Expression: errors + throttles",
        *_alarm_tail(),
    ]


def dead_letter_alarm(name: str, spec: Block) -> list[str]:
    """A message on the dead-letter queue `Queue`, described by `Description`."""
    fields = _fields(spec)
    return [
        *spec.leading,
        *_alarm_head(name, fields["Description"]),
        "      Namespace: AWS/SQS",
        "      MetricName: ApproximateNumberOfMessagesVisible",
        "      Dimensions:",
        "        - Name: QueueName",
        f"          Value: !GetAtt {fields['Queue'].value}.QueueName",
        "      Statistic: Maximum",
        "      Period: 300",
        *_alarm_tail(),
    ]


def business_alarm(name: str, spec: Block) -> list[str]:
    """`Threshold` (1 unless said) of the shop's own `Metric` in 5 minutes, `EvaluationPeriods` (1) in a row.

    The code counts these metrics itself (EMF: namespace Commerce, dimension service=commerce).
    """
    fields = _fields(spec)
    threshold = fields["Threshold"].value if "Threshold" in fields else "1"
    periods = fields["EvaluationPeriods"].value if "EvaluationPeriods" in fields else "1"
    return [
        *spec.leading,
        *_alarm_head(name, fields["Description"]),
        "      Namespace: Commerce",
        f"      MetricName: {fields['Metric'].value}",
        "      Dimensions:",
        "        - Name: service",
        "          Value: commerce",
        "      Statistic: Sum",
        "      Period: 300",
        *_alarm_tail(threshold, periods),
    ]


def _fields(spec: Block) -> dict[str, Block]:
    return {block.key: block for block in split(spec.body, 4) if block.head is not None}


def _alarm_head(name: str, description: Block) -> list[str]:
    return [
        f"  {name}:",
        "    Type: AWS::CloudWatch::Alarm",
        "    Properties:",
        "      AlarmDescription:" + (description.head or "").split(":", 1)[1],
        *shift(description.body, 2),
    ]


def _alarm_tail(threshold: str = "1", periods: str = "1") -> list[str]:
    return [
        f"      EvaluationPeriods: {periods}",
        f"      Threshold: {threshold}",
        "      ComparisonOperator: GreaterThanOrEqualToThreshold",
        "      TreatMissingData: notBreaching",
        "      AlarmActions: [!Ref AlarmTopic]",
    ]


def checkov(block: Block, reasons: Reasons, indent: int) -> list[str]:
    """`Checkov: {CKV_...: reason}` as Metadata, each reason's text from the Checkov section."""
    skips = yaml.safe_load("\n".join([block.value, *block.body]))
    pad = " " * indent
    lines = [f"{pad}checkov:", f"{pad}  skip:"]
    for check, reason in skips.items():
        if reason not in reasons.get(check, {}):
            raise ValueError(f"{block.head}: the Checkov section has no reason {reason} under {check}")
        lines += [
            f"{pad}    - id: {check}",
            f"{pad}      comment: >-",
            f"{pad}        {reasons[check][reason]}",
        ]
    return lines


def function(name: str, spec: Block, reasons: Reasons, library: Library) -> list[str]:
    """A Lambda function of functions/<name>/ (unless it says its CodeUri), its log group and its alarm.

    Its keys are the function's Properties, plus `Statements` (its policy: a statement of its own, or the
    name of one from the Statements section, `as` another Sid), `Routes` (`Name: METHOD /path`, `public`
    when no token is needed) and `Checkov`.
    """
    stem = name.removesuffix("Function")
    fields = [block for block in split(spec.body, 4) if block.head is not None]
    special = {block.key: block for block in fields if block.key in _FUNCTION_KEYS}
    plain = [block for block in fields if block.key not in special]
    if not any(block.key == "CodeUri" for block in plain):
        plain.insert(0, Block([], f"    CodeUri: functions/{_snake(stem)}/"))
    plain.sort(key=lambda block: block.key != "Description")  # the description first, as a reader looks
    lines = [*spec.leading, f"  {name}:", "    Type: AWS::Serverless::Function", "    Properties:"]
    for block in plain:
        lines += shift(block.lines(), 2)
    lines += ["      LoggingConfig:", f"        LogGroup: !Ref {stem}LogGroup"]
    if "Statements" in special:
        lines += ["      Policies:", "        - Statement:", *_statements(special["Statements"], library)]
    events = _routes(special["Routes"]) if "Routes" in special else []
    events += shift(special["Events"].body, 2) if "Events" in special else []
    lines += ["      Events:", *events] if events else []
    lines += ["    Metadata:", "      BuildMethod: makefile"]
    lines += checkov(special["Checkov"], reasons, 6) if "Checkov" in special else []
    return [*lines, "", *log_group(f"{stem}LogGroup"), "", *failing_alarm(name)]


def _statements(block: Block, library: Library) -> list[str]:
    lines: list[str] = []
    for item in split(block.body, 6):
        if item.head is None:
            lines += shift(item.lines(), 6)
            continue
        reference = item.head.strip().removeprefix("- ").split(" #", 1)[0].strip()
        if reference.split(" as ")[0] not in library:
            lines += shift(item.lines(), 6)
            continue
        shape, _, sid = reference.partition(" as ")
        lines += [*shift(item.leading, 6), f"            - Sid: {sid or shape}{comment_of(item.head)}"]
        lines += shift(library[shape], 14)
    return lines


def _routes(block: Block) -> list[str]:
    lines: list[str] = []
    for item in split(block.body, 6):
        lines += shift(item.leading, 2)
        if item.head is None:
            continue
        route = _ROUTE.match(item.head.split(" #", 1)[0].strip())
        if route is None:
            raise ValueError(
                f"a route is `Name: METHOD /path` (then `public` if it needs no token): {item.head}"
            )
        auth = ", Auth: { Authorizer: NONE }" if route["public"] else ""
        properties = f'ApiId: !Ref HttpApi, Path: "{route["path"]}", Method: {route["method"]}{auth}'
        lines += [
            f"        {route['name']}:{comment_of(item.head)}",
            "          Type: HttpApi",
            f"          Properties: {{ {properties} }}",
        ]
    return lines


def _snake(stem: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", stem).lower()
