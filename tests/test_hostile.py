"""Hostile and odd requests on the Flask side: every webhook path answers Twilio with a helpline,
nothing unsigned is answered or counted as answered, and the shipped settings callers rely on."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

import pytest
from flask import Flask
from twilio.request_validator import RequestValidator
from werkzeug.test import EnvironBuilder, run_wsgi_app
from werkzeug.wrappers import Response

import app as app_module
from app import create_app
from helpline.directory import load_directory
from helpline.hours import Schedule
from helpline.match import Intent, Match
from helpline.replies import sms_reply
from tests.safe_twiml import NATIONAL, check_sms, check_voice
from tests.twilio_fake import BASE, TOKEN, Twilio

ROOT = Path(__file__).resolve().parent.parent
SECRET = "Quillon marmalade"


def send_raw(app: Flask, method: str, path: str, form: dict[str, str], *, sign: bool) -> Response:
    """A request whose path reaches the app exactly as a server hands it over (a test client
    reads "//sms" as a host), signed for the URL Twilio would have called."""
    environ = EnvironBuilder(path="/", method=method, base_url=BASE, data=form or None).get_environ()
    environ["PATH_INFO"] = path
    if sign:
        environ["HTTP_X_TWILIO_SIGNATURE"] = RequestValidator(TOKEN).compute_signature(BASE + path, form)
    body, status, headers = run_wsgi_app(app.wsgi_app, environ, buffered=True)
    return Response(b"".join(body), status=status, headers=headers)


@pytest.mark.parametrize("path", ["//sms", "/SMS", "/Sms", "/smsx", "/sms/status", "///sms/x"])
def test_a_signed_text_to_a_near_miss_path_gets_the_text_fallback(app: Flask, path: str) -> None:
    reply = send_raw(app, "POST", path, {"From": "+447700900123", "Body": "WALES"}, sign=True)
    answer = check_sms(reply.status_code, reply.mimetype, reply.get_data(as_text=True), sent=None)
    assert answer.kind == "message"  # with a helpline and the 999 advice: check_sms sees to it


def test_a_signed_text_to_a_doubled_slash_is_read_as_a_text(app: Flask) -> None:
    reply = send_raw(app, "POST", "//sms", {"From": "+447700900123", "Body": "WALES"}, sign=True)
    answer = check_sms(reply.status_code, reply.mimetype, reply.get_data(as_text=True), sent="WALES")
    assert "0808 80 10 800" in answer.said[0]


NEAR_VOICE = ["/VOICE", "/Voice", "/voicemail", "/voice/choose/x", "/voice/x/y/z", "/voice/choose/1/"]


@pytest.mark.parametrize("path", NEAR_VOICE)
def test_a_signed_call_to_a_near_miss_path_is_put_through(app: Flask, path: str) -> None:
    reply = send_raw(app, "POST", path, {"From": "+447700900123", "Digits": "2"}, sign=True)
    answer = check_voice(reply.status_code, reply.mimetype, reply.get_data(as_text=True))
    assert answer.kind == "dial" and answer.dialled == (NATIONAL,)


def test_a_signed_call_to_a_doubled_slash_gets_the_menu(app: Flask) -> None:
    reply = send_raw(app, "POST", "//voice", {"From": "+447700900123"}, sign=True)
    assert check_voice(reply.status_code, reply.mimetype, reply.get_data(as_text=True)).kind == "menu"


def test_a_signature_of_the_folded_path_does_not_pass_for_the_doubled_one(app: Flask) -> None:
    """Twilio signs the URL it called: "//sms" signed as "/sms" is not Twilio's signature."""
    form = {"Body": "WALES"}
    environ = EnvironBuilder(path="/", method="POST", base_url=BASE, data=form).get_environ()
    environ["PATH_INFO"] = "//sms"
    environ["HTTP_X_TWILIO_SIGNATURE"] = RequestValidator(TOKEN).compute_signature(BASE + "/sms", form)
    status = run_wsgi_app(app.wsgi_app, environ, buffered=True)[1]
    assert status.startswith("403")


def test_a_signed_get_is_answered_too(app: Flask) -> None:
    """Twilio can be set to GET: the signature then covers the query, and the answer is TwiML."""
    url = f"{BASE}/sms?Body=WALES"
    signature = RequestValidator(TOKEN).compute_signature(url, {})
    reply = app.test_client().get("/sms?Body=WALES", base_url=BASE, headers={"X-Twilio-Signature": signature})
    answer = check_sms(reply.status_code, reply.mimetype, reply.get_data(as_text=True), sent=None)
    assert answer.kind == "message"


METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]


@pytest.mark.parametrize("method", [m for m in METHODS if m != "HEAD"])
def test_signed_requests_of_any_method_get_twiml_with_a_helpline(app: Flask, method: str) -> None:
    """Twilio only POSTs (or GETs, if set to): any other method, signed, still gets TwiML."""
    form = {} if method == "GET" else {"From": "+447700900123", "Body": "WALES"}
    text = send_raw(app, method, "/sms", form, sign=True)
    assert (
        check_sms(text.status_code, text.mimetype, text.get_data(as_text=True), sent=None).kind == "message"
    )
    call = send_raw(app, method, "/voice", {} if method == "GET" else {"From": "+447700900123"}, sign=True)
    assert check_voice(call.status_code, call.mimetype, call.get_data(as_text=True)).kind in {"menu", "dial"}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("path", ["/sms", "/voice", "/voice/choose/0", "/SMS", "//voice", "/sms/x"])
def test_unsigned_requests_of_any_method_are_refused_and_never_counted_as_answered(
    app: Flask, capfd: pytest.CaptureFixture[str], method: str, path: str
) -> None:
    capfd.readouterr()
    reply = send_raw(app, method, path, {"Body": "WALES"} if method != "GET" else {}, sign=False)
    assert reply.status_code == 403
    (line,) = [json.loads(text) for text in capfd.readouterr().out.splitlines()]
    assert line["outcome"] == "refused" and line["status"] == 403 and line["service"] == "none"


@pytest.mark.parametrize("token", ["", " ", "\t\n", "   \r\n "])
def test_a_blank_token_is_no_token(token: str, caplog: pytest.LogCaptureFixture) -> None:
    app = create_app({"TWILIO_AUTH_TOKEN": token, "HELPLINE_DIRECTORY": ""})
    assert "TWILIO_AUTH_TOKEN is not set (or blank)" in caplog.text
    # a request "signed" with the blank token itself is refused
    assert Twilio(app.test_client(), token=token).sms("WALES").status == 403
    assert Twilio(app.test_client(), token=token).post("/voice", {}).status == 403


def test_a_token_with_surrounding_whitespace_is_the_token(caplog: pytest.LogCaptureFixture) -> None:
    app = create_app({"TWILIO_AUTH_TOKEN": f"  {TOKEN}\n", "HELPLINE_DIRECTORY": ""})
    assert Twilio(app.test_client()).sms("WALES").status == 200


def test_an_unsigned_senders_header_never_reaches_the_log(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    """twilio's validator logs the algorithm named in a header: the router refuses it first."""
    caplog.set_level(logging.DEBUG)
    for settings in [f"algorithm={SECRET}", f"key=x,algorithm=MD5-{SECRET}"]:
        reply = Twilio(app.test_client()).post(
            "/sms", {"Body": "WALES"}, headers={"X-Twilio-Webhooks-Signature-Settings": settings}
        )
        assert reply.status == 403
    assert "unsupported signature algorithm" in caplog.text
    assert SECRET not in caplog.text


def test_the_body_limit_fits_twilio_and_refuses_anything_larger(twilio: Twilio) -> None:
    """Twilio's longest body is 1,600 characters; the limit leaves room for every other field."""
    assert app_module.MAX_CONTENT_LENGTH == 64 * 1024
    near = twilio.sms("WALES " + "x" * 60_000)
    assert near.status == 200 and "0808 80 10 800" in near.messages()[0]
    assert twilio.sms("WALES " + "x" * 70_000).status == 403


def test_health_says_503_when_only_the_built_in_line_answers(broken_directory: Path) -> None:
    broken = create_app({"TWILIO_AUTH_TOKEN": TOKEN, "HELPLINE_DIRECTORY": str(broken_directory)})
    reply = broken.test_client().get("/healthz")
    assert reply.status_code == 503 and reply.json == {
        "status": "degraded",
        "directory": "built-in national line only",
    }


def test_health_says_200_when_the_directory_is_loaded(app: Flask) -> None:
    reply = app.test_client().get("/healthz")
    assert reply.status_code == 200 and reply.json is not None and reply.json["status"] == "ok"


# --- the shipped settings callers depend on -------------------------------------------------------


def test_a_dialled_line_rings_for_30_seconds_and_answers_on_bridge(twilio: Twilio) -> None:
    reply = twilio.post("/voice/choose/0", {"Digits": "2"})
    assert reply.xml is not None
    (dial,) = reply.xml.iter("Dial")
    assert dial.get("timeout") == "30" and dial.get("answerOnBridge") == "true"


def test_speech_is_listened_for_with_the_menus_labels_as_hints(twilio: Twilio) -> None:
    reply = twilio.post("/voice", {})
    assert reply.xml is not None
    (gather,) = reply.xml.iter("Gather")
    hints = [h.strip() for h in (gather.get("hints") or "").split(",")]
    for label in ["England", "Wales", "Scotland", "Northern Ireland"]:
        assert label in hints
    assert gather.get("input") == "dtmf speech" and gather.get("language") == "en-GB"


def test_a_closed_line_named_beside_another_says_when_it_opens() -> None:
    """In a text naming several lines, one that is closed says so, and when it opens."""
    council = load_directory(ROOT / "data" / "example-council.toml")
    scheduled = [key for key, s in council.services.items() if isinstance(s.hours, Schedule)]
    assert scheduled, "the example directory has a line with opening hours"
    national = council.national
    sunday_night = dt.datetime(2026, 3, 8, 23, 30, tzinfo=dt.UTC)
    text = sms_reply(council, Match(Intent.SERVICES, (scheduled[0], national)), now=sunday_night)
    assert text is not None and "closed now, opens" in text
