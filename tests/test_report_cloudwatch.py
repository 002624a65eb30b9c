"""Reading a stage's figures from CloudWatch Logs: the group, the range, every page; offline.

A real boto3 client answers through botocore's Stubber, which checks each request against the
service's own model and hands back the responses given here: no network, no credentials.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import boto3
import pytest
from botocore.stub import Stubber

from tests.test_report import csv_rows
from tools import report, report_cloudwatch
from tools.report_lines import LAMBDA

FIXTURES = Path(__file__).parent / "fixtures" / "figures"
GROUP = "/aws/lambda/helpline-router-production"
UTC = ZoneInfo("UTC")


@pytest.fixture
def logs() -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client(
        "logs", region_name="eu-west-2", aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def exported_events() -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = json.loads((FIXTURES / "filter-log-events.json").read_text())["events"]
    return events


def test_the_log_group_and_region_come_from_the_zappa_settings(tmp_path: Path) -> None:
    assert report_cloudwatch.log_group("production") == (GROUP, "eu-west-2")
    assert report_cloudwatch.log_group("dev") == ("/aws/lambda/helpline-router-dev", "eu-west-2")
    settings = tmp_path / "zappa_settings.json"
    settings.write_text(json.dumps({"staging": {"aws_region": "us-east-1"}}))
    with pytest.raises(report_cloudwatch.CloudWatchError, match=r"staging.project_name is not set"):
        report_cloudwatch.log_group("staging", settings)
    with pytest.raises(report_cloudwatch.CloudWatchError, match=r"no stage 'live' \(stages: staging\)"):
        report_cloudwatch.log_group("live", settings)


def test_a_range_of_days_runs_from_midnight_to_midnight_where_the_days_are() -> None:
    start, end = report_cloudwatch.time_range(dt.date(2026, 10, 1), dt.date(2026, 12, 31), UTC)
    assert start == int(dt.datetime(2026, 10, 1, tzinfo=dt.UTC).timestamp() * 1000)
    assert end == int(dt.datetime(2027, 1, 1, tzinfo=dt.UTC).timestamp() * 1000) - 1
    london, _ = report_cloudwatch.time_range(
        dt.date(2026, 10, 1), dt.date(2026, 10, 1), ZoneInfo("Europe/London")
    )
    assert london == start - 3_600_000  # British Summer Time


def test_every_page_of_the_range_is_read_into_the_report(logs: tuple[Any, Stubber], tmp_path: Path) -> None:
    client, stubber = logs
    events = exported_events()
    start, end = report_cloudwatch.time_range(dt.date(2026, 11, 1), dt.date(2026, 11, 30), UTC)
    asked = {"logGroupName": GROUP, "startTime": start, "endTime": end}
    stubber.add_response("filter_log_events", {"events": events[:10], "nextToken": "page-2"}, asked)
    stubber.add_response("filter_log_events", {"events": events[10:]}, {**asked, "nextToken": "page-2"})

    reading = report_cloudwatch.read("production", dt.date(2026, 11, 1), dt.date(2026, 11, 30), UTC, client)
    assert len(reading.figures) == 7 and reading.skipped == {LAMBDA: 21}
    report.make_report(reading, tmp_path, first=dt.date(2026, 11, 1), last=dt.date(2026, 11, 30))
    assert csv_rows(tmp_path) == {
        dt.date(2026, 11, 3): {
            ("sms", "helpline-given", "wales"): 1,
            ("sms", "menu", "none"): 1,
            ("sms", "silent", "none"): 1,
            ("voice", "menu", "none"): 1,
            ("voice", "helpline-given", "scotland"): 1,
            ("voice", "failover", "england"): 1,
            ("voice", "answered", "none"): 1,
        }
    }
    page = (tmp_path / "report.html").read_text()
    assert "1 November 2026 to 30 November 2026" in page and "21 Lambda&#x27;s own lines" in page


def test_a_stage_never_deployed_is_said_plainly(logs: tuple[Any, Stubber]) -> None:
    client, stubber = logs
    stubber.add_client_error(
        "filter_log_events", "ResourceNotFoundException", "The specified log group does not exist."
    )
    with pytest.raises(report_cloudwatch.CloudWatchError, match="no log group " + GROUP + " in eu-west-2"):
        report_cloudwatch.read("production", dt.date(2026, 10, 1), dt.date(2026, 10, 2), UTC, client)


def test_access_denied_is_passed_on_with_its_code(logs: tuple[Any, Stubber]) -> None:
    client, stubber = logs
    stubber.add_client_error("filter_log_events", "AccessDeniedException", "not authorized", 400)
    with pytest.raises(report_cloudwatch.CloudWatchError, match="AccessDeniedException: not authorized"):
        report_cloudwatch.read("production", dt.date(2026, 10, 1), dt.date(2026, 10, 2), UTC, client)


def test_no_credentials_gives_a_clear_message_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                 "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                 "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # never ask an instance metadata service
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    args = ["--stage", "production", "--from", "2026-10-01", "--to", "2026-12-31", "--out", str(tmp_path)]
    assert report.main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("report: no AWS credentials") and GROUP in err and "Traceback" not in err
    assert not (tmp_path / "report.html").exists()
