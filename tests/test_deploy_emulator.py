"""`make deploy` end to end against an AWS emulator (moto's server on 127.0.0.1): a first deploy creates
everything, a second updates it in place, `make undeploy` removes it; bad input stops before anything
is created. Zappa's `touch` is switched off by its own setting: its request goes to the execute-api
host, which only AWS has."""

from __future__ import annotations

import io
import json
import socket
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import botocore.session
import pytest

from tests.lambda_sandbox import ROOT
from tests.moto_server import REGION, Clients, running
from tools import dashboard, deploy
from tools.aws_emulator import Emulator, describe

pytestmark = pytest.mark.slow

SHIPPED = json.loads((ROOT / "zappa_settings.json").read_text())
FUNCTION = "helpline-router-production"
PARAMETER = "/helpline/production/twilio-auth-token"
TOKEN_VALUE = "token-that-must-never-be-printed"
MAX_ZIP_BYTES = 5_000_000
ZAPPA_POLICY = "zappa-permissions"


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with running() as server:
        yield server


@pytest.fixture
def aws(emulator: Emulator) -> Clients:
    emulator.reset()
    return Clients(emulator)


def settings_file(tmp_path: Path, **changes: Any) -> Path:
    """The shipped settings with what an operator adds (a bucket), `touch` off, and `changes`."""
    settings = json.loads(json.dumps(SHIPPED))
    settings["production"].update(s3_bucket="helpline-router-deploys-test", touch=False, **changes)
    path = tmp_path / "zappa_settings.json"
    path.write_text(json.dumps(settings, indent=2))
    return path


def make(
    target: str, emulator: Emulator, settings: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`make TARGET` as an operator runs it, with AWS pointed at the emulator."""
    return subprocess.run(
        ["make", "-s", target, f"ZAPPA_SETTINGS={settings}", *args],
        cwd=ROOT,
        env=env or emulator.env(REGION),
        capture_output=True,
        text=True,
        timeout=300,
    )


def rest_api(aws: Clients) -> dict[str, Any]:
    (api,) = [a for a in aws("apigateway").get_rest_apis()["items"] if a["name"] == FUNCTION]
    return api


def keep_warm_rules(aws: Clients) -> list[dict[str, Any]]:
    events = aws("events")
    return [
        rule
        for rule in events.list_rules()["Rules"]
        if any(
            t["Arn"].endswith(f":function:{FUNCTION}")
            for t in events.list_targets_by_rule(Rule=rule["Name"])["Targets"]
        )
    ]


def retention(aws: Clients) -> int | None:
    (group,) = aws("logs").describe_log_groups(logGroupNamePrefix=f"/aws/lambda/{FUNCTION}")["logGroups"]
    return group.get("retentionInDays")


def fallback_twiml(out: str) -> list[ET.Element]:
    return [ET.fromstring(line.strip()) for line in out.splitlines() if line.strip().startswith("<?xml")]


def test_deploy_then_update_then_undeploy(aws: Clients, emulator: Emulator, tmp_path: Path) -> None:
    aws("ssm").put_parameter(Name=PARAMETER, Type="SecureString", Value=TOKEN_VALUE)
    environment = {"aws_environment_variables": {deploy.SSM_SETTING: PARAMETER}}
    first = make("deploy", emulator, settings_file(tmp_path, **environment))
    assert first.returncode == 0, first.stdout + first.stderr
    assert "production: not live yet, deploying it (zappa deploy production)" in first.stdout
    assert TOKEN_VALUE not in first.stdout + first.stderr

    # the function, as configured in zappa_settings.json
    function = aws("lambda").get_function(FunctionName=FUNCTION)["Configuration"]
    assert function["Runtime"] == "python3.11" and function["Handler"] == "lambda_gateway.handler.handler"
    assert (function["MemorySize"], function["Timeout"]) == (512, 5)
    assert sorted(function["Environment"]["Variables"]) == [deploy.SSM_SETTING]
    assert 1_000_000 < function["CodeSize"] <= MAX_ZIP_BYTES

    # the API: every path to the function, execution logging off, no data trace
    api = rest_api(aws)
    resources = aws("apigateway").get_resources(restApiId=api["id"])["items"]
    assert {(r["path"], tuple(r.get("resourceMethods", {}))) for r in resources} == {
        ("/", ("ANY",)),
        ("/{proxy+}", ("ANY",)),
    }
    stage = aws("apigateway").get_stage(restApiId=api["id"], stageName="production")
    assert stage["methodSettings"]["*/*"]["loggingLevel"] == "OFF"
    assert stage["methodSettings"]["*/*"]["dataTraceEnabled"] is False

    # keep-warm: the rule, and leave for it to invoke the function (Zappa's "Problem creating
    # permission" line comes from the emulator answering 200 where Lambda answers 201)
    (rule,) = keep_warm_rules(aws)
    assert rule["ScheduleExpression"] == "rate(4 minutes)" and rule["State"] == "ENABLED"
    policy = json.loads(aws("lambda").get_policy(FunctionName=FUNCTION)["Policy"])
    sources = [
        s["Condition"]["ArnLike"]["AWS:SourceArn"]
        for s in policy["Statement"]
        if s["Principal"] == {"Service": "events.amazonaws.com"}
    ]
    assert sources == [rule["Arn"]]
    assert f"EventBridge may invoke the function for {rule['Name']}" in first.stdout

    # what operators did by hand: retention, leave to read exactly the token's parameter
    assert retention(aws) == 30
    role = function["Role"].rsplit("/", 1)[1]
    document = aws("iam").get_role_policy(RoleName=role, PolicyName=ZAPPA_POLICY)["PolicyDocument"]
    document = json.loads(document) if isinstance(document, str) else document
    ssm = [s for s in document["Statement"] if any("ssm" in a for a in _list(s["Action"]))]
    assert ssm == [
        {
            "Effect": "Allow",
            "Action": ["ssm:GetParameter"],
            "Resource": f"arn:aws:ssm:{REGION}:123456789012:parameter{PARAMETER}",
        }
    ]

    # the dashboard
    board = aws("cloudwatch").get_dashboard(DashboardName=FUNCTION)
    assert json.loads(board["DashboardBody"]) == dashboard.body(FUNCTION, "production", REGION)

    # the last step, spelled out
    base = f"https://{api['id']}.execute-api.{REGION}.amazonaws.com/production"
    assert f"Webhook, HTTP POST, {base}/sms" in first.stdout
    assert f"Webhook, HTTP POST, {base}/voice" in first.stdout
    message, call = fallback_twiml(first.stdout)
    assert "0808 2000 247" in message.findtext("Message", "") and "999" in message.findtext("Message", "")
    assert call.findtext("Dial/Number") == "+448082000247"

    # what `make deploy-local` shows of it
    shown = list(describe(aws, FUNCTION, "production"))
    assert shown[0].startswith(
        f"function {FUNCTION}: python3.11, handler lambda_gateway.handler.handler, 512 MB, 5 s"
    )
    assert shown[0].endswith(f"environment variables: {deploy.SSM_SETTING}") and PARAMETER not in shown[0]
    assert shown[1:] == [
        f"API {api['id']}: ANY /, ANY /{{proxy+}}; stage production: execution logging OFF, data trace False",
        f"rule {rule['Name']}: rate(4 minutes), ENABLED",
        f"log group /aws/lambda/{FUNCTION}: kept 30 days",
        f"dashboard {FUNCTION}",
    ]

    # a second deploy updates in place
    versions = len(aws("lambda").list_versions_by_function(FunctionName=FUNCTION)["Versions"])
    changed = settings_file(tmp_path, memory_size=1024, log_retention_days=60, **environment)
    second = make("deploy", emulator, changed)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "production: live, updating it (zappa update production)" in second.stdout
    updated = aws("lambda").get_function(FunctionName=FUNCTION)["Configuration"]
    assert updated["FunctionArn"] == function["FunctionArn"] and updated["MemorySize"] == 1024
    assert len(aws("lambda").list_versions_by_function(FunctionName=FUNCTION)["Versions"]) > versions
    assert rest_api(aws)["id"] == api["id"] and len(keep_warm_rules(aws)) == 1
    assert retention(aws) == 60
    assert f"Webhook, HTTP POST, {base}/sms" in second.stdout

    # and `make undeploy` removes it all
    gone = make("undeploy", emulator, changed)
    assert gone.returncode == 0, gone.stdout + gone.stderr
    left = aws.everything()
    for kind in ("functions", "rules", "log groups", "dashboards", "stacks"):
        assert left[kind] == [], (kind, left)
    # AWS deletes the API with the stack that made it; moto leaves it, and only that one
    assert left["apis"] in ([], [FUNCTION]), left


def _list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("case", ["unknown stage", "no bucket", "no parameter", "unreachable", "directory"])
def test_bad_input_stops_before_anything_is_created(
    case: str, aws: Clients, emulator: Emulator, tmp_path: Path, broken_directory: Path
) -> None:
    settings = settings_file(tmp_path)
    args: list[str] = []
    env = emulator.env(REGION)
    if case == "unknown stage":
        args, expected = ["STAGE=staging"], "no stage 'staging' (stages: dev, production)"
    elif case == "no bucket":
        settings.write_text(json.dumps(SHIPPED))
        expected = "zappa_settings.json: production.s3_bucket is not set"
    elif case == "no parameter":
        settings = settings_file(tmp_path, aws_environment_variables={deploy.SSM_SETTING: PARAMETER})
        expected = f"names the SSM parameter '{PARAMETER}' for the Twilio auth token"
    elif case == "unreachable":
        env["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{closed_port()}"
        expected = "production: cannot reach the endpoint in AWS_ENDPOINT_URL (http://127.0.0.1:"
    else:
        args, expected = [f"DIRECTORY={broken_directory}"], f"{broken_directory}: services.wales.number"
    result = make("deploy", emulator, settings, *args, env=env)
    said = result.stdout + result.stderr
    assert result.returncode != 0 and expected in said, said
    assert "Traceback" not in said and "zappa deploy" not in said
    assert all(not found for found in aws.everything().values()), aws.everything()


def test_zappas_keep_warm_permission_warning_is_the_emulators(aws: Clients) -> None:
    """Zappa logs "Problem creating permission to invoke Lambda function" unless AddPermission answers
    201, as Lambda's API model says it does; the emulator answers 200, with the permission made."""
    model = botocore.session.get_session().get_service_model("lambda")
    assert model.operation_model("AddPermission").http["responseCode"] == 201
    role = aws("iam").create_role(RoleName="r", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return None\n")
    aws("lambda").create_function(
        FunctionName="f",
        Runtime="python3.11",
        Role=role,
        Handler="handler.handler",
        Code={"ZipFile": code.getvalue()},
    )
    rule = "arn:aws:events:eu-west-2:123456789012:rule/keep-warm"
    answer = aws("lambda").add_permission(
        FunctionName="f",
        StatementId="keepwarm",
        Action="lambda:InvokeFunction",
        Principal="events.amazonaws.com",
        SourceArn=rule,
    )
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
    (statement,) = json.loads(aws("lambda").get_policy(FunctionName="f")["Policy"])["Statement"]
    assert statement["Condition"]["ArnLike"]["AWS:SourceArn"] == rule
