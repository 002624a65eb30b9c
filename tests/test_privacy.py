"""No log record and no printed line holds a caller's number, words or speech."""

from __future__ import annotations

import logging

import pytest

import routes.sms
from tests.twilio_fake import Twilio

CALLER = "+447700900987"
WORDS = "Zanzibar-quokka he took my phone"
SPEECH = "Marmalade periwinkle Wales"


def caller_data_in(text: str) -> list[str]:
    found = [s for s in (CALLER, CALLER[1:], "07700900987", "7700 900987", "Zanzibar", "quokka",
                         "Marmalade", "periwinkle") if s.lower() in text.lower()]  # fmt: skip
    return found


def test_conversations_log_and_print_no_caller_data(
    twilio: Twilio,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, every level
    twilio.sms(WORDS, sender=CALLER)
    twilio.sms("WALES " + WORDS, sender=CALLER)
    twilio.sms("STOP", sender=CALLER)
    call = twilio.call(caller=CALLER).start().say(SPEECH).dial_ends("busy").dial_ends("failed")
    assert call.ended
    twilio.call(caller=CALLER).start().press("7").say(WORDS).silence()
    # failures too: a bad signature, and an exception whose message quotes the caller
    Twilio(twilio.client, token="wrong").sms(WORDS, sender=CALLER)

    def boom(body: str, *args: object) -> None:
        raise ValueError(f"cannot match {body!r} from {CALLER}")

    monkeypatch.setattr(routes.sms, "match_sms", boom)
    assert "0808 2000 247" in twilio.sms(WORDS, sender=CALLER).messages()[0]

    records = "\n".join(
        f"{r.name} {r.levelname} {r.getMessage()} {r.exc_text or ''} {r.args!r}" for r in caplog.records
    )
    out, err = capfd.readouterr()
    assert caplog.records, "nothing was logged: the test would prove nothing"
    assert caller_data_in(records) == []
    assert caller_data_in(out + err) == []
