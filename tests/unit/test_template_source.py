"""template.yaml is generated from infra/stack.yaml: the committed copy matches, and each shape expands as the
source's header says."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from infra import template

SOURCE = """\
# how to edit (stays in the source)
Resources:
  # catalog
  BrowseFunction: !Function
    Description: Public catalog browse.
    Timeout: 29  # why
    Statements:
      - ReadTable as ReadCatalog
      - Sid: Own
        Effect: Allow
        Action: [sqs:SendMessage]
        Resource: "*"
    Routes:
      ListProducts: GET /products public
      GetMe: GET /me
    Checkov: { CKV_AWS_116: api }

  ReportsFunction: !Function
    CodeUri: functions/daily_report/
    Handler: job.lambda_handler

  ApiAccessLogGroup: !LogGroup

  OrdersDeadLetterAlarm: !DeadLetterAlarm
    Queue: OrdersDeadLetterQueue
    Description: Orders were dead-lettered.

  SignaturesRejectedAlarm: !BusinessAlarm
    Metric: WebhookSignatureRejected
    Threshold: 10
    Description: Webhooks are refused.

  Bucket:
    Type: AWS::S3::Bucket
    Checkov: { CKV_AWS_116: api }

Checkov:
  CKV_AWS_116:
    api: >-
      invoked synchronously
      by API Gateway

Statements:
  ReadTable:
    Effect: Allow
    Action: [dynamodb:Query]
    Resource: !GetAtt MainTable.Arn
"""


class _Tags(yaml.SafeLoader):
    """Reads CloudFormation's short tags (`!Ref X` becomes {"Ref": "X"})."""


_Tags.add_multi_constructor("!", lambda loader, tag, node: {tag: loader.construct_scalar(node)})


def _resources() -> dict[str, dict]:
    return yaml.load(template.render(SOURCE), Loader=_Tags)["Resources"]  # noqa: S506 (safe loader subclass)


def test_the_committed_template_is_what_the_source_generates() -> None:
    assert template.TEMPLATE.read_text(encoding="utf-8") == template.generate(), (
        "template.yaml differs from its source in infra/: run `make template`"
    )


def test_each_listed_bounded_context_brings_its_resources_in_the_listed_order() -> None:
    source = "Resources:\n  - catalog\n  - carts\n\nCheckov:\n\nStatements:\n"
    contexts = {
        "carts": "# carts\nCartsLogGroup: !LogGroup\n",
        "catalog": "# catalog\nCatalogLogGroup: !LogGroup\n",
    }

    generated = template.render(source, contexts)

    resources = yaml.load(generated, Loader=_Tags)["Resources"]  # noqa: S506 (safe loader subclass)
    assert list(resources) == ["CatalogLogGroup", "CartsLogGroup"]
    assert "\n  # carts\n  CartsLogGroup:\n" in generated


def test_a_context_file_that_resources_does_not_list_is_refused() -> None:
    with pytest.raises(ValueError, match="does not list"):
        template.render(SOURCE, {"carts": "CartsLogGroup: !LogGroup\n"})


def test_a_function_comes_with_its_code_log_group_alarm_and_build_method() -> None:
    resources = _resources()

    function = resources["BrowseFunction"]
    assert function["Properties"]["CodeUri"] == "functions/browse/"
    assert function["Properties"]["Timeout"] == 29
    assert function["Properties"]["LoggingConfig"] == {"LogGroup": {"Ref": "BrowseLogGroup"}}
    assert function["Metadata"]["BuildMethod"] == "makefile"
    assert resources["BrowseLogGroup"]["Type"] == "AWS::Logs::LogGroup"
    alarm = resources["BrowseFunctionFailingAlarm"]["Properties"]
    assert [m["Id"] for m in alarm["Metrics"]] == ["errors", "throttles", "failures"]


def test_a_function_that_names_its_code_and_handler_keeps_them() -> None:
    reports = _resources()["ReportsFunction"]

    assert reports["Properties"]["CodeUri"] == "functions/daily_report/"
    assert reports["Properties"]["Handler"] == "job.lambda_handler"
    assert "Policies" not in reports["Properties"]
    assert reports["Metadata"] == {"BuildMethod": "makefile"}


def test_a_named_statement_is_written_out_with_its_sid_and_an_own_statement_as_it_is() -> None:
    statements = _resources()["BrowseFunction"]["Properties"]["Policies"][0]["Statement"]

    assert statements == [
        {
            "Sid": "ReadCatalog",
            "Effect": "Allow",
            "Action": ["dynamodb:Query"],
            "Resource": {"GetAtt": "MainTable.Arn"},
        },
        {"Sid": "Own", "Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": "*"},
    ]


def test_a_public_route_opts_out_of_the_authorizer_and_any_other_route_keeps_it() -> None:
    events = _resources()["BrowseFunction"]["Properties"]["Events"]

    assert events["ListProducts"]["Properties"]["Auth"] == {"Authorizer": "NONE"}
    assert events["ListProducts"]["Properties"]["Path"] == "/products"
    assert "Auth" not in events["GetMe"]["Properties"]
    assert events["GetMe"]["Properties"]["Method"] == "GET"


def test_a_checkov_skip_takes_its_reason_from_the_one_section_of_reasons() -> None:
    resources = _resources()

    skip = {"id": "CKV_AWS_116", "comment": "invoked synchronously by API Gateway"}
    assert resources["BrowseFunction"]["Metadata"]["checkov"]["skip"] == [skip]
    assert resources["Bucket"]["Metadata"] == {"checkov": {"skip": [skip]}}


def test_a_dead_letter_alarm_watches_its_queue() -> None:
    alarm = _resources()["OrdersDeadLetterAlarm"]["Properties"]

    assert alarm["Dimensions"] == [
        {"Name": "QueueName", "Value": {"GetAtt": "OrdersDeadLetterQueue.QueueName"}}
    ]
    assert alarm["AlarmDescription"] == "Orders were dead-lettered."


def test_a_business_alarm_counts_the_shops_own_metric_up_to_its_threshold() -> None:
    alarm = _resources()["SignaturesRejectedAlarm"]["Properties"]

    assert (alarm["Namespace"], alarm["MetricName"]) == ("Commerce", "WebhookSignatureRejected")
    assert (alarm["Threshold"], alarm["EvaluationPeriods"]) == (10, 1)
    assert alarm["Dimensions"] == [{"Name": "service", "Value": "commerce"}]


def test_the_sections_only_the_source_needs_stay_out_of_the_template() -> None:
    generated = template.render(SOURCE)

    assert "how to edit" not in generated
    assert set(yaml.load(generated, Loader=_Tags)) == {"Resources"}  # noqa: S506 (safe loader subclass)


def test_a_route_written_another_way_is_refused() -> None:
    with pytest.raises(ValueError, match="METHOD /path"):
        template.render(SOURCE.replace("GET /me", "/me GET"))


def test_a_skip_whose_reason_is_not_written_down_is_refused() -> None:
    with pytest.raises(ValueError, match="no reason elsewhere under CKV_AWS_116"):
        template.render(
            SOURCE.replace("{ CKV_AWS_116: api }\n\n  Report", "{ CKV_AWS_116: elsewhere }\n\n  Report")
        )


def test_a_shape_the_generator_does_not_know_is_refused() -> None:
    with pytest.raises(ValueError, match="no shape !Lambda"):
        template.render(SOURCE.replace("BrowseFunction: !Function", "BrowseFunction: !Lambda"))


def test_the_check_fails_when_the_template_was_edited_by_hand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edited = tmp_path / "template.yaml"
    edited.write_text(template.generate() + "# by hand\n")
    monkeypatch.setattr(template, "TEMPLATE", edited)

    assert template.main(["--check"]) == 1
