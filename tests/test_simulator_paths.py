"""Every path of the shipped phone menu, followed through the simulator's engine."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask, request

from helpline.directory import DEFAULT_DIRECTORY, Directory, load_directory
from simulator import tour
from simulator.cli import phrases
from simulator.engine import Call, Dialling, Ended
from simulator.transport import InProcess
from tests.twilio_fake import TOKEN

SHIPPED = load_directory(DEFAULT_DIRECTORY)
OPTIONS = [(o.digit, o.service) for o in SHIPPED.menu]
FAILED = ["busy", "no-answer", "failed", "canceled"]
NATIONAL = SHIPPED.national_service


@pytest.fixture
def new_call(app: Flask, directory: Directory) -> Callable[[], Call]:
    names = {s.number: s.name for s in directory.services.values()}
    return lambda: Call(InProcess(app.test_client(), TOKEN), names=names)


def dials(call: Call) -> list[Dialling]:
    return [e for e in call.events if isinstance(e, Dialling)]


def hung_up(call: Call) -> bool:
    return call.ended and call.problem is None and call.events[-1] == Ended("<Hangup>")


@pytest.mark.parametrize(("digit", "key"), OPTIONS)
def test_each_key_puts_the_caller_through_to_its_named_helpline(
    new_call: Callable[[], Call], digit: str, key: str
) -> None:
    service = SHIPPED.services[key]
    call = new_call().start().press(digit)
    assert dials(call) == [Dialling(service.number, service.name)]
    assert call.waiting_for == "Dial" and service.name in call.said[-1]


@pytest.mark.parametrize(("digit", "key"), OPTIONS)
def test_an_answered_call_says_goodbye_and_hangs_up(
    new_call: Callable[[], Call], digit: str, key: str
) -> None:
    call = new_call().start().press(digit).dial_ends("completed")
    assert hung_up(call) and "Goodbye" in call.said[-1]


@pytest.mark.parametrize("status", FAILED)
@pytest.mark.parametrize(("digit", "key"), [o for o in OPTIONS if o[1] != SHIPPED.national])
def test_a_helpline_that_fails_hands_over_to_the_national_line(
    new_call: Callable[[], Call], digit: str, key: str, status: str
) -> None:
    call = new_call().start().press(digit).dial_ends(status)
    assert [d.number for d in dials(call)] == [SHIPPED.services[key].number, NATIONAL.number]
    assert call.waiting_for == "Dial" and "could not take your call" in call.said[-1]
    answered = call.fork().dial_ends("completed")
    assert hung_up(answered) and "Goodbye" in answered.said[-1]
    call.dial_ends(status)
    assert hung_up(call) and NATIONAL.name in call.said[-1] and "999" in call.said[-1]
    assert len(dials(call)) == 2  # never a third dial, never a loop


@pytest.mark.parametrize("status", FAILED)
def test_the_national_line_failing_is_read_out_slowly(new_call: Callable[[], Call], status: str) -> None:
    (digit,) = [d for d, key in OPTIONS if key == SHIPPED.national]
    call = new_call().start().press(digit).dial_ends(status)
    assert hung_up(call) and "0 8 0 8, 2 0 0 0, 2 4 7" in call.said[-1]


@pytest.mark.parametrize("silences", range(SHIPPED.max_silences + 1))
def test_silence_is_put_through_to_the_national_line_sooner_than_wrong_keys(
    new_call: Callable[[], Call], silences: int
) -> None:
    call = new_call().start()
    for _ in range(silences):
        call.silence()
    if silences < SHIPPED.max_silences:
        assert call.waiting_for == "Gather" and call.dialled == []
        call.press(OPTIONS[1][0])  # a caller who answers at last still gets their choice
        assert call.dialled == [SHIPPED.services[OPTIONS[1][1]].number]
    else:
        assert dials(call) == [Dialling(NATIONAL.number, NATIONAL.name)] and "open 24 hours" in call.said[-1]
    assert SHIPPED.max_silences < SHIPPED.max_attempts


@pytest.mark.parametrize("misses", range(SHIPPED.max_attempts + 1))
def test_wrong_keys_are_asked_again_then_put_through_to_the_national_line(
    new_call: Callable[[], Call], misses: int
) -> None:
    call = new_call().start()
    for _ in range(misses):
        call.press("0")
    if misses < SHIPPED.max_attempts:
        assert call.waiting_for == "Gather" and call.dialled == []
        assert ("did not catch" in " ".join(call.said)) == (misses > 0)
        call.press(OPTIONS[1][0])
        assert call.dialled == [SHIPPED.services[OPTIONS[1][1]].number]
    else:
        assert dials(call) == [Dialling(NATIONAL.number, NATIONAL.name)] and "open 24 hours" in call.said[-1]


def test_the_repeat_key_never_uses_up_the_attempts(new_call: Callable[[], Call]) -> None:
    call = new_call().start().press("0").say("pineapple")
    for _ in range(5):
        call.press(SHIPPED.repeat_digit)
        assert call.waiting_for == "Gather"
    call.press("0")
    assert call.dialled == [NATIONAL.number]


@pytest.mark.parametrize(("digit", "key"), OPTIONS)
def test_saying_each_label_connects_like_its_key(new_call: Callable[[], Call], digit: str, key: str) -> None:
    by_key = new_call().start().press(digit)
    by_voice = new_call().start().say(SHIPPED.services[key].label)
    assert by_voice.dialled == by_key.dialled == [SHIPPED.services[key].number]


def test_the_tour_walks_every_path_and_finds_nothing_wrong(
    new_call: Callable[[], Call], directory: Directory
) -> None:
    result = tour.walk(new_call, phrases(directory))
    assert result.findings == [] and result.ok
    assert result.dialled == {s.number for s in directory.services.values()}
    assert result.unreached == []
    gathers = [p for p in result.places if p.call.waiting_for == "Gather"]
    # each attempt's menu as first heard (after the greeting or an apology) and as repeated
    assert len(gathers) == 2 * directory.max_attempts
    every_move = {m.label for e in result.edges if e.source == gathers[0].number for m in e.moves}
    assert set(tour.KEYS) | {"silence"} <= every_move
    report = "\n".join(tour.report(result))
    for service in directory.services.values():
        assert f"dials {service.name} ({service.number})" in report


def test_the_tour_reports_a_dead_end_a_strange_number_and_a_problem() -> None:
    pages = {
        "/voice": '<Response><Gather numDigits="1" action="/k"/><Redirect>/voice</Redirect></Response>',
        "/k": "<Response><Say>Bye</Say></Response>",
    }
    app = Flask(__name__)

    @app.post("/<path:path>")
    def page(path: str) -> tuple[str, int, dict[str, str]]:
        if request.form.get("Digits") == "2":
            return "<Response><Dial>+15555550100</Dial></Response>", 200, {"Content-Type": "text/xml"}
        if request.form.get("Digits") == "3":
            return "<Response><Record/></Response>", 200, {"Content-Type": "text/xml"}
        return pages.get("/" + path, "<Response/>"), 200, {"Content-Type": "text/xml"}

    result = tour.walk(lambda: Call(InProcess(app.test_client(), TOKEN), names={"+441632960111": "Ours"}), [])
    assert not result.ok
    findings = "\n".join(result.findings)
    assert "after 1: the call ends without dialling any helpline" in findings
    assert "after 3: Unsupported verb <Record>" in findings
    assert "dials +15555550100, which is not a number in the directory" in findings
    assert "a caller who stays silent is never put through" in findings
    assert result.unreached == ["Ours"]


def test_the_tour_times_every_path_to_a_ringing_line(
    new_call: Callable[[], Call], directory: Directory
) -> None:
    result = tour.walk(new_call, phrases(directory))
    lines = tour.time_to_help(result)
    assert lines[0].startswith("Time to help") and "2.5 words a second" in lines[0]
    assert "counts after 0.0 s of audio" in lines[1]  # the greeting is inside the Gather
    start = [e for e in result.edges if e.source == 1 and e.rings]
    keyed = {m.value: seconds for e in start for m, seconds in zip(e.moves, e.seconds, strict=True)}
    for option in directory.menu:
        at_once, heard = keyed[option.digit]
        assert at_once <= 6.0 < heard  # a caller who knows the key need not hear the menu
    assert keyed[""][0] == keyed[""][1] <= 45.0  # silence: everyone waits the same
    longest = tour.longest_wait(result, at_once=True)
    assert longest is not None and longest.seconds <= 45.0
    assert any(line.startswith("  Longest wait before a line rings, answering at once") for line in lines)


def test_the_tour_counts_a_greeting_outside_the_gather_against_every_caller() -> None:
    # 10 words said before the Gather, 5 inside it, 5 before the Dial: 4 s, 2 s, 2 s at 2.5 words/s
    said = "<Say>one two three four five</Say>"
    pages = {
        "/voice": f'<Response>{said}{said}<Gather numDigits="1" timeout="5" action="/k">{said}</Gather>'
        "<Redirect>/k</Redirect></Response>",
        "/k": f"<Response>{said}<Dial>+441632960111</Dial></Response>",
    }
    app = Flask(__name__)

    @app.post("/<path:path>")
    def page(path: str) -> tuple[str, int, dict[str, str]]:
        return pages["/" + path], 200, {"Content-Type": "text/xml"}

    def new_call() -> Call:
        return Call(InProcess(app.test_client(), TOKEN), names={"+441632960111": "Ours"})

    pressed = new_call().start()
    assert pressed.first_answer_counts == 4.0
    pressed.press("1")
    assert (dials(pressed)[0].seconds_at_once, dials(pressed)[0].seconds) == (6.0, 8.0)
    silent = new_call().start().silence()
    assert dials(silent)[0].seconds_at_once == dials(silent)[0].seconds == 4.0 + 2.0 + 5.0 + 2.0
    result = tour.walk(new_call, [])
    lines = tour.time_to_help(result)
    assert "counts after 4.0 s of audio" in lines[1]
    assert "    1, 2, 3, 4, 5, 6, 7, 8, 9, 0, *: Ours rings after 6.0 s / 8.0 s" in lines
    assert "    #, silence: Ours rings after 13.0 s / 13.0 s" in lines
