"""Usage reports: made from the figures lines of known conversations, they count exactly what was sent.

The conversations are driven through the app with signed requests, as Twilio sends them, over
three days; the lines the app prints are captured, and only each day's timestamps are moved to
that day. What the CSV and the page must say is written out by hand from the conversations.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.twilio_fake import CALLER, Twilio
from tools import report
from tools.report_counts import count
from tools.report_demo import demo
from tools.report_lines import LAMBDA, NOT_FIGURES, OLDER, read_text
from tools.report_page import csv_text

FIXTURES = Path(__file__).parent / "fixtures" / "figures"
DAYS = [dt.date(2026, 10, 1), dt.date(2026, 10, 2), dt.date(2026, 10, 3)]
WORDS = ["Zanzibar", "quokka", "Marmalade", "periwinkle"]  # said by callers; never in a report
SID = re.compile(r"\b(?:SM|MM|CA)[0-9a-f]{32}\b", re.IGNORECASE)


def day_one(twilio: Twilio) -> None:
    for body in ("WALES", "wales", "MEN", "scotland or wales", "HELP", "STOP", "Zanzibar quokka"):
        twilio.sms(body)
    twilio.call().start().press("2").dial_ends("completed")


def day_two(twilio: Twilio) -> None:
    twilio.sms("CYMRU")
    twilio.sms("england")
    twilio.call().start().press("3").dial_ends("busy").dial_ends("completed")
    twilio.call().start().silence().dial_ends("completed")
    twilio.call().start().say("Marmalade periwinkle Wales").dial_ends("completed")


def day_three(twilio: Twilio) -> None:
    Twilio(twilio.client, token="not-the-token").sms("WALES")
    twilio.sms("IM1 1AA")
    twilio.call().start().press("9").press("4").dial_ends("no-answer").dial_ends("failed")
    twilio.client.get("/healthz")


# What each day's conversations came to, by hand: (channel, outcome, service) -> count.
EXPECTED = {
    DAYS[0]: {
        ("sms", "helpline-given", "wales"): 2,
        ("sms", "helpline-given", "men"): 1,
        ("sms", "helpline-given", "scotland+wales"): 1,
        ("sms", "menu", "none"): 2,  # HELP, and words that name no helpline
        ("sms", "silent", "none"): 1,
        ("voice", "menu", "none"): 1,
        ("voice", "helpline-given", "wales"): 1,
        ("voice", "answered", "none"): 1,
    },
    DAYS[1]: {
        ("sms", "helpline-given", "wales"): 1,
        ("sms", "helpline-given", "england"): 1,
        ("voice", "menu", "none"): 3,
        ("voice", "helpline-given", "scotland"): 1,
        ("voice", "failover", "england"): 1,  # Scotland's line was busy
        ("voice", "helpline-given", "england"): 1,  # the silent caller, put through to the national line
        ("voice", "helpline-given", "wales"): 1,  # said "Wales"
        ("voice", "answered", "none"): 3,
    },
    DAYS[2]: {
        ("sms", "refused", "none"): 1,
        ("sms", "helpline-given", "none"): 1,  # the Isle of Man: no service there, the national line
        ("voice", "menu", "none"): 2,  # the greeting, and the menu again on 9
        ("voice", "helpline-given", "northern-ireland"): 1,
        ("voice", "failover", "england"): 1,
        ("voice", "read-out", "none"): 1,  # the national line failed too
    },
}


def captured(
    twilio: Twilio, capfd: pytest.CaptureFixture[str], day: dt.date, talk: Callable[[Twilio], None]
) -> list[str]:
    """The figures lines the app printed during `talk`, moved to `day` (the hour kept apart)."""
    capfd.readouterr()
    talk(twilio)
    lines = []
    noon = int(dt.datetime.combine(day, dt.time(12), dt.UTC).timestamp() * 1000)
    for i, text in enumerate(capfd.readouterr().out.splitlines()):
        line = json.loads(text)
        line["_aws"]["Timestamp"] = noon + i * 1000
        lines.append(json.dumps(line, separators=(",", ":")))
    return lines


@pytest.fixture
def conversations(twilio: Twilio, capfd: pytest.CaptureFixture[str]) -> str:
    lines: list[str] = []
    for day, talk in zip(DAYS, (day_one, day_two, day_three), strict=True):
        lines += captured(twilio, capfd, day, talk)
    return "\n".join(lines) + "\n"


def csv_rows(out: Path | str) -> dict[dt.date, dict[tuple[str, str, str], int]]:
    """The rows of OUT/report.csv (or of the CSV text given)."""
    text = out if isinstance(out, str) else (out / "report.csv").read_text()
    reader = csv.reader(io.StringIO(text))
    assert next(reader) == ["date", "channel", "outcome", "service", "count"]
    rows: dict[dt.date, dict[tuple[str, str, str], int]] = {}
    for date, channel, outcome, service, n in reader:
        day = rows.setdefault(dt.date.fromisoformat(date), {})
        assert (channel, outcome, service) not in day, "one row per day, channel, outcome and service"
        day[(channel, outcome, service)] = int(n)
    return rows


class Page(HTMLParser):
    """The page's tiles (number, label) and its tables' rows, as text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.tiles: dict[str, int] = {}
        self.text: list[str] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._tile: list[str] | None = None
        self._depth = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "section" and ("class", "tiles") in attrs:
            self._depth = 1
        elif tag == "div" and self._depth:
            self._tile = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None
        elif tag == "div" and self._tile is not None:
            number, label = self._tile
            self.tiles[label] = int(number.replace(",", ""))
            self._tile = None
        elif tag == "section":
            self._depth = 0

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._tile is not None:
            self._tile.append(data)

    def table(self, heading: str) -> dict[str, list[str]]:
        for table in self.tables:
            if table and table[0][0] == heading:
                return {row[0]: row[1:] for row in table[1:]}
        raise AssertionError(f"no table headed {heading!r}")


def test_a_report_of_known_conversations_counts_exactly_what_was_sent(
    conversations: str, tmp_path: Path
) -> None:
    figures = tmp_path / "figures.jsonl"
    figures.write_text(conversations)
    assert report.main(["--figures", str(figures), "--out", str(tmp_path / "out")]) == 0
    assert csv_rows(tmp_path / "out") == EXPECTED

    page = Page((tmp_path / "out" / "report.html").read_text())
    assert page.tiles == {
        "Texts received": 7 + 2 + 1,  # the forged text is not counted
        "Texts given a helpline": 4 + 2 + 1,
        "Calls": 1 + 3 + 1,
        "Calls put through": 1 + 3 + 1,
        "Failovers": 2,
        "Menus sent or read": 2 + 1 + 3 + 2,
        "Fallbacks": 0,
        "Opt-out words": 1,
    }
    helplines = page.table("Helpline")
    # a text naming two places counts for each; England is the national line failed over to
    assert helplines["Live Fear Free Helpline"] == ["4", "2", "0"]
    assert helplines["National Domestic Abuse Helpline"] == ["1", "1", "2"]
    assert helplines["Scotland's Domestic Abuse and Forced Marriage Helpline"] == ["1", "1", "0"]
    assert helplines["Men's Advice Line"] == ["1", "0", "0"]
    assert helplines["Domestic and Sexual Abuse Helpline"] == ["0", "1", "0"]
    assert helplines["National line (place not covered)"] == ["1", "0", "0"]
    outcomes = page.table("Outcome")
    assert outcomes["Helpline given"] == ["7", "5", "12"]
    assert outcomes["Failover to the national line"] == ["0", "2", "2"]
    assert "Not understood, asked again" not in outcomes  # nobody was asked again
    assert outcomes["Put through and answered"] == ["0", "4", "4"]
    assert outcomes["National line failed, number read out"] == ["0", "1", "1"]
    assert outcomes["Refused (bad signature)"] == ["1", "0", "1"]
    text = " ".join(page.text)
    assert "1 October 2026 to 3 October 2026" in text and "1 health check (not conversations)" in text
    assert "No caller data, ever" in text


def test_a_report_holds_no_caller_data(conversations: str, tmp_path: Path) -> None:
    figures = tmp_path / "figures.jsonl"
    # whatever else sits in the log beside the figures lines is never repeated in a report
    figures.write_text(f"{CALLER} said Zanzibar quokka\n{conversations}SM{'ab' * 16}\n")
    assert CALLER in figures.read_text() and SID.findall(figures.read_text())
    assert report.main(["--figures", str(figures), "--out", str(tmp_path)]) == 0
    for name in ("report.html", "report.csv"):
        written = (tmp_path / name).read_text()
        assert CALLER[1:] not in written and "7700" not in written and not SID.findall(written), name
        assert not any(word.lower() in written.lower() for word in WORDS), name


@pytest.mark.parametrize("name", ["filter-log-events.json", "logs-insights.csv", "logs-tail.txt"])
def test_every_export_shape_gives_the_same_report(name: str) -> None:
    """CloudWatch's exports of the same four requests (a text, a menu, a call with a failover, STOP)."""

    def rows(path: Path) -> dict[dt.date, dict[tuple[str, str, str], int]]:
        return csv_rows(csv_text(count(report.read_file(path).figures, ZoneInfo("UTC"))))

    assert (
        rows(FIXTURES / "bare.jsonl")
        == rows(FIXTURES / name)
        == {
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
    )


def test_lambda_lines_and_other_log_lines_are_counted_apart() -> None:
    events = read_text((FIXTURES / "filter-log-events.json").read_text())
    assert len(events.figures) == 7 and events.skipped == {LAMBDA: 21}
    tail = read_text((FIXTURES / "logs-tail.txt").read_text())
    assert len(tail.figures) == 7 and tail.skipped == {LAMBDA: 14}


def test_logs_insights_json_and_logging_prefixes_are_read_too() -> None:
    bare = (FIXTURES / "bare.jsonl").read_text().splitlines()
    insights = json.dumps([{"@timestamp": "2026-11-03 09:15:00.000", "@message": line} for line in bare])
    prefixed = "".join(f"[INFO]\t2026-11-03T09:15:00.000Z\t{i:08d}-aaaa-bbbb-cccc-dddddddddddd\t{line}\n"
                       for i, line in enumerate(bare))  # fmt: skip
    expected = read_text("\n".join(bare)).figures
    assert len(expected) == 7
    for text in (insights, prefixed):
        reading = read_text(text)
        assert reading.figures == expected and not reading.skipped


def test_a_make_run_capture_with_other_lines_is_read_and_the_rest_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A `make run` capture: banner, access log, a cut line, a line of an older format, binary, WhatsApp."""
    reading = read_text((FIXTURES / "make-run.log").read_bytes().decode("utf-8", errors="replace"))
    assert reading.skipped == {NOT_FIGURES: 14, OLDER: 1}
    assert report.main(["--figures", str(FIXTURES / "make-run.log"), "--out", str(tmp_path)]) == 0
    said = capsys.readouterr().out
    assert "1 figures lines of an older or unknown format; 14 not figures lines" in said
    assert csv_rows(tmp_path) == {
        dt.date(2026, 11, 3): {
            ("sms", "helpline-given", "wales"): 1,
            ("sms", "helpline-given", "scotland"): 1,
            ("sms", "refused", "none"): 1,
            ("whatsapp", "helpline-given", "scotland"): 1,
        }
    }
    html = (tmp_path / "report.html").read_text()
    assert "14 not figures lines" in html and "WhatsApp" in html and "447700900000" not in html


def test_days_follow_the_time_zone_and_the_range(tmp_path: Path) -> None:
    """23:30 UTC on 31 October is the 1st of November in... UTC+0 in winter: the clocks went back
    on 25 October. 23:30 UTC on 30 September is 1 October in London (summer time)."""
    late = {"_aws": {"Timestamp": int(dt.datetime(2026, 9, 30, 23, 30, tzinfo=dt.UTC).timestamp() * 1000)},
            "channel": "sms", "step": "message", "directory": "d", "outcome": "menu", "service": "none",
            "services": [], "how": "unknown", "status": 200}  # fmt: skip
    figures = tmp_path / "late.jsonl"
    figures.write_text(json.dumps(late) + "\n")
    args = ["--figures", str(figures), "--from", "2026-10-01", "--to", "2026-10-31"]
    assert report.main([*args, "--out", str(tmp_path / "utc")]) == 0
    assert csv_rows(tmp_path / "utc") == {}
    assert report.main([*args, "--out", str(tmp_path / "london"), "--timezone", "Europe/London"]) == 0
    assert csv_rows(tmp_path / "london") == {dt.date(2026, 10, 1): {("sms", "menu", "none"): 1}}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--figures", "no/such/file.log"], "no file no/such/file.log"),
        (["--figures", "."], "is a folder"),
        (["--figures", str(FIXTURES / "bare.jsonl"), "--from", "2026-12-31", "--to", "2026-10-01"],
         "--from 2026-12-31 is after --to 2026-10-01"),
        (["--stage", "production"], "reading CloudWatch needs a range"),
        (["--figures", str(FIXTURES / "bare.jsonl"), "--timezone", "Mars/Olympus"], "unknown time zone"),
    ],
)  # fmt: skip
def test_bad_requests_get_a_clear_message(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert report.main([*args, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("report: ") and message in err and "Traceback" not in err


def test_a_date_that_is_not_a_date_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        report.main(["--figures", "x", "--from", "2026-13-01"])
    assert stop.value.code == 2 and "'2026-13-01' is not a date such as 2026-10-01" in capsys.readouterr().err


@pytest.mark.parametrize("content", ["", "\n\n", "not a log at all\n", "\x00\x01\x02"])
def test_an_empty_file_or_range_still_makes_a_report_that_says_so(
    content: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    figures = tmp_path / "figures.log"
    figures.write_text(content)
    assert report.main(["--figures", str(figures), "--out", str(tmp_path)]) == 0
    assert "No figures lines" in capsys.readouterr().out
    assert (tmp_path / "report.csv").read_text() == "date,channel,outcome,service,count\n"
    assert "No texts or calls in this range" in (tmp_path / "report.html").read_text()


def test_a_range_with_nothing_in_it_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--figures", str(FIXTURES / "bare.jsonl"), "--from", "2027-01-01", "--to", "2027-03-31"]
    assert report.main([*args, "--out", str(tmp_path)]) == 0
    said = capsys.readouterr().out
    assert (
        "No figures lines from 2027-01-01 to 2027-03-31" in said
        and "7 figures lines outside the range" in said
    )
    assert "No texts or calls in this range" in (tmp_path / "report.html").read_text()


STAMP = {"_aws": {"Timestamp": 1793700000000}}
FIELDS = {"channel": "sms", "outcome": "menu", "status": 200, "service": "none"}


@pytest.mark.parametrize(
    "line",
    [
        {"_aws": {"Timestamp": "yesterday"}, **FIELDS},
        {**STAMP, **FIELDS, "status": "200"},
        {**STAMP, **FIELDS, "channel": ["sms"]},
        {**STAMP, **{k: v for k, v in FIELDS.items() if k != "service"}, "services": "wales"},
        {**STAMP, **{k: v for k, v in FIELDS.items() if k != "outcome"}, "result": "routed"},
        dict(FIELDS),  # no timestamp at all
    ],
)  # fmt: skip
def test_lines_of_an_older_or_broken_format_are_skipped_not_guessed(line: dict[str, object]) -> None:
    reading = read_text(json.dumps(line))
    assert reading.figures == [] and reading.skipped == {OLDER: 1}


def test_values_outside_the_figures_vocabulary_never_reach_a_report(tmp_path: Path) -> None:
    line = {"_aws": {"Timestamp": 1793700000000}, "channel": "sms", "step": "message", "outcome": "services",
            "service": f"wales+{CALLER} Zanzibar", "services": [], "how": "<script>", "status": 200,
            "directory": "<b>Directory</b>"}  # fmt: skip
    figures = tmp_path / "crafted.jsonl"
    figures.write_text(json.dumps(line) + "\n")
    assert report.main(["--figures", str(figures), "--out", str(tmp_path)]) == 0
    assert csv_rows(tmp_path) == {dt.date(2026, 11, 3): {("sms", "helpline-given", "unknown+wales"): 1}}
    html = (tmp_path / "report.html").read_text()
    assert CALLER[1:] not in html and "Zanzibar" not in html and "<b>Directory" not in html


def test_the_demo_traffic_is_the_apps_own_lines_on_made_up_days() -> None:
    out = io.StringIO()
    written = demo(dt.date(2026, 10, 4), dt.date(2026, 10, 5), seed=1, write=out)
    reading = read_text(out.getvalue())
    assert written == len(reading.figures) > 10 and not reading.skipped
    days = {dt.datetime.fromtimestamp(f.timestamp_ms / 1000, dt.UTC).date() for f in reading.figures}
    assert days == {dt.date(2026, 10, 4), dt.date(2026, 10, 5)}
    assert {f.channel for f in reading.figures} == {"sms", "voice"} and not SID.findall(out.getvalue())


ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(
    shutil.which("make") is None
    or subprocess.run(["make", "-q", ".venv/.dev"], cwd=ROOT, capture_output=True, check=False).returncode
    != 0,
    reason="the tools' virtualenv is not built (make test builds it)",
)
def test_make_report_reads_a_file_with_the_tools_virtualenv_alone(tmp_path: Path) -> None:
    args = ["make", "-s", "report", f"FIGURES={FIXTURES / 'logs-tail.txt'}", f"OUT={tmp_path}"]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert (
        "3 texts and 1 call from 2026-11-03" in done.stdout and "deploy-venv" not in done.stdout + done.stderr
    )
    assert (tmp_path / "report.csv").read_text().count("\n") == 8
    no_range = subprocess.run(
        [*args[:3], f"OUT={tmp_path}"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert no_range.returncode != 0 and "report: reading CloudWatch needs a range" in no_range.stderr
