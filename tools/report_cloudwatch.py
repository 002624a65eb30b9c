"""Read a stage's figures lines from its CloudWatch log group, for a range of days.

The group is the one Lambda writes to, `/aws/lambda/<project_name>-<stage>`, as named in
zappa_settings.json; the region is the stage's `aws_region`. Every event in the range is read
(Lambda's own START/END/REPORT lines are counted apart), a page of up to 10,000 at a time.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tools.deploy import SETTINGS, stage_settings
from tools.report_lines import Reading, read_events


class CloudWatchError(Exception):
    """CloudWatch could not be read: said plainly, with what to do."""


def log_group(stage: str, settings_path: Path = SETTINGS) -> tuple[str, str | None]:
    """The stage's log group and region, from the Zappa settings."""
    try:
        settings = json.loads(settings_path.read_text())
    except (OSError, ValueError) as exc:
        raise CloudWatchError(f"{settings_path.name}: cannot be read ({type(exc).__name__})") from exc
    if stage not in settings:
        known = ", ".join(sorted(settings)) or "none"
        raise CloudWatchError(f"{settings_path.name}: no stage {stage!r} (stages: {known})")
    config = stage_settings(settings, stage)
    project = config.get("project_name")
    if not project:
        raise CloudWatchError(
            f"{settings_path.name}: {stage}.project_name is not set (it names the log group)"
        )
    return f"/aws/lambda/{project}-{stage}", config.get("aws_region")


def time_range(first: dt.date, last: dt.date, zone: ZoneInfo) -> tuple[int, int]:
    """From the start of `first` to the end of `last` in `zone`, in milliseconds since the epoch
    (CloudWatch includes both ends)."""
    start = dt.datetime.combine(first, dt.time(), zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), zone)
    return int(start.timestamp() * 1000), int(end.timestamp() * 1000) - 1


def events(client: Any, group: str, start_ms: int, end_ms: int) -> Iterator[dict[str, Any]]:
    """Every event of the group in the range, page after page."""
    pages = client.get_paginator("filter_log_events").paginate(
        logGroupName=group, startTime=start_ms, endTime=end_ms
    )
    for page in pages:
        yield from page.get("events", [])


def read(
    stage: str,
    first: dt.date,
    last: dt.date,
    zone: ZoneInfo,
    client: Any = None,
    settings_path: Path = SETTINGS,
) -> Reading:
    """The figures of `stage` from `first` to `last`; `client` is a boto3 CloudWatch Logs client
    (made from the environment's credentials and the stage's region when not given)."""
    import boto3  # a tool's package, imported only when CloudWatch is read
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError

    group, region = log_group(stage, settings_path)
    start_ms, end_ms = time_range(first, last, zone)
    try:
        client = client or boto3.client("logs", region_name=region)
        return read_events(events(client, group, start_ms, end_ms))
    except NoCredentialsError as exc:
        raise CloudWatchError(
            "no AWS credentials: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) to an"
            " account allowed logs:FilterLogEvents on " + group
        ) from exc
    except NoRegionError as exc:
        raise CloudWatchError(f"no AWS region: set aws_region for {stage} in zappa_settings.json") from exc
    except ClientError as exc:
        error = exc.response.get("Error", {})
        if error.get("Code") == "ResourceNotFoundException":
            raise CloudWatchError(
                f"no log group {group} in {region or 'the default region'}: has stage {stage!r} been"
                " deployed, and has it answered a request?"
            ) from exc
        raise CloudWatchError(f"CloudWatch refused: {error.get('Code')}: {error.get('Message')}") from exc
    except BotoCoreError as exc:
        raise CloudWatchError(f"CloudWatch could not be reached: {exc}") from exc
