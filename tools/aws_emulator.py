"""An AWS emulator on 127.0.0.1 (moto's server), and `make deploy-local`: a whole deploy against it.

`Emulator` starts moto's server in a process of its own on a free loopback port and stops it; `env()`
gives the environment that points boto3 and Zappa at it, with made-up credentials and no AWS
configuration file, so nothing can reach a real account. The server adds one call moto lacks and
Zappa makes on every `zappa update`: ListFunctionUrlConfigs, answered from moto's own
GetFunctionUrlConfig.

    python -m tools.aws_emulator [STAGE]     # make deploy-local: start, deploy, show, stop
    python -m tools.aws_emulator --serve     # serve until stopped, printing the port first
"""

from __future__ import annotations

import argparse
import json
import os
import re
import select
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEPLOY_PYTHON = ROOT / "build" / "deploy-venv" / "bin" / "python"
HOST = "127.0.0.1"
LOCAL_BUCKET = "helpline-router-local-deploys"
START_SECONDS = 60

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

_FUNCTION_URLS = re.compile(r"^/(?P<version>[^/]+)/functions/(?P<name>[^/]+)/urls/?$")


def with_function_url_list(app: WSGIApp) -> WSGIApp:
    """Answer Lambda's ListFunctionUrlConfigs (missing from moto) from GetFunctionUrlConfig."""

    def listing(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        found = _FUNCTION_URLS.match(environ.get("PATH_INFO", ""))
        if not found or environ.get("REQUEST_METHOD") != "GET":
            return app(environ, start_response)
        path = f"/{found['version']}/functions/{found['name']}/url"
        one = {**environ, "PATH_INFO": path, "REQUEST_URI": path, "RAW_URI": path, "QUERY_STRING": ""}
        status: list[str] = []
        body = b"".join(app(one, lambda code, headers, exc_info=None: status.append(code)))
        configs = [json.loads(body)] if status and status[0].startswith("2") else []
        answer = json.dumps({"FunctionUrlConfigs": configs}).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(answer)))])
        return [answer]

    return listing


def serve() -> None:
    """Serve moto on a free loopback port; print the port, then serve until stopped."""
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    app = with_function_url_list(DomainDispatcherApplication(create_backend_app))
    server = make_server(HOST, 0, app, threaded=True, request_handler=MotoRequestHandler)
    os.environ["MOTO_PORT"] = str(server.server_port)
    print(server.server_port, flush=True)
    server.serve_forever()


class Emulator:
    """moto's server in a child process on 127.0.0.1, started on entry and stopped on exit."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None
        self.endpoint = ""

    def __enter__(self) -> Emulator:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tools.aws_emulator", "--serve"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        started, _, _ = select.select([self.process.stdout], [], [], START_SECONDS)
        port = self.process.stdout.readline().strip() if started else ""
        if not port.isdigit():
            self.stop()
            raise RuntimeError("the AWS emulator did not start (is moto installed? `make test` installs it)")
        self.endpoint = f"http://{HOST}:{port}"
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                with urllib.request.urlopen(f"{self.endpoint}/moto-api/data.json", timeout=5):
                    return
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"the AWS emulator at {self.endpoint} did not answer") from None
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.process = None

    def reset(self) -> None:
        """Forget every resource, as a fresh emulator would."""
        request = urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=30):
            pass

    def env(self, region: str = "eu-west-2", base: Mapping[str, str] | None = None) -> dict[str, str]:
        """An environment that reaches this emulator and nothing else: no AWS_* of the caller's, no
        profile or configuration file, made-up credentials."""
        env = {k: v for k, v in (os.environ if base is None else base).items() if not k.startswith("AWS_")}
        env.update(
            AWS_ENDPOINT_URL=self.endpoint,
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_DEFAULT_REGION=region,
            AWS_CONFIG_FILE=os.devnull,
            AWS_SHARED_CREDENTIALS_FILE=os.devnull,
            AWS_EC2_METADATA_DISABLED="true",
        )
        return env


def local_settings(settings: Mapping[str, Any], stage: str) -> dict[str, Any]:
    """The settings for a deploy to the emulator: the stage's own, a bucket if it names none, no
    AWS profile, and `touch` off (its request goes to the execute-api host, which only AWS has)."""
    local = {name: dict(config) for name, config in settings.items()}
    config = local.get(stage)
    if config is not None:
        config.setdefault("s3_bucket", LOCAL_BUCKET)
        config.pop("profile_name", None)
        config["touch"] = False
    return local


def describe(client: Callable[[str], Any], lambda_name: str, stage: str) -> Iterator[str]:
    """What a deploy left in the account, one line per resource (no environment variable values)."""
    function = client("lambda").get_function_configuration(FunctionName=lambda_name)
    names = sorted((function.get("Environment") or {}).get("Variables", {}))
    yield (
        f"function {function['FunctionName']}: {function['Runtime']}, handler {function['Handler']},"
        f" {function['MemorySize']} MB, {function['Timeout']} s, package {function['CodeSize']:,} bytes,"
        f" environment variables: {', '.join(names) or 'none'}"
    )
    gateway = client("apigateway")
    for api in gateway.get_rest_apis().get("items", []):
        if api["name"] != lambda_name:
            continue
        routes = sorted(
            f"{method} {resource['path']}"
            for resource in gateway.get_resources(restApiId=api["id"])["items"]
            for method in resource.get("resourceMethods", {})
        )
        settings = gateway.get_stage(restApiId=api["id"], stageName=stage)["methodSettings"].get("*/*", {})
        yield (
            f"API {api['id']}: {', '.join(routes)}; stage {stage}: execution logging"
            f" {settings.get('loggingLevel')}, data trace {settings.get('dataTraceEnabled')}"
        )
    events = client("events")
    for rule in events.list_rules().get("Rules", []):
        targets = events.list_targets_by_rule(Rule=rule["Name"])["Targets"]
        if any(target["Arn"].endswith(f":function:{lambda_name}") for target in targets):
            yield f"rule {rule['Name']}: {rule.get('ScheduleExpression')}, {rule['State']}"
    logs = client("logs").describe_log_groups(logGroupNamePrefix=f"/aws/lambda/{lambda_name}")
    for group in logs["logGroups"]:
        yield f"log group {group['logGroupName']}: kept {group.get('retentionInDays', 'forever')} days"
    for board in client("cloudwatch").list_dashboards(DashboardNamePrefix=lambda_name)["DashboardEntries"]:
        yield f"dashboard {board['DashboardName']}"


def deploy_local(stage: str) -> int:
    """`make deploy-local`: start the emulator, `make deploy` to it, show what exists, stop it."""
    import boto3

    from tools.deploy import SETTINGS, ssm_parameter, stage_settings

    settings = json.loads(SETTINGS.read_text(encoding="utf-8"))
    if stage not in settings:
        print(f"{SETTINGS.name}: no stage {stage!r} (stages: {', '.join(sorted(settings))})", file=sys.stderr)
        return 2
    local = local_settings(settings, stage)
    config = stage_settings(local, stage)
    region = str(config.get("aws_region", "eu-west-2"))
    lambda_name = f"{config.get('project_name', '')}-{stage}"
    with Emulator() as emulator, tempfile.TemporaryDirectory(prefix="deploy-local-") as folder:
        print(f"AWS emulator (moto) on {emulator.endpoint}; nothing here reaches AWS", flush=True)
        env = emulator.env(region)
        session = boto3.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region
        )

        def client(service: str) -> Any:
            return session.client(service, endpoint_url=emulator.endpoint)

        parameter = ssm_parameter(config)
        if parameter:  # the deploy checks that it exists; here it holds a placeholder, not a token
            client("ssm").put_parameter(Name=parameter, Type="SecureString", Value="placeholder")
        path = Path(folder) / "zappa_settings.json"
        path.write_text(json.dumps(local, indent=2), encoding="utf-8")
        command = [str(DEPLOY_PYTHON), "-m", "tools.deploy", stage, "--settings_file", str(path)]
        code = subprocess.call(command, cwd=ROOT, env=env)
        if code != 0:
            return code
        print("In the emulator now:")
        for line in describe(client, lambda_name, stage):
            print(f"  {line}")
    print("AWS emulator stopped: everything above is gone.")
    print(
        "Zappa's 'Problem creating permission to invoke Lambda function' line comes from the emulator"
        " (it answers 200 where Lambda answers 201);"
        " the line 'EventBridge may invoke the function for ...' shows the permission is there."
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="aws_emulator", description=__doc__.split("\n\n")[0])
    parser.add_argument("stage", nargs="?", default="production", help="a stage in zappa_settings.json")
    parser.add_argument("--serve", action="store_true", help="only serve the emulator, printing its port")
    args = parser.parse_args(argv)
    if args.serve:
        serve()
        return 0
    return deploy_local(args.stage)


if __name__ == "__main__":
    sys.exit(main())
