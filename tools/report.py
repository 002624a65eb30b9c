"""`make report`: a usage report for funders, as OUT/report.html and OUT/report.csv.

From a file of figures lines (exported from CloudWatch Logs, or captured from `make run`):

    python -m tools.report --figures FILE --out DIR [--from DATE] [--to DATE]

or straight from a deployed stage's CloudWatch log group (AWS credentials needed):

    python -m tools.report --stage production --from 2026-10-01 --to 2026-12-31 --out DIR

Days run from midnight to midnight in --timezone (UTC unless given). See docs/report.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Mapping
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from helpline.directory import DATA_FOLDER, DirectoryError, load_directory
from tools.report_counts import count
from tools.report_lines import Reading, read_text


class ReportError(Exception):
    """The report cannot be made: the message says why, and what to do."""


def service_names(folder: Path = DATA_FOLDER) -> dict[str, str]:
    """Each helpline's name by its key, from the directories shipped in data/ (keys stand in for
    names a directory does not have)."""
    names: dict[str, str] = {}
    for path in sorted(folder.glob("*.toml")):
        try:
            directory = load_directory(path)
        except (DirectoryError, OSError):
            continue  # `make check` says what is wrong with it; the report shows the keys
        for key, service in directory.services.items():
            names.setdefault(key, service.name)
    return names


def read_file(path: Path) -> Reading:
    if not path.exists():
        raise ReportError(f"no file {path}: give FIGURES=<file of figures lines>")
    if path.is_dir():
        raise ReportError(f"{path} is a folder: give FIGURES=<file of figures lines>")
    try:
        return read_text(path.read_bytes().decode("utf-8", errors="replace"))
    except OSError as exc:
        raise ReportError(f"{path} cannot be read: {exc.strerror}") from exc


def make_report(
    reading: Reading,
    out: Path,
    zone_name: str = "UTC",
    first: dt.date | None = None,
    last: dt.date | None = None,
    source: str = "figures lines",
    directory: str | None = None,
    names: Mapping[str, str] | None = None,
) -> str:
    """Write OUT/report.html and OUT/report.csv; return what to tell the operator."""
    from tools.report_page import csv_text, page  # matplotlib, imported only to draw

    zone = _zone(zone_name)
    counts = count(reading.figures, zone, first, last, directory)
    names = service_names() if names is None else names
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / "report.csv").write_text(csv_text(counts))
        (out / "report.html").write_text(page(counts, reading, names, first, last, zone_name, source))
    except OSError as exc:
        raise ReportError(f"cannot write to {out}: {exc.strerror}") from exc
    said = [f"Wrote {out / 'report.html'} and {out / 'report.csv'}:"]
    said.append(f"{_many(counts.texts(), 'text')} and {_many(sum(counts.calls.values()), 'call')}")
    if counts.days:
        said.append(f"from {counts.days[0]} to {counts.days[-1]}.")
    lines = [" ".join(said)]
    if not counts.rows:
        where = f" from {first} to {last}" if first or last else ""
        lines.append(
            f"No figures lines{where}{' for ' + directory if directory else ''}: the report says so."
        )
    left_out = [f"{n:,} {reason}" for reason, n in sorted(reading.skipped.items())]
    if counts.outside_range:
        left_out.append(f"{counts.outside_range:,} figures lines outside the range")
    if sum(counts.not_conversations.values()):
        left_out.append(f"{sum(counts.not_conversations.values()):,} health checks and stray requests")
    if left_out:
        lines.append("Skipped (counted on the page): " + "; ".join(left_out) + ".")
    return "\n".join(lines)


def _many(n: int, thing: str) -> str:
    return f"{n:,} {thing}{'' if n == 1 else 's'}"


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ReportError(f"unknown time zone {name!r}: give one such as UTC or Europe/London") from exc


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date such as 2026-10-01") from exc


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="make report", description=__doc__.splitlines()[0])
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--figures", type=Path, help="a file of figures lines, in any shape CloudWatch exports"
    )
    source.add_argument("--stage", help="read the stage's CloudWatch log group (needs --from and --to)")
    p.add_argument("--from", dest="first", type=_date, help="first day, e.g. 2026-10-01")
    p.add_argument("--to", dest="last", type=_date, help="last day, included")
    p.add_argument(
        "--out", type=Path, default=Path("build/report"), help="folder for report.html and report.csv"
    )
    p.add_argument("--timezone", default="UTC", help="where days start and end (default UTC)")
    p.add_argument("--directory", help="count only this directory's lines (its [directory] name)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.first and args.last and args.first > args.last:
            raise ReportError(f"--from {args.first} is after --to {args.last}")
        if args.figures is not None:
            reading, source = read_file(args.figures), args.figures.name
        else:
            if not (args.first and args.last):
                raise ReportError(
                    "reading CloudWatch needs a range, FROM=2026-10-01 TO=2026-12-31 (or give FIGURES=<file>)"
                )
            from tools import report_cloudwatch

            try:
                reading = report_cloudwatch.read(args.stage, args.first, args.last, _zone(args.timezone))
            except report_cloudwatch.CloudWatchError as exc:
                raise ReportError(str(exc)) from exc
            source = f"CloudWatch, stage {args.stage}"
        print(make_report(reading, args.out, args.timezone, args.first, args.last, source, args.directory))
    except ReportError as exc:
        print(f"report: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
