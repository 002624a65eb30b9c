"""No log record and no printed line holds a caller's number, words or speech, nor a WhatsApp
sender's profile name, WhatsApp id or shared location (coordinates, address, place label)."""

from __future__ import annotations

import logging

import pytest

import routes.sms
from tests.twilio_fake import Twilio

CALLER = "+447700900987"
WORDS = "Zanzibar-quokka he took my phone"
SPEECH = "Marmalade periwinkle Wales"
PROFILE = "Ottoline Quokkasworth"
LATITUDE, LONGITUDE = "51.4812345", "-3.1798765"  # Cardiff
ADDRESS = "17 Ravenscar Close, Cardiff CF10 1AA"
LABEL = "Quillon Lodge"
# Every trace of a pin: the coordinates as sent and as a program would round or print them.
PIN_TRACES = [LATITUDE, LONGITUDE, "51.48123", "3.17987", "51.4812", "3.1799", "Ravenscar", "CF10 1AA",
              "Quillon", "Ottoline", "Quokkasworth"]  # fmt: skip


def caller_data_in(text: str) -> list[str]:
    found = [s for s in (CALLER, CALLER[1:], "07700900987", "7700 900987", "Zanzibar", "quokka",
                         "Marmalade", "periwinkle", *PIN_TRACES) if s.lower() in text.lower()]  # fmt: skip
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


def test_whatsapp_profiles_and_pins_reach_no_log_metric_error_or_reply(
    twilio: Twilio,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    pin = {"pin": (LATITUDE, LONGITUDE), "address": ADDRESS, "label": LABEL, "profile": PROFILE}
    replies = [
        twilio.whatsapp(
            pin=(LATITUDE, LONGITUDE), address=ADDRESS, label=LABEL, profile=PROFILE, sender=CALLER
        ),
        twilio.whatsapp(WORDS, sender=CALLER, profile=PROFILE),
        twilio.whatsapp("WALES", sender=CALLER, profile=PROFILE),
        twilio.whatsapp(pin=(LATITUDE + "x", LONGITUDE), address=ADDRESS, label=LABEL, profile=PROFILE),
        twilio.whatsapp(pin=("53.3498123", "-6.2603123"), address=ADDRESS, label=LABEL, profile=PROFILE),
        twilio.whatsapp("STOP", sender=CALLER, profile=PROFILE),
        Twilio(twilio.client, token="wrong").whatsapp(sender=CALLER, **pin),
    ]

    def boom(latitude: str, longitude: str, *args: object) -> None:
        raise ValueError(f"no nation at {latitude},{longitude} ({ADDRESS}, {LABEL}) for {PROFILE} {CALLER}")

    monkeypatch.setattr(routes.sms, "match_pin", boom)
    failed = twilio.whatsapp(sender=CALLER, **pin)
    assert "0808 2000 247" in failed.messages()[0]
    replies.append(failed)

    records = "\n".join(
        f"{r.name} {r.levelname} {r.getMessage()} {r.exc_text or ''} {r.args!r}" for r in caplog.records
    )
    out, err = capfd.readouterr()
    assert caplog.records and '"channel":"whatsapp"' in out, (
        "nothing was logged: the test would prove nothing"
    )
    assert caller_data_in(records) == []
    assert caller_data_in(out + err) == []
    assert caller_data_in("\n".join(r.text for r in replies)) == []
    assert CALLER[1:] not in out + err + records  # the WhatsApp id is the number without "+"
