"""Find the router's figures lines in a log, whatever shape it was exported in.

Accepted: bare lines as the app prints them (`make run`, a Lambda's stdout); lines with a prefix
before the JSON (a timestamp, a request id, `aws logs tail`, Lambda's `[INFO]` logging); the JSON
of `aws logs filter-log-events` or `get-log-events` (`{"events": [...]}`); a JSON list of events
or of Logs Insights results (`@message`); a Logs Insights CSV export with a `@message` column.

Anything else is counted as skipped, by reason, and never repeated: a log line that is not a
figures line may hold anything, so no part of it reaches a report.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

NOT_FIGURES = "not figures lines"
LAMBDA = "Lambda's own lines (START, END, REPORT)"
OLDER = "figures lines of an older or unknown format"
UNREADABLE = "unreadable (not text)"

# Lambda's platform lines, after up to three prefix fields (timestamp, stream, level).
_LAMBDA_LINE = re.compile(
    r"^(?:\S+\s+){0,3}?(?:(?:START|END|REPORT) RequestId:|(?:INIT_START|INIT_REPORT|EXTENSION|TELEMETRY)\s)"
)
# Values a figures line takes: a word from a fixed vocabulary or a directory's service key.
_WORD = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
UNKNOWN = "unknown"
NO_SERVICE = "none"


@dataclass(frozen=True)
class Figure:
    """One request, as its figures line tells it: nothing more than the report needs."""

    timestamp_ms: int
    channel: str
    step: str
    directory: str
    outcome: str
    service: str
    how: str
    status: int


@dataclass
class Reading:
    """The figures found, and how many lines were skipped, for what reason."""

    figures: list[Figure] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)


def read_text(text: str) -> Reading:
    """Every figures line in `text`, in any of the accepted shapes."""
    reading = Reading()
    stripped = text.strip()
    if stripped[:1] in ("{", "["):
        try:
            document = json.loads(stripped)
        except ValueError:
            document = None
        if isinstance(document, (dict, list)) and not _is_figures(document):
            for message, fallback_ts in _events(document):
                _take(reading, message, fallback_ts)
            return reading
    lines = stripped.splitlines()
    if lines and "@message" in lines[0] and "{" not in lines[0]:
        for row in csv.DictReader(io.StringIO(stripped)):
            _take(reading, row.get("@message") or "", None)
        return reading
    for line in lines:
        _take(reading, line, None)
    return reading


def read_events(events: Iterable[dict[str, Any]], reading: Reading | None = None) -> Reading:
    """Figures from CloudWatch log events (`message`, `timestamp`), as filter_log_events returns them."""
    reading = reading or Reading()
    for event in events:
        _take(reading, event.get("message"), event.get("timestamp"))
    return reading


def _events(document: dict[str, Any] | list[Any]) -> Iterator[tuple[Any, Any]]:
    """The messages in a JSON export: {"events": [...]}, or a list of events or results."""
    items = document.get("events") if isinstance(document, dict) else document
    if not isinstance(items, list):
        yield json.dumps(document), None  # a JSON object of some other kind: counted, not read
        return
    for item in items:
        if isinstance(item, dict) and not _is_figures(item):
            message = item.get("message", item.get("@message"))
            yield message, item.get("timestamp")
        else:
            yield item, None


def _is_figures(document: object) -> bool:
    return isinstance(document, dict) and ("_aws" in document or "channel" in document)


def _take(reading: Reading, message: object, fallback_ts: object) -> None:
    """Add the figures in one log message, or count it as skipped."""
    if isinstance(message, dict):
        document: object = message
    elif isinstance(message, str):
        text = message.strip()
        if not text:
            return
        if _LAMBDA_LINE.match(text):
            reading.skipped[LAMBDA] += 1
            return
        document = _json_in(text)
    else:
        reading.skipped[UNREADABLE] += 1
        return
    if isinstance(document, dict) and not _is_figures(document):
        inner = document.get("message", document.get("@message"))
        if isinstance(inner, str) and inner is not message:
            _take(reading, inner, document.get("timestamp", fallback_ts))
            return
    if not _is_figures(document):
        reading.skipped[NOT_FIGURES] += 1
        return
    assert isinstance(document, dict)
    figure = _figure(document, fallback_ts)
    if figure is None:
        reading.skipped[OLDER] += 1
    else:
        reading.figures.append(figure)


def _json_in(text: str) -> object:
    """The JSON object that starts at the line's first "{", if there is one."""
    start = text.find("{")
    if start < 0:
        return None
    try:
        document, _ = json.JSONDecoder().raw_decode(text, start)
    except ValueError:
        return None
    return document


def _figure(line: dict[str, Any], fallback_ts: object) -> Figure | None:
    """The figure in a line, or None when it lacks a field the report needs or has one of the wrong kind."""
    meta = line.get("_aws")
    timestamp = meta.get("Timestamp") if isinstance(meta, dict) else None
    if not _is_int(timestamp):
        timestamp = fallback_ts
    channel, outcome, status = line.get("channel"), line.get("outcome"), line.get("status")
    if not (_is_int(timestamp) and isinstance(channel, str) and isinstance(outcome, str) and _is_int(status)):
        return None
    assert isinstance(timestamp, int) and isinstance(status, int)
    service = line.get("service")
    if not isinstance(service, str):
        services = line.get("services")
        if not isinstance(services, list) or not all(isinstance(s, str) for s in services):
            return None
        service = "+".join(sorted(services)) or NO_SERVICE
    directory = line.get("directory")
    return Figure(
        timestamp_ms=timestamp,
        channel=_word(channel),
        step=_word(line.get("step")),
        directory=directory if isinstance(directory, str) and len(directory) <= 80 else UNKNOWN,
        outcome=_word(outcome),
        service="+".join(sorted({_word(part) for part in service.split("+")})),
        how=_word(line.get("how")),
        status=status,
    )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _word(value: object) -> str:
    """A value from the figures' vocabulary; anything else is "unknown", so a crafted line cannot
    carry free text into a report."""
    return value if isinstance(value, str) and _WORD.match(value) else UNKNOWN
