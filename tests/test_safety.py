"""Whatever breaks, a caller still gets the national helpline and the 999 advice."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

import routes.sms
import routes.voice
from app import create_app
from tests.twilio_fake import TOKEN, Twilio

NATIONAL = "+448082000247"


def boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("secret caller words +447700900123")


def test_exception_in_sms_answers_with_the_national_line(
    twilio: Twilio, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(routes.sms, "match_sms", boom)
    reply = twilio.sms("WALES")
    assert reply.status == 200
    (text,) = reply.messages()
    assert "0808 2000 247" in text and "999" in text and "55" in text
    assert "RuntimeError" in caplog.text
    assert "secret caller words" not in caplog.text and "+447700900123" not in caplog.text


@pytest.mark.parametrize(
    ("target", "steps"),
    [
        ("start", []),
        ("choose", ["press"]),
        ("after_dial", ["press", "dial"]),
    ],
)
def test_exception_in_a_call_step_puts_the_caller_through(
    twilio: Twilio, monkeypatch: pytest.MonkeyPatch, target: str, steps: list[str]
) -> None:
    call = twilio.call()
    if steps:
        call.start()
    monkeypatch.setattr(routes.voice.ivr, target, boom)
    if not steps:
        call.start()
    for step in steps:
        if step == "press":
            call.press("2")
        elif step == "dial":
            monkeypatch.setattr(routes.voice.ivr, target, boom)
            call.dial_ends("busy")
    assert call.dialled[-1] == NATIONAL
    assert any("999" in s for s in call.said)


def test_exception_while_rendering_is_safe(twilio: Twilio, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(routes.voice, "render", boom)
    call = twilio.call().start()
    assert call.dialled == [NATIONAL]


def test_unknown_call_step_puts_the_caller_through(twilio: Twilio) -> None:
    reply = twilio.post("/voice/no/such/step", {"Digits": "1"})
    assert reply.status == 200 and reply.xml is not None
    assert [n.text for n in reply.xml.iter("Number")] == [NATIONAL]


def test_broken_directory_still_answers_with_the_national_line(
    broken_directory: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    app = create_app({"TWILIO_AUTH_TOKEN": TOKEN, "HELPLINE_DIRECTORY": str(broken_directory)})
    assert any(r.levelno == logging.CRITICAL for r in caplog.records)
    assert "services.wales.number" in caplog.text
    twilio = Twilio(app.test_client())
    (text,) = twilio.sms("SCOTLAND").messages()
    assert "0808 2000 247" in text and "999" in text
    assert twilio.call().start().dialled == [NATIONAL]
    assert app.test_client().get("/healthz").json["status"] == "degraded"
    stop = twilio.sms("STOP")  # opt-out words still get no reply
    assert stop.xml is not None and stop.xml.tag == "Response" and len(stop.xml) == 0


def test_missing_directory_file_still_answers(tmp_path: Path) -> None:
    app = create_app({"TWILIO_AUTH_TOKEN": TOKEN, "HELPLINE_DIRECTORY": str(tmp_path / "missing.toml")})
    (text,) = Twilio(app.test_client()).sms("WALES").messages()
    assert "0808 2000 247" in text


@pytest.mark.parametrize(
    "params",
    [
        {"Digits": "99999999999999999999"},
        {"Digits": "\x00"},
        {"SpeechResult": "x" * 10_000},
        {"SpeechResult": "\ud7ff" * 50},
        {"Digits": "", "SpeechResult": ""},
        {},
    ],
)
def test_odd_call_input_gets_safe_twiml(twilio: Twilio, params: dict[str, str]) -> None:
    for path in ("/voice/choose/0", "/voice/choose/2", "/voice/choose/123456789012345678901234567890"):
        reply = twilio.post(path, params)
        assert reply.status == 200 and reply.xml is not None and reply.xml.tag == "Response"
        assert list(reply.xml.iter("Gather")) or list(reply.xml.iter("Number"))
