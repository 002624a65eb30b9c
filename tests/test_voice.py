"""Whole calls: greeting, menu, a key or a phrase, and the Dial, following the TwiML."""

from __future__ import annotations

import pytest

from helpline.directory import Directory
from simulator.engine import Dialling, Listening
from tests.twilio_fake import Twilio

NATIONAL = "+448082000247"
FAILED = ["busy", "no-answer", "failed", "canceled"]


def test_greeting_gives_999_advice_before_the_menu(twilio: Twilio) -> None:
    call = twilio.call().start()
    assert "999" in call.said[0] and "5 5" in call.said[0]
    assert any("For Wales, press 2" in s for s in call.said)
    assert call.waiting_for == "Gather"
    gather = call.pending
    assert gather is not None
    assert gather.get("input") == "dtmf speech" and gather.get("numDigits") == "1"
    assert gather.get("language") == "en-GB"
    assert all(s.get("voice") == "Polly.Amy" for s in gather.findall("Say"))


@pytest.mark.parametrize(
    ("key", "number", "name"),
    [
        ("1", "+448082000247", "National Domestic Abuse Helpline"),
        ("2", "+448088010800", "Live Fear Free Helpline"),
        ("3", "+448000271234", "Scotland's Domestic Abuse and Forced Marriage Helpline"),
        ("4", "+448088021414", "Domestic and Sexual Abuse Helpline"),
        ("5", "+448088010327", "Men's Advice Line"),
    ],
)
def test_each_key_connects_to_its_helpline(twilio: Twilio, key: str, number: str, name: str) -> None:
    call = twilio.call().start().press(key)
    assert call.dialled == [number]
    assert f"Connecting you to {name}" in call.said[-1]
    assert call.waiting_for == "Dial"


def test_every_menu_option_of_the_directory_dials_its_service(twilio: Twilio, directory: Directory) -> None:
    for option in directory.menu:
        call = twilio.call().start().press(option.digit)
        assert call.dialled == [directory.services[option.service].number]


@pytest.mark.parametrize(
    ("phrase", "number"),
    [
        ("Wales", "+448088010800"),
        ("Scotland please.", "+448000271234"),
        ("northern ireland", "+448088021414"),
        ("I'm in England", "+448082000247"),
        ("men", "+448088010327"),
        ("three", "+448000271234"),
        ("Number 4", "+448088021414"),
    ],
)
def test_speech_connects(twilio: Twilio, phrase: str, number: str) -> None:
    call = twilio.call().start().say(phrase)
    assert call.dialled == [number]


def test_women_is_not_heard_as_men(twilio: Twilio) -> None:
    call = twilio.call().start().say("women")
    assert call.dialled == [] and call.waiting_for == "Gather"


def test_nine_repeats_the_menu_without_counting_as_a_miss(twilio: Twilio) -> None:
    call = twilio.call().start()
    for _ in range(5):
        call.press("9")
        assert call.waiting_for == "Gather" and call.dialled == []
        assert any("For Scotland, press 3" in s for s in call.said[-8:])
    call.press("3")
    assert call.dialled == ["+448000271234"]


def test_saying_repeat_repeats_the_menu(twilio: Twilio) -> None:
    call = twilio.call().start().say("say that again")
    assert call.waiting_for == "Gather" and call.dialled == []


def test_a_silent_caller_is_put_through_to_the_national_line(twilio: Twilio) -> None:
    call = twilio.call().start().silence()
    assert call.dialled == [NATIONAL]
    assert "open 24 hours" in call.said[-1] and "did not catch" not in " ".join(call.said)


def test_the_finish_key_alone_is_no_answer_like_silence(twilio: Twilio) -> None:
    call = twilio.call().start().press("#")
    assert call.dialled == [NATIONAL]


@pytest.mark.parametrize("keys", [["7"], ["0"], ["*"], ["7", "8"]])
def test_invalid_key_reprompts(twilio: Twilio, keys: list[str]) -> None:
    call = twilio.call().start()
    for key in keys:
        call.press(key)
        assert call.waiting_for == "Gather" and call.dialled == []
    assert "did not catch" in " ".join(call.said)
    call.press("2")
    assert call.dialled == ["+448088010800"]


def test_misses_of_any_kind_are_bounded(twilio: Twilio) -> None:
    call = twilio.call().start().press("8").say("pineapple")
    assert call.waiting_for == "Gather" and call.dialled == []
    call.press("0")
    assert call.dialled == [NATIONAL]


def test_silence_after_wrong_keys_puts_the_caller_through(twilio: Twilio) -> None:
    call = twilio.call().start().press("8").silence()
    assert call.dialled == [NATIONAL]


def test_the_greeting_is_inside_the_first_gather_so_a_key_pressed_during_it_counts(twilio: Twilio) -> None:
    reply = twilio.post("/voice", {"From": "+447700900123"})
    assert reply.xml is not None
    first = reply.xml[0]
    assert first.tag == "Gather" and first.get("input") == "dtmf speech"
    said = [say.text or "" for say in first.findall("Say")]
    assert "999" in said[0] and "press 5 5 when prompted" in said[0]  # the 999 advice first
    assert any("For Wales, press 2" in s for s in said[1:])


@pytest.mark.parametrize(("key", "number"), [("2", "+448088010800"), ("3", "+448000271234")])
def test_a_key_pressed_during_the_greeting_rings_the_line_within_six_seconds(
    twilio: Twilio, key: str, number: str
) -> None:
    call = twilio.call().start()
    assert call.first_answer_counts == 0.0  # no audio before keys count
    call.press(key)
    (ringing,) = [e for e in call.events if isinstance(e, Dialling)]
    assert ringing.number == number
    assert ringing.seconds_at_once <= 6.0
    assert ringing.seconds > 20.0  # a caller who waits for the whole menu hears it all first


def test_a_silent_caller_hears_the_line_ring_within_45_seconds(twilio: Twilio) -> None:
    call = twilio.call().start().silence()
    (ringing,) = [e for e in call.events if isinstance(e, Dialling)]
    assert ringing.number == NATIONAL
    assert 20.0 < ringing.seconds_at_once == ringing.seconds <= 45.0
    gather = next(e for e in call.events if isinstance(e, Listening))
    assert gather.timeout == 6  # the directory's gather_timeout, carried to the TwiML


def test_wrong_keys_and_unclear_speech_still_get_another_try(twilio: Twilio) -> None:
    call = twilio.call().start().press("7")
    assert call.waiting_for == "Gather" and "did not catch" in " ".join(call.said[1:])
    call.say("pineapple")
    assert call.waiting_for == "Gather" and call.pending is not None
    assert call.pending.get("action") == "/voice/choose/2"
    sorry = call.pending.findall("Say")[0].text or ""
    assert "did not catch" in sorry  # the apology is inside the Gather too: a key cuts it short
    call.press("2")
    assert call.dialled == ["+448088010800"]


@pytest.mark.parametrize("status", FAILED)
def test_failed_helpline_fails_over_to_the_national_line(twilio: Twilio, status: str) -> None:
    call = twilio.call().start().press("3").dial_ends(status)
    assert call.dialled == ["+448000271234", NATIONAL]
    assert "could not take your call" in call.said[-1]


@pytest.mark.parametrize("status", FAILED)
def test_failed_national_line_is_read_out_and_the_call_ends(twilio: Twilio, status: str) -> None:
    call = twilio.call().start().press("5").dial_ends(status).dial_ends(status)
    assert call.dialled == ["+448088010327", NATIONAL]
    assert call.ended and call.waiting_for == "nothing"
    assert "0 8 0 8, 2 0 0 0, 2 4 7" in call.said[-1] and "999" in call.said[-1]


def test_national_line_chosen_directly_and_failing_is_read_out(twilio: Twilio) -> None:
    call = twilio.call().start().press("1").dial_ends("busy")
    assert call.dialled == [NATIONAL] and call.ended


def test_answered_call_ends_politely(twilio: Twilio) -> None:
    call = twilio.call().start().press("2").dial_ends("completed")
    assert call.ended and "Goodbye" in call.said[-1]


def test_unknown_service_in_a_dial_outcome_still_reaches_the_national_line(twilio: Twilio) -> None:
    reply = twilio.post("/voice/dialled/nowhere", {"DialCallStatus": "busy"})
    assert reply.xml is not None
    assert [n.text for n in reply.xml.iter("Number")] == [NATIONAL]


def test_call_state_is_in_the_path_not_the_query(twilio: Twilio) -> None:
    reply = twilio.post("/voice", {"From": "+447700900123"})
    assert reply.xml is not None
    urls = [e.get("action") for e in reply.xml.iter("Gather")] + [e.text for e in reply.xml.iter("Redirect")]
    assert urls and all(u and "?" not in u and u.startswith("/voice/choose/") for u in urls)
