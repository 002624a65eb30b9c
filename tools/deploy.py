"""`make deploy`: put a stage live with Zappa in one command, first time or any later time.

`make deploy` checks every directory first (`make check`), then runs this from the deploy
virtualenv. Before anything is created it refuses what would go wrong, naming what to fix: an
unknown stage, no `s3_bucket` (Zappa would make up a new bucket on every run), settings that would
log request bodies, no AWS credentials, AWS (or the endpoint in AWS_ENDPOINT_URL) out of reach, a
bucket of another account, an SSM parameter for the token that does not exist. Then it runs
`zappa update STAGE` if the stage's function exists, `zappa deploy STAGE` if not (Zappa itself
refuses to deploy over a function that exists), giving the function's role leave to read the
token's SSM parameter, and no more. Afterwards it does what an operator would otherwise do by hand:
a retention period on the function's log group, API Gateway execution logging off, a CloudWatch
dashboard of the router's figures; and it prints the webhook URLs and fallback TwiML for Twilio.

    python -m tools.deploy [STAGE] [--settings_file zappa_settings.json] [--undeploy]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools import dashboard

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "zappa_settings.json"
SSM_SETTING = "TWILIO_AUTH_TOKEN_SSM_PARAMETER"
RETENTION_SETTING = "log_retention_days"
RETENTION_DAYS = 30
# The periods CloudWatch Logs accepts (PutRetentionPolicy).
RETENTION_CHOICES = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
)  # fmt: skip


def stage_settings(settings: Mapping[str, Any], stage: str) -> dict[str, Any]:
    """A stage's settings with those of the stages it `extends`, as Zappa reads them."""
    chain: list[str] = []
    while stage not in chain:
        chain.append(stage)
        parent = settings.get(stage, {}).get("extends")
        if not parent:
            break
        stage = parent
    merged: dict[str, Any] = {}
    for name in reversed(chain):
        merged.update({k: v for k, v in settings.get(name, {}).items() if k != "extends"})
    return merged


def problems(settings: Mapping[str, Any], stage: str, where: str = SETTINGS.name) -> list[str]:
    """What stops `stage` from being deployed, each naming the file and the field."""
    if stage not in settings:
        known = ", ".join(sorted(settings)) or "none"
        return [f"{where}: no stage {stage!r} (stages: {known})"]
    config = stage_settings(settings, stage)
    found = []
    if not config.get("s3_bucket"):
        found.append(
            f"{where}: {stage}.s3_bucket is not set. Add an S3 bucket of your own for Zappa to upload"
            ' the package to, e.g. "s3_bucket": "helpline-router-deploys-<your-org>".'
        )
    if not config.get("project_name"):
        found.append(f"{where}: {stage}.project_name is not set (it names the Lambda function).")
    if not config.get("aws_region"):
        found.append(f'{where}: {stage}.aws_region is not set (e.g. "eu-west-2").')
    retention = config.get(RETENTION_SETTING, RETENTION_DAYS)
    if isinstance(retention, bool) or retention not in RETENTION_CHOICES:
        choices = ", ".join(map(str, RETENTION_CHOICES))
        found.append(
            f"{where}: {stage}.{RETENTION_SETTING} is {retention!r}; CloudWatch keeps logs for"
            f" one of: {choices} days."
        )
    if str(config.get("cloudwatch_log_level", "OFF")).upper() != "OFF" or config.get("cloudwatch_data_trace"):
        found.append(
            f'{where}: {stage}.cloudwatch_log_level must be "OFF" and cloudwatch_data_trace false:'
            " API Gateway execution logging writes request bodies (texts and numbers) to CloudWatch."
        )
    parameter = ssm_parameter(config)
    if parameter is not None and not parameter.strip():
        found.append(f"{where}: {stage}: {SSM_SETTING} is empty (name the parameter, or leave it out).")
    return found


def ssm_parameter(config: Mapping[str, Any]) -> str | None:
    """The SSM parameter the token is read from, if the stage names one (either kind of variable)."""
    for key in ("aws_environment_variables", "environment_variables"):
        value = (config.get(key) or {}).get(SSM_SETTING)
        if value is not None:
            return str(value)
    return None


def ssm_parameter_arn(partition: str, region: str, account: str, parameter: str) -> str:
    """The ARN of one SSM parameter (a name that starts with "/" keeps a single slash)."""
    return f"arn:{partition}:ssm:{region}:{account}:parameter/{parameter.lstrip('/')}"


class NotReady(Exception):
    """AWS cannot be asked, or says no: said before Zappa starts, rather than halfway through."""


@dataclass
class Account:
    """Where a stage goes: its function's name, its region, and a boto3 session for that account."""

    stage: str
    config: dict[str, Any]
    lambda_name: str
    region: str
    session: Any  # boto3.Session
    account: str = ""
    partition: str = "aws"

    def client(self, service: str) -> Any:
        from botocore.config import Config  # only in the deploy virtualenv

        config = Config(connect_timeout=5, read_timeout=60, retries={"max_attempts": 3, "mode": "standard"})
        return self.session.client(service, region_name=self.region, config=config)


def connect(settings_file: Path, stage: str) -> Account:
    """The stage's account as Zappa sees it, with the caller's identity checked (no change made)."""
    from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError
    from zappa.cli import ZappaCLI  # only in the deploy virtualenv

    cli = ZappaCLI()
    cli.api_stage = stage
    cli.load_settings(str(settings_file))
    session = cli.zappa.boto_session
    if session.get_credentials() is None:
        raise NotReady(
            "no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,"
            " for the account to deploy to"
        )
    config = stage_settings(json.loads(settings_file.read_text(encoding="utf-8")), stage)
    account = Account(stage, config, cli.lambda_name, config["aws_region"], session)
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    where = f"the endpoint in AWS_ENDPOINT_URL ({endpoint})" if endpoint else f"AWS in {account.region}"
    try:
        identity = account.client("sts").get_caller_identity()
    except EndpointConnectionError as exc:
        raise NotReady(f"cannot reach {where}: {exc}. Check the network (or AWS_ENDPOINT_URL).") from exc
    except ClientError as exc:
        raise NotReady(
            f"{where} refused these AWS credentials ({exc}). Check AWS_PROFILE or the keys."
        ) from exc
    except BotoCoreError as exc:
        raise NotReady(f"cannot ask {where}: {exc}") from exc
    account.account = identity["Account"]
    account.partition = identity["Arn"].split(":")[1]
    return account


def preflight(account: Account, where: str) -> bool:
    """Check what the deploy needs and say whether the stage's function exists; changes nothing."""
    from botocore.exceptions import BotoCoreError, ClientError

    stage, config = account.stage, account.config
    bucket = config["s3_bucket"]
    try:
        account.client("s3").head_bucket(Bucket=bucket)
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in ("403", "AccessDenied", "Forbidden"):
            raise NotReady(
                f"{where}: {stage}.s3_bucket {bucket!r} belongs to another AWS account or this one may not"
                " use it: choose another name (bucket names are shared by every AWS account)."
            ) from exc
        if code not in ("404", "NoSuchBucket", "NotFound"):
            raise NotReady(f"cannot check the S3 bucket {bucket!r}: {exc}") from exc
        print(f"{stage}: the S3 bucket {bucket!r} does not exist yet; Zappa will create it", flush=True)
    except BotoCoreError as exc:
        raise NotReady(f"cannot check the S3 bucket {bucket!r}: {exc}") from exc
    parameter = ssm_parameter(config)
    if parameter is not None:
        filters = [{"Key": "Name", "Option": "Equals", "Values": [parameter]}]
        try:
            found = account.client("ssm").describe_parameters(ParameterFilters=filters)["Parameters"]
        except (ClientError, BotoCoreError) as exc:
            raise NotReady(f"cannot check the SSM parameter {parameter!r}: {exc}") from exc
        if not found:
            raise NotReady(
                f"{where} names the SSM parameter {parameter!r} for the Twilio auth token ({SSM_SETTING}),"
                f" and it does not exist in {account.region}. Put it first: aws ssm put-parameter --region"
                f' {account.region} --type SecureString --name {parameter} --value "$TOKEN"'
            )
    try:
        account.client("lambda").get_function(FunctionName=account.lambda_name)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            return False
        raise NotReady(f"cannot ask Lambda about {account.lambda_name}: {exc}") from exc
    except BotoCoreError as exc:
        raise NotReady(f"cannot ask Lambda about {account.lambda_name}: {exc}") from exc
    return True


def for_zappa(settings: Mapping[str, Any], account: Account) -> dict[str, Any]:
    """The settings Zappa is run with: the stage's own, plus leave to read the token's SSM parameter."""
    config = dict(account.config)
    parameter = ssm_parameter(config)
    if parameter is not None:
        arn = ssm_parameter_arn(account.partition, account.region, account.account, parameter)
        read_token = {"Effect": "Allow", "Action": ["ssm:GetParameter"], "Resource": arn}
        config["extra_permissions"] = [*config.get("extra_permissions", []), read_token]
    return {account.stage: config}


def run_zappa(args: list[str]) -> int:
    """Run Zappa from this virtualenv, as an activated one would."""
    env = {**os.environ, "VIRTUAL_ENV": sys.prefix}
    zappa = Path(sys.executable).with_name("zappa")
    return subprocess.call([str(zappa), *args, "--disable_progress"], cwd=ROOT, env=env)


def keep_warm_allowed(account: Account) -> list[str]:
    """The EventBridge rules the function's resource policy lets invoke it (Zappa's keep-warm rule)."""
    client = account.client("lambda")
    try:
        policy = json.loads(client.get_policy(FunctionName=account.lambda_name)["Policy"])
    except client.exceptions.ResourceNotFoundException:
        return []
    rules = []
    for statement in policy.get("Statement", []):
        principal = statement.get("Principal", {})
        source = statement.get("Condition", {}).get("ArnLike", {}).get("AWS:SourceArn", "")
        if principal.get("Service") == "events.amazonaws.com" and ":rule/" in source:
            rules.append(source.split(":rule/", 1)[1])
    return sorted(rules)


def api_url(account: Account) -> str | None:
    """The stage's public base URL: its custom domain, or the execute-api URL of its REST API."""
    if account.config.get("domain"):
        return f"https://{account.config['domain']}"
    paginator = account.client("apigateway").get_paginator("get_rest_apis")
    for page in paginator.paginate():
        for api in page.get("items", []):
            if api.get("name") == account.lambda_name:
                return f"https://{api['id']}.execute-api.{account.region}.amazonaws.com/{account.stage}"
    return None


def finish(account: Account) -> None:
    """After Zappa: log retention, execution logging off, the dashboard (each safe to repeat)."""
    logs = account.client("logs")
    group = f"/aws/lambda/{account.lambda_name}"
    with contextlib.suppress(logs.exceptions.ResourceAlreadyExistsException):
        logs.create_log_group(logGroupName=group)
    days = int(account.config.get(RETENTION_SETTING, RETENTION_DAYS))
    logs.put_retention_policy(logGroupName=group, retentionInDays=days)
    print(f"{account.stage}: log group {group} keeps logs for {days} days", flush=True)

    gateway = account.client("apigateway")
    for api in gateway.get_rest_apis(limit=500).get("items", []):
        if api.get("name") == account.lambda_name:
            gateway.update_stage(
                restApiId=api["id"],
                stageName=account.stage,
                patchOperations=[
                    {"op": "replace", "path": "/*/*/logging/loglevel", "value": "OFF"},
                    {"op": "replace", "path": "/*/*/logging/dataTrace", "value": "false"},
                ],
            )

    if account.config.get("keep_warm", True):
        rules = keep_warm_allowed(account)
        if rules:
            print(f"{account.stage}: EventBridge may invoke the function for {', '.join(rules)}", flush=True)
        else:
            print(
                f"{account.stage}: no EventBridge rule may invoke the function: keep-warm will not run",
                file=sys.stderr,
            )

    name = dashboard.name(account.lambda_name)
    body = dashboard.body(account.lambda_name, account.stage, account.region)
    account.client("cloudwatch").put_dashboard(DashboardName=name, DashboardBody=json.dumps(body))
    print(
        f"{account.stage}: CloudWatch dashboard {name}: https://{account.region}.console.aws.amazon.com"
        f"/cloudwatch/home?region={account.region}#dashboards:name={name}",
        flush=True,
    )


def next_steps(base: str) -> str:
    """What to paste into Twilio, said in full."""
    from routes import sms, voice  # the app's own last-resort answers

    return "\n".join(
        [
            "",
            "Last step, in the Twilio console, on the phone number:",
            f"  Messaging, 'A message comes in': Webhook, HTTP POST, {base}/sms",
            f"  Voice, 'A call comes in':        Webhook, HTTP POST, {base}/voice",
            "  Fallback URLs: a TwiML Bin for each, so people are still helped if the function fails.",
            "  Messaging fallback TwiML:",
            f"    {sms.FALLBACK}",
            "  Voice fallback TwiML:",
            f"    {voice.FALLBACK}",
            "",
        ]
    )


def undeploy(account: Account, settings_file: Path, run: Callable[[list[str]], int]) -> int:
    """Remove the stage: Zappa's function, API, rules and logs, then the dashboard."""
    stage = account.stage
    code = run(["undeploy", stage, "--settings_file", str(settings_file), "--yes", "--remove-logs"])
    if code != 0:
        print(f"{stage}: zappa undeploy failed (exit {code}); see its message above", file=sys.stderr)
        return code
    account.client("cloudwatch").delete_dashboards(DashboardNames=[dashboard.name(account.lambda_name)])
    print(f"{stage}: undeployed; dashboard {dashboard.name(account.lambda_name)} deleted", flush=True)
    return 0


def main(argv: list[str] | None = None, *, run: Callable[[list[str]], int] = run_zappa) -> int:
    parser = argparse.ArgumentParser(prog="deploy", description=__doc__.split("\n\n")[0])
    parser.add_argument("stage", nargs="?", default="production", help="a stage in zappa_settings.json")
    parser.add_argument(
        "-s", "--settings_file", type=Path, default=SETTINGS, help="Zappa's settings (zappa_settings.json)"
    )
    parser.add_argument("--undeploy", action="store_true", help="remove the stage from AWS instead")
    args = parser.parse_args(argv)
    stage: str = args.stage
    settings_file: Path = args.settings_file
    where = settings_file.name
    try:
        settings = json.loads(settings_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"{where}: cannot be read ({exc})", file=sys.stderr)
        return 2
    found = problems(settings, stage, where)
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        return 2
    try:
        account = connect(settings_file, stage)
        if args.undeploy:
            return undeploy(account, settings_file, run)
        live = preflight(account, where)
    except NotReady as exc:
        print(f"{stage}: {exc}", file=sys.stderr)
        return 2
    command = "update" if live else "deploy"
    state = "live, updating it" if live else "not live yet, deploying it"
    print(f"{stage}: {state} (zappa {command} {stage})", flush=True)
    with tempfile.TemporaryDirectory(prefix="zappa-settings-") as folder:
        settings_for_zappa = Path(folder) / "zappa_settings.json"
        settings_for_zappa.write_text(json.dumps(for_zappa(settings, account), indent=2), encoding="utf-8")
        code = run([command, stage, "--settings_file", str(settings_for_zappa)])
    if code != 0:
        print(f"{stage}: zappa {command} failed (exit {code}); see its message above", file=sys.stderr)
        return code
    finish(account)
    base = api_url(account)
    if base is None:
        print(f"{stage}: no API Gateway found for {account.lambda_name}", file=sys.stderr)
        return 1
    print(next_steps(base), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
