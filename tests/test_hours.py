"""Opening hours at fixed instants, in Europe/London, across the clock changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from helpline.directory import DATA_FOLDER, load_directory
from helpline.hours import NOT_CONFIRMED, Status, opening, parse_ranges
from helpline.replies import Phrasing

UTC = dt.UTC
EXAMPLE = DATA_FOLDER / "example-council.toml"


@pytest.fixture(scope="module")
def outreach_hours():
    return load_directory(EXAMPLE).services["outreach"].hours


@pytest.mark.parametrize(
    ("instant", "status", "note"),
    [
        # Spring forward: Sunday 29 March 2026, 01:00 GMT becomes 02:00 BST.
        (
            dt.datetime(2026, 3, 27, 8, 30, tzinfo=UTC),
            Status.CLOSED,
            "Fri 08:30 GMT = 08:30 local, before 09:00",
        ),
        (dt.datetime(2026, 3, 27, 9, 30, tzinfo=UTC), Status.OPEN, "Fri 09:30 GMT, open"),
        (
            dt.datetime(2026, 3, 30, 8, 30, tzinfo=UTC),
            Status.OPEN,
            "Mon 08:30 UTC = 09:30 BST: a fixed offset says closed",
        ),
        (dt.datetime(2026, 3, 30, 7, 59, tzinfo=UTC), Status.CLOSED, "Mon 07:59 UTC = 08:59 BST"),
        (
            dt.datetime(2026, 3, 30, 15, 30, tzinfo=UTC),
            Status.OPEN,
            "Mon 15:30 UTC = 16:30 BST, before 17:00",
        ),
        (dt.datetime(2026, 3, 30, 16, 30, tzinfo=UTC), Status.CLOSED, "Mon 16:30 UTC = 17:30 BST"),
        # Autumn back: Sunday 25 October 2026, 02:00 BST becomes 01:00 GMT.
        (
            dt.datetime(2026, 10, 23, 15, 45, tzinfo=UTC),
            Status.CLOSED,
            "Fri 15:45 UTC = 16:45 BST, after 16:30",
        ),
        (
            dt.datetime(2026, 10, 26, 8, 30, tzinfo=UTC),
            Status.CLOSED,
            "Mon 08:30 UTC = 08:30 GMT, before 09:00",
        ),
        (dt.datetime(2026, 10, 26, 16, 30, tzinfo=UTC), Status.OPEN, "Mon 16:30 UTC = 16:30 GMT, open"),
        (dt.datetime(2026, 10, 22, 16, 30, tzinfo=UTC), Status.CLOSED, "Thu 16:30 UTC = 17:30 BST, closed"),
    ],
)
def test_open_or_closed_at_fixed_instants(outreach_hours, instant, status, note) -> None:
    assert opening(outreach_hours, instant).status is status, note


def test_split_day_and_saturday(outreach_hours) -> None:
    wednesday_lunch = dt.datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
    assert opening(outreach_hours, wednesday_lunch).status is Status.CLOSED
    assert opening(outreach_hours, wednesday_lunch).opens == dt.datetime(
        2026, 11, 25, 13, 30, tzinfo=outreach_hours.zone
    )
    wednesday_evening = dt.datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
    assert opening(outreach_hours, wednesday_evening).until.hour == 19
    assert opening(outreach_hours, dt.datetime(2026, 11, 28, 11, tzinfo=UTC)).status is Status.OPEN
    assert opening(outreach_hours, dt.datetime(2026, 11, 29, 11, tzinfo=UTC)).status is Status.CLOSED


def test_closure_dates(outreach_hours) -> None:
    christmas_morning = dt.datetime(2026, 12, 25, 10, tzinfo=UTC)  # a Friday, normally open
    state = opening(outreach_hours, christmas_morning)
    assert state.status is Status.CLOSED
    # 26th closed (Saturday), 27th Sunday: opens Monday 28th at 09:00.
    assert state.opens == dt.datetime(2026, 12, 28, 9, tzinfo=outreach_hours.zone)
    assert opening(outreach_hours, dt.datetime(2026, 12, 24, 10, tzinfo=UTC)).status is Status.OPEN


def test_opening_time_after_the_spring_change_is_local(outreach_hours) -> None:
    saturday_evening = dt.datetime(2026, 3, 28, 18, tzinfo=UTC)
    opens = opening(outreach_hours, saturday_evening).opens
    assert opens is not None
    assert opens.astimezone(UTC) == dt.datetime(2026, 3, 30, 8, tzinfo=UTC)  # 09:00 BST


def test_not_confirmed_is_never_open_or_closed() -> None:
    state = opening(NOT_CONFIRMED, dt.datetime(2026, 11, 26, 12, tzinfo=UTC))
    assert state.status is Status.UNKNOWN and state.opens is None


def test_closed_sms_says_when_it_opens_and_gives_the_24_7_line() -> None:
    directory = load_directory(EXAMPLE)
    thursday_night = dt.datetime(2026, 11, 26, 20, tzinfo=UTC)
    text = Phrasing(directory, now=thursday_night).service_sms(directory.services["outreach"])
    assert "Closed now, opens Fri 09:00" in text
    assert "0808 2000 247" in text and "24/7" in text and "999" in text
    open_text = Phrasing(directory, now=thursday_night - dt.timedelta(hours=8)).service_sms(
        directory.services["outreach"]
    )
    assert "open now until 17:00" in open_text and "Closed" not in open_text


def test_not_confirmed_sms_claims_neither(tmp_path: Path) -> None:
    directory = load_directory()
    text = Phrasing(directory, now=dt.datetime(2026, 11, 26, 3, tzinfo=UTC)).service_sms(
        directory.services["men"]
    )
    assert "open now" not in text and "Closed now" not in text
    assert "not confirmed" in text


@pytest.mark.parametrize(
    ("text", "error"),
    [("9-5", "not a time"), ("17:00-09:00", "ends before"), ("09:00", "not a range"),
     ("09:00-12:00, 11:00-13:00", "overlapping")],
)  # fmt: skip
def test_bad_ranges_are_refused(text: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        parse_ranges(text)


def test_ranges_parse() -> None:
    assert parse_ranges("closed") == ()
    assert parse_ranges("00:00-24:00")[0][1] == dt.time.max
