"""Cold start and zip size of the Lambda package, beside a baseline measured in the same run.

Baseline: the smallest Flask app that answers /sms with twilio's MessagingResponse (bench/baseline),
packaged by Zappa with its defaults (its own handler, everything in the virtualenv) from a virtualenv
of the same pinned packages as pip leaves them. Only `use_precompiled_packages` is off, so the build
stays offline; on Linux x86-64 it would swap in the same manylinux wheels.

Cold start, as Lambda runs it: each zip is unpacked with fresh timestamps, and every run is a new
Python process that sees only the unpacked folder (plus boto3, which the Lambda runtime provides),
writes no bytecode, imports the handler and answers an SMS and then a call, both as REST API events.
Times run from just before the process is started. Runs alternate between packages; medians are shown.

    python -m bench.coldstart [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from twilio.request_validator import RequestValidator

from tests import lambda_events as events
from tests.lambda_sandbox import ROOT, Sandbox, build_package, lambda_runtime, unpack
from tests.twilio_fake import TOKEN

BASELINE_PROJECT = ROOT / "bench" / "baseline"
BASELINE_VENV = ROOT / "build" / "baseline-venv"
SMS = {"From": "+447700900123", "To": "+441632960000", "Body": "WALES", "NumMedia": "0"}
CALL = {"From": "+447700900123", "To": "+441632960000", "CallStatus": "ringing", "Direction": "inbound"}
GOAL_COLD_START_RATIO = 0.30
GOAL_ZIP_BYTES = 5_000_000


@dataclass
class Subject:
    name: str
    task: Path
    stage: str
    module: str
    function: str
    zip_bytes: int
    runs: list[tuple[float, float, float]]


def signed_event(stage: str, path: str, params: dict[str, str]) -> dict[str, object]:
    url = f"https://{events.API_HOST}/{stage}{path}"
    signature = RequestValidator(TOKEN).compute_signature(url, params)
    return events.rest_v1(url, params, signature, stage=stage)


def one_run(subject: Subject, runtime: Path) -> tuple[float, float, float]:
    """(handler imported, first SMS answered, first call answered), seconds from process start."""
    env = {"TWILIO_AUTH_TOKEN": TOKEN}
    with Sandbox(subject.task, runtime, env=env, module=subject.module, function=subject.function) as sandbox:
        if not sandbox.ready.get("ready"):
            raise RuntimeError(f"{subject.name} did not start: {sandbox.ready}")
        sms = sandbox.invoke(signed_event(subject.stage, "/sms", SMS))
        call = sandbox.invoke(signed_event(subject.stage, "/voice", CALL))
    if sms["result"]["statusCode"] != 200:
        raise RuntimeError(f"{subject.name} did not answer the SMS: {sms['result']}")
    return sandbox.ready["t"], sms["t"], call["t"]


def build(folder: Path) -> tuple[Path, Path]:
    ours = build_package(folder / "ours.zip")
    baseline = build_package(
        folder / "baseline.zip", project=BASELINE_PROJECT, stage="baseline", venv=BASELINE_VENV
    )
    return ours, baseline


def without_bytecode(task: Path, copy: Path) -> Path:
    """Our package with its shipped bytecode removed: shows what that bytecode is worth."""
    shutil.copytree(task, copy, symlinks=True)
    for cache in list(copy.rglob("__pycache__")):
        shutil.rmtree(cache)
    return copy


def table(subjects: list[Subject]) -> str:
    ours, bare, baseline = subjects

    def median_ms(index: int) -> Callable[[Subject], float]:
        return lambda s: statistics.median(run[index] for run in s.runs) * 1000

    rows: list[tuple[str, Callable[[Subject], float], str]] = [
        ("handler imported", median_ms(0), "ms"),
        ("first SMS answered", median_ms(1), "ms"),
        ("first call answered", median_ms(2), "ms"),
    ]
    header = f"{'':22}{'ours':>12}{'baseline':>12}{'ratio':>8}   {'ours, no bytecode':>18}{'ratio':>8}"
    o, b = ours.zip_bytes / 1e6, baseline.zip_bytes / 1e6
    lines = [
        header,
        "-" * len(header),
        f"{'zip size':22}{o:>9.2f} MB{b:>9.2f} MB{o / b:>8.2f}   {'(same zip)':>18}",
    ]
    for label, value, unit in rows:
        o, b, n = value(ours), value(baseline), value(bare)
        lines.append(
            f"{label:22}{o:>9.1f} {unit}{b:>9.1f} {unit}{o / b:>8.2f}   {n:>15.1f} {unit}{n / b:>8.2f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="cold starts per package (default 7)")
    runs = max(1, min(parser.parse_args().runs, 50))
    with tempfile.TemporaryDirectory(prefix="coldstart-") as tmp:
        folder = Path(tmp)
        ours_zip, baseline_zip = build(folder)
        runtime = lambda_runtime(folder / "runtime")
        ours_task = unpack(ours_zip, folder / "ours")
        subjects = [
            Subject(
                "ours",
                ours_task,
                "production",
                "lambda_gateway.handler",
                "handler",
                ours_zip.stat().st_size,
                [],
            ),
            Subject(
                "ours, no bytecode",
                without_bytecode(ours_task, folder / "ours-bare"),
                "production",
                "lambda_gateway.handler",
                "handler",
                ours_zip.stat().st_size,
                [],
            ),
            Subject(
                "baseline",
                unpack(baseline_zip, folder / "baseline"),
                "baseline",
                "handler",
                "lambda_handler",
                baseline_zip.stat().st_size,
                [],
            ),
        ]
        for run in range(runs):
            for subject in subjects[run % 3 :] + subjects[: run % 3]:
                subject.runs.append(one_run(subject, runtime))
    print(
        f"Lambda cold start, median of {runs} fresh processes each (REST API events, no bytecode written)\n"
    )
    print(table(subjects))
    ours, _, baseline = subjects
    cold = statistics.median(r[2] for r in ours.runs) / statistics.median(r[2] for r in baseline.runs)
    print(
        f"\ngoals: first call answered <= {GOAL_COLD_START_RATIO}x baseline: "
        f"{'met' if cold <= GOAL_COLD_START_RATIO else 'NOT met'} ({cold:.2f}x); "
        f"zip <= {GOAL_ZIP_BYTES / 1e6:.0f} MB: {'met' if ours.zip_bytes <= GOAL_ZIP_BYTES else 'NOT met'}"
    )
    print("baseline: Zappa's handler; it has no /voice, so its 'first call' is a 404 from Flask.")


if __name__ == "__main__":
    main()
