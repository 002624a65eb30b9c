"""Run the Lambda package offline as Lambda runs it.

`build_package` makes the zip with `zappa package` from the deploy virtualenv (`make package` builds
that). `unpack` extracts it as Lambda does: fresh timestamps, so bytecode compiled before packaging
no longer matches its source. `Sandbox` starts a new Python process that sees only the unpacked
folder (plus a folder of what the Lambda runtime itself provides: boto3 and its dependencies), writes
no bytecode, imports the handler (the cold start), then calls it with one event at a time. Results
come back on a pipe of their own, so everything the process prints is captured apart from them.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEPLOY_VENV = ROOT / "build" / "deploy-venv"
SITE_PACKAGES = (
    DEPLOY_VENV / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
)
# What the Lambda Python runtime has on its path besides the function's own code.
LAMBDA_RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six.py", "urllib3")
TIMEOUT_SECONDS = 60

CHILD = r"""
import importlib, json, os, sys, time
t0 = float(sys.argv[1])
spec = json.loads(sys.argv[2])
results = os.fdopen(int(sys.argv[3]), "w")
sys.path[:0] = spec["path"]

def send(message):
    message["t"] = time.monotonic() - t0
    results.write(json.dumps(message) + "\n")
    results.flush()

import logging
# The Lambda runtime puts a handler on the root logger; the function's code sets the level.
logging.getLogger().addHandler(logging.StreamHandler(sys.stdout))

if "ssm" in spec:
    import boto3, botocore.stub
    def client(service, *args, **kwargs):
        ssm = botocore.session.get_session().create_client(
            "ssm", region_name="eu-west-2", aws_access_key_id="x", aws_secret_access_key="x")
        stub = botocore.stub.Stubber(ssm)
        expected = {"Name": spec["ssm"]["name"], "WithDecryption": True}
        if "value" in spec["ssm"]:
            stub.add_response("get_parameter", {"Parameter": {"Name": spec["ssm"]["name"],
                "Type": "SecureString", "Value": spec["ssm"]["value"]}}, expected)
        else:
            stub.add_client_error("get_parameter", spec["ssm"]["error"], expected_params=expected)
        stub.activate()
        return ssm
    boto3.client = client

try:
    module = importlib.import_module(spec["module"])
except Exception as exc:
    send({"ready": False, "error": type(exc).__name__, "message": str(exc)})
    sys.exit(0)
handler = getattr(module, spec["function"])
requests = []
if spec.get("count_requests"):
    import app
    app.app.before_request(lambda: requests.append(1) and None)
if spec.get("log_everything"):
    logging.getLogger().setLevel(logging.DEBUG)
send({"ready": True})

class Context:
    function_name = "helpline-router-production"
    memory_limit_in_mb = 512
    aws_request_id = "00000000-0000-0000-0000-000000000000"
    def get_remaining_time_in_millis(self):
        return 10000

for line in sys.stdin:
    request = json.loads(line)
    if "event" in request:
        send({"result": handler(request["event"], Context()), "requests": len(requests)})
    else:
        send({"modules": sorted({name.split(".")[0] for name in sys.modules}), "requests": len(requests)})
"""


def without_network() -> list[str]:
    """A command prefix that runs a process with no network at all, where this machine allows it."""
    if shutil.which("unshare"):
        probe = subprocess.run(["unshare", "--net", "true"], capture_output=True, timeout=30)
        if probe.returncode == 0:
            return ["unshare", "--net"]
    return []


def build_package(
    output: Path, project: Path = ROOT, stage: str = "production", venv: Path = DEPLOY_VENV
) -> Path:
    """`zappa package` from a virtualenv (the deploy one by default), with no AWS credentials and, where
    `without_network()` can, no network: `package` loads no credentials, the settings name the region,
    and `--json` skips Zappa's check for a newer Zappa."""
    zappa = venv / "bin" / "zappa"
    if not zappa.exists():
        raise FileNotFoundError(
            f"{zappa} is missing: `make package` (or `make test`, `make bench`) creates it"
        )
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    nowhere = str(output.parent / "no-aws-config")
    env.update(VIRTUAL_ENV=str(venv), AWS_CONFIG_FILE=nowhere, AWS_SHARED_CREDENTIALS_FILE=nowhere)
    command = [
        *without_network(),
        str(zappa),
        "package",
        stage,
        "--json",
        "--disable_progress",
        "-o",
        str(output),
    ]
    built = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=300)
    if built.returncode != 0:
        raise RuntimeError(f"`zappa package {stage}` failed:\n{built.stdout[-2000:]}\n{built.stderr[-4000:]}")
    return output


def unpack(zip_path: Path, folder: Path) -> Path:
    """Extract as Lambda does: files get the time of extraction, not the time in the zip."""
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(folder)
    return folder


def lambda_runtime(folder: Path) -> Path:
    """A folder holding only what the Lambda Python runtime provides (links into the deploy venv)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in LAMBDA_RUNTIME_PACKAGES:
        link = folder / name
        if not link.exists():
            link.symlink_to(SITE_PACKAGES / name)
    return folder


@dataclass
class Sandbox:
    """One Lambda instance: a fresh process from cold start until `close`."""

    task: Path
    runtime: Path | None = None
    env: dict[str, str] = field(default_factory=dict)
    module: str = "lambda_gateway.handler"
    function: str = "handler"
    options: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.ready: dict[str, Any] = {}
        self.stdout = ""
        self.stderr = ""

    def __enter__(self) -> Sandbox:
        spec = {
            "path": [str(self.task)] + ([str(self.runtime)] if self.runtime else []),
            "module": self.module,
            "function": self.function,
            **self.options,
        }
        env = {
            "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "TZ": ":UTC",
            "PYTHONDONTWRITEBYTECODE": "1",
            "LAMBDA_TASK_ROOT": str(self.task),
            "AWS_REGION": "eu-west-2",
            "AWS_DEFAULT_REGION": "eu-west-2",
            "AWS_LAMBDA_FUNCTION_NAME": "helpline-router-production",
            **self.env,
        }
        read_fd, write_fd = os.pipe()
        started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-B", "-c", CHILD, repr(started), json.dumps(spec), str(write_fd)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=self.task,
            env=env,
            pass_fds=(write_fd,),
            text=True,
        )
        os.close(write_fd)
        self.results = os.fdopen(read_fd)
        self.ready = self._receive()
        return self

    def _receive(self) -> dict[str, Any]:
        ready, _, _ = select.select([self.results], [], [], TIMEOUT_SECONDS)
        line = self.results.readline() if ready else ""
        if not line:
            self.process.kill()
            raise RuntimeError(f"the Lambda process gave no answer: {self.process.communicate()}")
        message: dict[str, Any] = json.loads(line)
        return message

    def invoke(self, event: dict[str, Any]) -> dict[str, Any]:
        """Call the handler once; the reply holds `result` and `t` (seconds since the process started)."""
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"event": event}) + "\n")
        self.process.stdin.flush()
        return self._receive()

    def report(self) -> dict[str, Any]:
        """The top-level modules the process has imported, and how many requests reached Flask."""
        assert self.process.stdin is not None
        self.process.stdin.write("{}\n")
        self.process.stdin.flush()
        return self._receive()

    def __exit__(self, *exc: object) -> None:
        self.stdout, self.stderr = self.process.communicate(timeout=TIMEOUT_SECONDS)
        self.results.close()
