"""`make deploy`: put a stage live with Zappa in one command, first time or any later time.

`make deploy` checks every directory first (`make check`), then runs this from the deploy
virtualenv. It refuses a stage that would lose track of its package (no `s3_bucket`: Zappa would
make up a new bucket on every run), then asks AWS whether the stage's function exists and runs
`zappa update STAGE` if it does, `zappa deploy STAGE` if not. Zappa itself refuses to deploy over
a function that exists, so a wrong answer from AWS cannot replace a live one.

    python -m tools.deploy [STAGE]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "zappa_settings.json"


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


def problems(settings: Mapping[str, Any], stage: str) -> list[str]:
    """What stops `stage` from being deployed, each naming the file and the field."""
    where = SETTINGS.name
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
    return found


class NotReady(Exception):
    """AWS cannot be asked: said before Zappa starts, rather than as a traceback halfway through."""


def zappa_says_deployed(stage: str) -> bool:
    """Whether the stage's Lambda function has versions in AWS, asked the way `zappa deploy` asks."""
    from zappa.cli import ZappaCLI  # only in the deploy virtualenv

    cli = ZappaCLI()
    cli.api_stage = stage
    cli.load_settings(str(SETTINGS))
    if cli.zappa.boto_session.get_credentials() is None:
        raise NotReady(
            "no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,"
            " for the account to deploy to"
        )
    return bool(cli.zappa.get_lambda_function_versions(cli.lambda_name))


def run_zappa(command: str, stage: str) -> int:
    """Run Zappa from this virtualenv, as an activated one would."""
    env = {**os.environ, "VIRTUAL_ENV": sys.prefix}
    zappa = Path(sys.executable).with_name("zappa")
    return subprocess.call([str(zappa), command, stage], cwd=ROOT, env=env)


def main(
    argv: list[str] | None = None,
    *,
    deployed: Callable[[str], bool] = zappa_says_deployed,
    run: Callable[[str, str], int] = run_zappa,
) -> int:
    parser = argparse.ArgumentParser(prog="deploy", description=__doc__.split("\n\n")[0])
    parser.add_argument("stage", nargs="?", default="production", help="a stage in zappa_settings.json")
    args = parser.parse_args(argv)
    try:
        settings = json.loads(SETTINGS.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"{SETTINGS.name}: cannot be read ({exc})", file=sys.stderr)
        return 2
    found = problems(settings, args.stage)
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        return 2
    try:
        live = deployed(args.stage)
    except NotReady as exc:
        print(f"{args.stage}: {exc}", file=sys.stderr)
        return 2
    command = "update" if live else "deploy"
    state = "live, updating it" if live else "not live yet, deploying it"
    print(f"{args.stage}: {state} (zappa {command} {args.stage})", flush=True)
    return run(command, args.stage)


if __name__ == "__main__":
    sys.exit(main())
