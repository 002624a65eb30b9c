"""`make deploy`: one command, first time or later; it refuses what would go wrong, naming the field."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.lambda_sandbox import DEPLOY_VENV, ROOT
from tools import deploy

SHIPPED = json.loads((ROOT / "zappa_settings.json").read_text())


def with_bucket(settings: dict[str, dict[str, object]]) -> dict[str, dict[str, object]]:
    return {**settings, "production": {**settings["production"], "s3_bucket": "helpline-deploys-example"}}


class Zappa:
    """Stands in for AWS and the zappa command: remembers what it was asked to run."""

    def __init__(self, live: bool) -> None:
        self.live, self.ran = live, []

    def deployed(self, stage: str) -> bool:
        return self.live

    def run(self, command: str, stage: str) -> int:
        self.ran.append((command, stage))
        return 0


@pytest.fixture
def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "zappa_settings.json"
    path.write_text(json.dumps(with_bucket(SHIPPED)))
    monkeypatch.setattr(deploy, "SETTINGS", path)
    return path


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


@pytest.mark.parametrize(("live", "command"), [(False, "deploy"), (True, "update")])
def test_first_time_deploys_and_later_updates(
    settings_file: Path, live: bool, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    zappa = Zappa(live)
    assert deploy.main(["production"], deployed=zappa.deployed, run=zappa.run) == 0
    assert zappa.ran == [(command, "production")]
    assert f"zappa {command} production" in capsys.readouterr().out


def test_nothing_runs_without_a_bucket(settings_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings_file.write_text(json.dumps(SHIPPED))
    zappa = Zappa(live=True)
    assert deploy.main(["production"], deployed=zappa.deployed, run=zappa.run) == 2
    assert zappa.ran == [] and "production.s3_bucket is not set" in capsys.readouterr().err
    settings_file.write_text("{not json")
    assert deploy.main(["production"], deployed=zappa.deployed, run=zappa.run) == 2
    assert zappa.ran == [] and "zappa_settings.json: cannot be read" in capsys.readouterr().err


def test_make_deploy_checks_the_directories_first() -> None:
    plan = subprocess.run(
        ["make", "-n", "deploy"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    checks = [n for n, line in enumerate(plan) if "tools.check" in line]
    deploys = [n for n, line in enumerate(plan) if "tools.deploy" in line]
    assert checks and deploys and checks[0] < deploys[0], plan


def test_without_credentials_it_stops_before_zappa_starts(tmp_path: Path) -> None:
    """The real question to Zappa, from the deploy virtualenv, with no AWS credentials anywhere."""
    settings = tmp_path / "zappa_settings.json"
    settings.write_text(json.dumps(with_bucket(SHIPPED)))
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_EC2_METADATA_DISABLED="true", AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull
    )
    code = (
        "import sys, tools.deploy as d; from pathlib import Path; d.SETTINGS = Path(sys.argv[1]);"
        " sys.exit(d.main(['production'], run=lambda *a: 99))"
    )
    result = subprocess.run(
        [str(DEPLOY_VENV / "bin" / "python"), "-c", code, str(settings)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "production: no AWS credentials found" in result.stderr and "Traceback" not in result.stderr
