"""`make deploy`: one command, first time or later; it refuses what would go wrong, naming the field.
The deploy itself, against an AWS emulator, is in test_deploy_emulator.py."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.lambda_sandbox import DEPLOY_VENV, ROOT
from tests.twilio_fake import Twilio
from tools import aws_emulator, dashboard, deploy

SHIPPED = json.loads((ROOT / "zappa_settings.json").read_text())


def with_bucket(settings: dict[str, dict[str, object]]) -> dict[str, dict[str, object]]:
    return {**settings, "production": {**settings["production"], "s3_bucket": "helpline-deploys-example"}}


def test_the_shipped_settings_ask_for_a_bucket_naming_file_and_field() -> None:
    (problem,) = deploy.problems(SHIPPED, "production")
    assert problem.startswith("zappa_settings.json: production.s3_bucket is not set")
    (problem,) = deploy.problems(SHIPPED, "dev")
    assert "dev.s3_bucket" in problem


def test_a_stage_inherits_the_bucket_of_the_stage_it_extends() -> None:
    settings = with_bucket(SHIPPED)
    assert deploy.problems(settings, "production") == deploy.problems(settings, "dev") == []
    assert deploy.stage_settings(settings, "dev")["s3_bucket"] == "helpline-deploys-example"
    assert "extends" not in deploy.stage_settings(settings, "dev")


def test_an_unknown_stage_or_circular_extends_is_named() -> None:
    assert deploy.problems(SHIPPED, "prod") == [
        "zappa_settings.json: no stage 'prod' (stages: dev, production)"
    ]
    loop = {"a": {"extends": "b", "project_name": "x"}, "b": {"extends": "a"}}
    assert deploy.stage_settings(loop, "a") == {"project_name": "x"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"log_retention_days": 31}, "production.log_retention_days is 31"),
        ({"log_retention_days": True}, "production.log_retention_days is True"),
        ({"cloudwatch_log_level": "INFO"}, 'production.cloudwatch_log_level must be "OFF"'),
        ({"cloudwatch_data_trace": True}, "cloudwatch_data_trace false"),
        ({"aws_environment_variables": {deploy.SSM_SETTING: " "}}, f"{deploy.SSM_SETTING} is empty"),
        ({"aws_region": ""}, "production.aws_region is not set"),
    ],
)
def test_settings_that_would_go_wrong_are_refused_by_name(change: dict[str, Any], field: str) -> None:
    settings = with_bucket(SHIPPED)
    settings["production"] = {**settings["production"], **change}
    (problem,) = deploy.problems(settings, "production", "zappa_settings.json")
    assert problem.startswith("zappa_settings.json: ") and field in problem


def test_retention_is_a_setting_of_30_days_by_default() -> None:
    assert deploy.stage_settings(SHIPPED, "dev")[deploy.RETENTION_SETTING] == deploy.RETENTION_DAYS == 30
    settings = with_bucket(SHIPPED)
    settings["production"] = {k: v for k, v in settings["production"].items() if k != "log_retention_days"}
    assert deploy.problems(settings, "production") == []


def test_the_role_may_read_exactly_the_named_parameter() -> None:
    config = {"aws_environment_variables": {deploy.SSM_SETTING: "/helpline/production/twilio-auth-token"}}
    assert deploy.ssm_parameter(config) == "/helpline/production/twilio-auth-token"
    assert deploy.ssm_parameter({"environment_variables": {deploy.SSM_SETTING: "token"}}) == "token"
    assert deploy.ssm_parameter({}) is None
    arn = deploy.ssm_parameter_arn(
        "aws", "eu-west-2", "123456789012", "/helpline/production/twilio-auth-token"
    )
    assert arn == "arn:aws:ssm:eu-west-2:123456789012:parameter/helpline/production/twilio-auth-token"
    assert deploy.ssm_parameter_arn("aws", "eu-west-2", "1", "plain").endswith(":parameter/plain")


def test_a_local_deploy_uses_the_stage_with_a_bucket_and_no_touch_or_profile() -> None:
    settings = {**SHIPPED, "dev": {"extends": "production", "profile_name": "work", "s3_bucket": "mine"}}
    local = aws_emulator.local_settings(settings, "dev")
    assert local["dev"] == {"extends": "production", "s3_bucket": "mine", "touch": False}
    assert local["production"] == SHIPPED["production"] and "touch" not in settings["dev"]
    local = aws_emulator.local_settings(SHIPPED, "production")
    assert local["production"]["s3_bucket"] == aws_emulator.LOCAL_BUCKET
    assert deploy.problems(local, "production") == []
    env = aws_emulator.Emulator().env(base={"AWS_PROFILE": "work", "AWS_SESSION_TOKEN": "x", "HOME": "/h"})
    assert env["HOME"] == "/h" and "AWS_PROFILE" not in env and "AWS_SESSION_TOKEN" not in env
    assert env["AWS_CONFIG_FILE"] == env["AWS_SHARED_CREDENTIALS_FILE"] == os.devnull


def test_nothing_runs_without_a_bucket(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings_file = tmp_path / "zappa_settings.json"
    settings_file.write_text(json.dumps(SHIPPED))
    ran: list[list[str]] = []

    def run(args: list[str]) -> int:
        ran.append(args)
        return 0

    assert deploy.main(["production", "-s", str(settings_file)], run=run) == 2
    assert ran == [] and "production.s3_bucket is not set" in capsys.readouterr().err
    settings_file.write_text("{not json")
    assert deploy.main(["production", "-s", str(settings_file)], run=run) == 2
    assert ran == [] and "zappa_settings.json: cannot be read" in capsys.readouterr().err


def test_make_deploy_checks_the_directories_first() -> None:
    for target in ("deploy", "deploy-local"):
        plan = subprocess.run(
            ["make", "-n", target], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.splitlines()
        checks = [n for n, line in enumerate(plan) if "tools.check" in line]
        deploys = [n for n, line in enumerate(plan) if "tools.deploy" in line or "tools.aws_emulator" in line]
        assert checks and deploys and checks[0] < deploys[0], plan


def test_without_credentials_it_stops_before_zappa_starts(tmp_path: Path) -> None:
    """The real question to Zappa, from the deploy virtualenv, with no AWS credentials anywhere."""
    settings = tmp_path / "zappa_settings.json"
    settings.write_text(json.dumps(with_bucket(SHIPPED)))
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_EC2_METADATA_DISABLED="true", AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull
    )
    code = "import sys, tools.deploy as d; sys.exit(d.main(sys.argv[1:], run=lambda args: 99))"
    result = subprocess.run(
        [str(DEPLOY_VENV / "bin" / "python"), "-c", code, "production", "-s", str(settings)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "production: no AWS credentials found" in result.stderr and "Traceback" not in result.stderr


# The dashboard: every chart reads what the router writes.

SEARCH = re.compile(r"^SEARCH\('\{(?P<namespace>[^,}]+),(?P<dims>[^}]+)\} MetricName=\"(?P<metric>\w+)\"")


def figures_lines(app: Flask, capfd: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    """The EMF lines the router prints for a text and a call."""
    twilio = Twilio(app.test_client())
    capfd.readouterr()
    twilio.sms("WALES")
    twilio.call().start().press("2")
    out = capfd.readouterr().out
    return [json.loads(line) for line in out.splitlines() if line.startswith("{") and '"_aws"' in line]


def test_dashboard_charts_search_the_metrics_the_router_writes(
    app: Flask, capfd: pytest.CaptureFixture[str]
) -> None:
    lines = figures_lines(app, capfd)
    assert lines, "the router printed no figures: the test proves nothing"
    written = {
        (directive["Namespace"], tuple(dims), metric["Name"])
        for line in lines
        for directive in line["_aws"]["CloudWatchMetrics"]
        for dims in directive["Dimensions"]
        for metric in directive["Metrics"]
    }
    body = json.loads(json.dumps(dashboard.body("helpline-router-production", "production", "eu-west-2")))
    searched = set()
    for widget in body["widgets"]:
        if widget["type"] != "metric":
            continue
        properties = widget["properties"]
        assert properties["region"] == "eu-west-2" and properties["title"]
        ids = [m[0]["id"] for m in properties["metrics"] if isinstance(m[0], dict)]
        assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[a-z][a-zA-Z0-9_]*", i) for i in ids), ids
        for metric in properties["metrics"]:
            if isinstance(metric[0], dict):
                found = SEARCH.match(metric[0]["expression"])
                assert found, metric
                searched.add((found["namespace"], tuple(found["dims"].split(",")), found["metric"]))
                # no fixed list of channels, services or outcomes: new ones appear by themselves
                assert "channel=" not in metric[0]["expression"] and "service=" not in metric[0]["expression"]
            else:
                assert metric[:4] == ["AWS/Lambda", metric[1], "FunctionName", "helpline-router-production"]
    assert searched == written, (searched, written)


def test_dashboard_has_the_charts_asked_for_on_a_grid_without_overlap() -> None:
    body = dashboard.body("helpline-router-dev", "dev", "eu-west-1")
    titles = " | ".join(w["properties"].get("title", "") for w in body["widgets"])
    for wanted in ("per day, by helpline", "Outcomes", "by channel", "p50 and p99"):
        assert wanted in titles, titles
    cells: set[tuple[int, int]] = set()
    for widget in body["widgets"]:
        assert widget["x"] >= 0 and widget["x"] + widget["width"] <= dashboard.WIDTH
        area = {
            (x, y)
            for x in range(widget["x"], widget["x"] + widget["width"])
            for y in range(widget["y"], widget["y"] + widget["height"])
        }
        assert not area & cells, widget
        cells |= area
    expressions = json.dumps(body)
    assert "p50" in expressions and "p99" in expressions and "SampleCount" in expressions
    assert "`dev`" in body["widgets"][0]["properties"]["markdown"]
    assert dashboard.name("helpline-router-dev") == "helpline-router-dev"
