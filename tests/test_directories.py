"""Several directories, chosen by the Twilio number that was texted or called; and languages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask

import routes.sms
import routes.voice
from app import create_app
from helpline.catalogue import load_catalogue
from helpline.directory import DATA_FOLDER, DEFAULT_DIRECTORY, DirectoryError
from tests.twilio_fake import TOKEN, Call, Twilio

COUNCIL_NUMBER = "+441632960100"
FIXTURES = Path(__file__).parent / "fixtures"
THURSDAY_NOON = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)
THURSDAY_NIGHT = dt.datetime(2026, 11, 26, 21, tzinfo=dt.UTC)


def at(monkeypatch: pytest.MonkeyPatch, instant: dt.datetime) -> None:
    monkeypatch.setattr(routes.sms, "now", lambda: instant)
    monkeypatch.setattr(routes.voice, "now", lambda: instant)


def sms_to(twilio: Twilio, to: str, body: str) -> str:
    (text,) = twilio.sms(body, To=to).messages()
    return text


def test_shipped_data_has_a_default_and_the_example(app: Flask) -> None:
    catalogue = load_catalogue(DATA_FOLDER)
    assert catalogue.default.path == DEFAULT_DIRECTORY
    assert catalogue.for_number(COUNCIL_NUMBER).example
    assert catalogue.for_number("+447700900999") is catalogue.default


def test_texts_are_answered_by_the_directory_of_the_number_texted(
    twilio: Twilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, THURSDAY_NOON)
    council = sms_to(twilio, COUNCIL_NUMBER, "outreach")
    assert "01632 960 001" in council and "open now until 17:00" in council
    assert sms_to(twilio, COUNCIL_NUMBER, "hello").startswith("Example Borough: text OUTREACH")
    # the same word to any other number reaches the UK directory, which does not know it
    assert sms_to(twilio, "+447700900555", "outreach").startswith("Text a word or number for help")
    assert "0808 80 10 800" in sms_to(twilio, "+447700900555", "WALES")
    assert sms_to(twilio, COUNCIL_NUMBER, "WALES").startswith("Example Borough")


def test_closed_line_by_text_gives_its_opening_and_the_24_7_line(
    twilio: Twilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, THURSDAY_NIGHT)
    text = sms_to(twilio, COUNCIL_NUMBER, "local")
    assert "Closed now, opens Fri 09:00" in text and "0808 2000 247" in text


def call_to(twilio: Twilio, to: str) -> Call:
    return twilio.call(to=to).start()


def test_calls_follow_the_directory_of_the_number_called(
    twilio: Twilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, THURSDAY_NOON)
    call = call_to(twilio, COUNCIL_NUMBER)
    assert "Example Borough" in call.said[0]
    assert any("For Local outreach, press 1" in s for s in call.said)
    call.press("1")
    assert call.dialled == ["+441632960001"]
    call.dial_ends("no-answer")
    assert call.dialled == ["+441632960001", "+448082000247"]

    uk = call_to(twilio, "+447700900555").press("1")
    assert uk.dialled == ["+448082000247"]


def test_a_closed_line_is_not_dialled_the_24_7_line_is(
    twilio: Twilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, THURSDAY_NIGHT)
    call = call_to(twilio, COUNCIL_NUMBER).press("1")
    assert call.dialled == ["+448082000247"]
    assert "closed now" in call.said[-1]


def test_two_defaults_or_a_shared_number_are_refused(tmp_path: Path) -> None:
    uk = DEFAULT_DIRECTORY.read_text()
    (tmp_path / "a.toml").write_text(uk)
    (tmp_path / "b.toml").write_text(uk)
    with pytest.raises(DirectoryError, match=r"b\.toml: directory\.default: exactly one"):
        load_catalogue(tmp_path)
    (tmp_path / "b.toml").write_text(uk.replace("default = true", "default = false").replace(
        "numbers = []", 'numbers = ["+441632960100"]'))  # fmt: skip
    (tmp_path / "c.toml").write_text((DATA_FOLDER / "example-council.toml").read_text())
    with pytest.raises(
        DirectoryError, match=r"c\.toml: directory\.numbers: \+441632960100 is already answered"
    ):
        load_catalogue(tmp_path)


def test_a_broken_second_directory_is_logged_and_the_built_in_line_answers(tmp_path: Path) -> None:
    (tmp_path / "uk.toml").write_text(DEFAULT_DIRECTORY.read_text())
    (tmp_path / "x.toml").write_text("[directory]\n")
    app = create_app({"TWILIO_AUTH_TOKEN": TOKEN, "HELPLINE_DIRECTORY": str(tmp_path)})
    (text,) = Twilio(app.test_client()).sms("WALES").messages()
    assert "0808 2000 247" in text


# Languages ---------------------------------------------------------------------------------------


@pytest.fixture
def bilingual() -> Twilio:
    app = create_app({"TWILIO_AUTH_TOKEN": TOKEN, "HELPLINE_DIRECTORY": str(FIXTURES / "bilingual.toml")})
    return Twilio(app.test_client())


def test_a_language_word_switches_the_reply_language(bilingual: Twilio) -> None:
    (welsh,) = bilingual.sms("CYMRU").messages()
    assert welsh.startswith("[cy] Llinell Gymorth Byw Heb Ofn (Welsh Women's Aid): call 0808 80 10 800")
    assert "[cy] In danger now?" in welsh
    (english,) = bilingual.sms("WALES").messages()
    assert english.startswith("Live Fear Free Helpline") and "[cy]" not in english
    (menu,) = bilingual.sms("Cymraeg").messages()
    assert menu.startswith("[cy] Text one word") and "WALES (Cymru)" in menu
    (both,) = bilingual.sms("cymraeg scotland").messages()
    assert both.startswith("[cy] Scotland's Domestic Abuse")


def test_without_welsh_texts_cymru_answers_in_english(twilio: Twilio) -> None:
    (text,) = twilio.sms("CYMRU").messages()
    assert text.startswith("Live Fear Free Helpline") and "0808 80 10 800" in text


def test_voice_speaks_in_the_directorys_first_language_and_voice(bilingual: Twilio) -> None:
    call = bilingual.call().start()
    says = [s for s in call.current.iter("Say") if not (s.text or "").startswith("[cy]")]
    assert says and {s.get("voice") for s in says} == {"Polly.Amy"}
    assert {s.get("language") for s in says} == {"en-GB"}
    gather = call.current.find("Gather")
    assert gather is not None and gather.get("language") == "en-GB"


def test_a_key_switches_the_call_to_another_language(bilingual: Twilio) -> None:
    call = bilingual.call().start()
    offer = [s for s in call.current.iter("Say") if s.text == "[cy] For Welsh, press 8."]
    assert offer and offer[0].get("voice") == "Polly.Gwyneth" and offer[0].get("language") == "cy-GB"
    call.press("8")
    gather = call.pending
    assert gather is not None and gather.get("language") == "cy-GB"
    assert gather.get("action") == "/voice/cy/choose/0"
    welsh = [s for s in gather.iter("Say") if s.text and s.text.startswith("[cy]")]
    assert welsh and {s.get("voice") for s in welsh} == {"Polly.Gwyneth"}
    assert any(s.text == "[cy] For Cymru, press 2." for s in welsh)
    assert any(
        s.text == "For English, press 7." and s.get("voice") == "Polly.Amy" for s in gather.iter("Say")
    )
    call.press("2").dial_ends("busy")
    assert call.dialled == ["+448088010800", "+448082000247"]
    assert call.said[-2].startswith("[cy] Connecting you to Llinell Gymorth Byw Heb Ofn")
    assert call.said[-1].startswith("[cy] That line could not take your call")
    call.dial_ends("failed")
    assert call.ended and call.said[-1].startswith("[cy] Sorry, we could not connect your call")


def test_saying_the_language_switches_and_a_key_switches_back(bilingual: Twilio) -> None:
    call = bilingual.call().start().say("Cymraeg os gwelwch yn dda")
    assert call.pending is not None and call.pending.get("action") == "/voice/cy/choose/0"
    call.press("0").press("0")
    assert call.said.count("[cy] Sorry, I did not catch that.") == 2 and call.pending is not None
    assert call.pending.get("action") == "/voice/cy/choose/2"
    call.press("7")
    assert call.pending is not None and call.pending.get("action") == "/voice/choose/2"
    call.silence()
    assert call.dialled == ["+448082000247"]
    assert call.said[-1].startswith("Connecting you to National Domestic Abuse Helpline, open 24 hours")


def test_an_unknown_language_in_the_path_speaks_the_first_language(bilingual: Twilio) -> None:
    reply = bilingual.post("/voice/xx/choose/0", {"Digits": "9"})
    assert reply.status == 200 and reply.xml is not None
    gather = reply.xml.find("Gather")
    assert gather is not None and gather.get("action") == "/voice/choose/0"
    assert gather.get("language") == "en-GB"


def test_the_shipped_directory_offers_no_language_key(twilio: Twilio) -> None:
    call = twilio.call().start()
    assert not any("press 8" in s or "press 7" in s for s in call.said)
    call.press("8")
    assert call.dialled == [] and "Sorry, I did not catch that." in call.said
