"""Opening hours as data: always open, not confirmed, or a weekly schedule with dated closures.

Schedules are kept in local wall-clock time with a real time zone (Europe/London by default), so
that 09:00 means 09:00 on both sides of the clock changes; a fixed UTC offset would be an hour out
for half the year.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

ALWAYS = "24/7"
NOT_CONFIRMED = "not-confirmed"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
END_OF_DAY = dt.time.max
LOOKAHEAD_DAYS = 21


class Status(enum.Enum):
    OPEN = "open"
    CLOSED = "closed"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Schedule:
    """Opening times per weekday (Monday first), in `zone`, less the `closed` dates."""

    zone: ZoneInfo
    weekly: tuple[tuple[tuple[dt.time, dt.time], ...], ...]
    closed: frozenset[dt.date]


Hours = str | Schedule
"""ALWAYS, NOT_CONFIRMED, or a Schedule."""


@dataclass(frozen=True)
class Opening:
    """What a caller needs to know right now: open or not, and the local time that changes it."""

    status: Status
    until: dt.datetime | None = None
    opens: dt.datetime | None = None


def opening(hours: Hours, now: dt.datetime) -> Opening:
    """Whether the service is open at the aware instant `now`, and when that next changes."""
    if hours == ALWAYS:
        return Opening(Status.OPEN)
    if not isinstance(hours, Schedule):
        return Opening(Status.UNKNOWN)
    local = now.astimezone(hours.zone)
    if local.date() not in hours.closed:
        for start, end in hours.weekly[local.weekday()]:
            if start <= local.time().replace(tzinfo=None) < end:
                return Opening(Status.OPEN, until=_at(local.date(), end, hours.zone))
    return Opening(Status.CLOSED, opens=next_opening(hours, local))


def next_opening(hours: Schedule, local: dt.datetime) -> dt.datetime | None:
    """The first opening time after `local`, within three weeks (None: no opening scheduled)."""
    for offset in range(LOOKAHEAD_DAYS + 1):
        day = local.date() + dt.timedelta(days=offset)
        if day in hours.closed:
            continue
        for start, _ in hours.weekly[day.weekday()]:
            candidate = _at(day, start, hours.zone)
            if candidate > local:
                return candidate
    return None


def _at(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime:
    if time == END_OF_DAY:
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    return dt.datetime.combine(day, time, tzinfo=zone)


def parse_ranges(text: str) -> tuple[tuple[dt.time, dt.time], ...]:
    """'09:00-12:30, 13:30-17:00' or 'closed' -> ranges; raises ValueError with the reason."""
    if text.strip().lower() == "closed":
        return ()
    ranges = []
    for part in text.split(","):
        start_text, sep, end_text = part.strip().partition("-")
        if not sep:
            raise ValueError(f"{part.strip()!r} is not a range like 09:00-17:00")
        start = _parse_time(start_text)
        end = END_OF_DAY if end_text.strip() == "24:00" else _parse_time(end_text)
        if end <= start:
            raise ValueError(f"{part.strip()!r} ends before it starts")
        ranges.append((start, end))
    ranges.sort()
    for (_, end), (start, _) in itertools.pairwise(ranges):
        if start < end:
            raise ValueError(f"{text!r} has overlapping ranges")
    return tuple(ranges)


def _parse_time(text: str) -> dt.time:
    try:
        hour, minute = text.strip().split(":")
        return dt.time(int(hour), int(minute))
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a time like 09:00") from None
