"""Faults: a broken directory, a failing core, a failing hook, no network. Callers still get help.

Every answer here goes through the same Twilio-safety checks as the property tests: a 200 with
TwiML that puts the caller through to the national line (or texts it) with the 999 advice.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

import routes.sms
import routes.voice
from app import create_app
from helpline import fallback
from helpline.directory import DEFAULT_DIRECTORY, load_directory
from tests.safe_twiml import NATIONAL, Answer, check_sms, check_voice
from tests.twilio_fake import TOKEN, Twilio

ROOT = Path(__file__).resolve().parent.parent
CALLER = "+447700900555"
SECRET = "Wolverton kestrel"
# The last resort: in the shipped directory's words, or the built-in ones.
SHIPPED_WORDS = fallback.words_for(load_directory(DEFAULT_DIRECTORY))
FALLBACK_CALLS = {routes.voice.FALLBACK, routes.voice.fallback_voice(SHIPPED_WORDS)}
FALLBACK_TEXTS = {fallback.SMS, SHIPPED_WORDS.sms}
FAILED = ["busy", "no-answer", "failed", "canceled"]


def sms(twilio: Twilio, body: str) -> Answer:
    reply = twilio.sms(body, sender=CALLER)
    return check_sms(reply.status, reply.content_type, reply.text, sent=body)


def step(twilio: Twilio, path: str, params: dict[str, str]) -> Answer:
    reply = twilio.post(path, {"From": CALLER, **params})
    return check_voice(reply.status, reply.content_type, reply.text)


def every_call_step() -> Iterator[tuple[str, dict[str, str]]]:
    """Every step a call can reach, with every kind of input it can bring."""
    yield "/voice", {}
    for attempt in range(4):
        for params in [{}, {"Digits": "2"}, {"Digits": "9"}, {"Digits": "7"}, {"SpeechResult": "Wales"},
                       {"SpeechResult": SECRET}]:  # fmt: skip
            yield f"/voice/choose/{attempt}", params
    for service in ["england", "wales", "scotland", "northern-ireland", "men", "nowhere"]:
        for status in ["completed", *FAILED, ""]:
            yield f"/voice/dialled/{service}", {"DialCallStatus": status}
    yield "/voice/choose/x", {"Digits": "1"}
    yield "/voice/an/old/step", {}


def assert_fallback_call(answer: Answer) -> None:
    assert answer.kind == "dial" and answer.dialled == (fallback.NATIONAL_NUMBER,)
    assert "999" in answer.said[0] and "5 5" in answer.said[0]


def assert_fallback_text(answer: Answer) -> None:
    """The national line and the 999 advice, in the built-in words or the shipped directory's."""
    assert answer.kind == "message" and answer.said[0] in FALLBACK_TEXTS
    (text,) = answer.said
    assert "999" in text and "55" in text and fallback.NATIONAL_WRITTEN in text


# --- the directory missing or corrupt at cold start --------------------------------------------


def _missing(tmp: Path) -> Path:
    return tmp / "missing.toml"


def _empty(tmp: Path) -> Path:
    (tmp / "empty.toml").write_text("")
    return tmp / "empty.toml"


def _not_toml(tmp: Path) -> Path:
    (tmp / "junk.toml").write_bytes(b"\x00\xff[[[ not toml \xfe = = =\n")
    return tmp / "junk.toml"


def _truncated(tmp: Path) -> Path:
    text = DEFAULT_DIRECTORY.read_text()
    (tmp / "half.toml").write_text(text[: len(text) // 2])
    return tmp / "half.toml"


def _bad_number(tmp: Path) -> Path:
    text = DEFAULT_DIRECTORY.read_text().replace('number = "+448088010800"', 'number = "0808 80 10 800"')
    (tmp / "bad.toml").write_text(text)
    return tmp / "bad.toml"


def _no_national(tmp: Path) -> Path:
    text = DEFAULT_DIRECTORY.read_text().replace('national = "england"', 'national = "atlantis"')
    (tmp / "nonational.toml").write_text(text)
    return tmp / "nonational.toml"


def _a_folder(tmp: Path) -> Path:
    (tmp / "folder.toml").mkdir()
    return tmp / "folder.toml"


BROKEN = [_missing, _empty, _not_toml, _truncated, _bad_number, _no_national, _a_folder]


@pytest.mark.parametrize("make", BROKEN, ids=[m.__name__.strip("_") for m in BROKEN])
def test_a_broken_directory_at_cold_start_still_answers_every_step(
    make: Callable[[Path], Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    path = make(tmp_path)
    app = create_app({"TWILIO_AUTH_TOKEN": TOKEN, "HELPLINE_DIRECTORY": str(path)})
    loud = [r for r in caplog.records if r.levelno == logging.CRITICAL]
    assert len(loud) == 1 and str(path) in loud[0].getMessage()
    assert "built-in national line" in loud[0].getMessage()
    twilio = Twilio(app.test_client())
    for body in ["WALES", "", "HELP", SECRET, "x" * 1600]:
        assert_fallback_text(sms(twilio, body))
    for path_, params in every_call_step():
        assert_fallback_call(step(twilio, path_, params))
    call = twilio.call(caller=CALLER).start()
    assert call.dialled == [fallback.NATIONAL_NUMBER] and call.waiting_for == "Dial"
    assert app.test_client().get("/healthz").json == {
        "status": "degraded",
        "directory": "built-in national line only",
    }
    assert Twilio(app.test_client(), token="forged").sms("WALES").status == 403


# --- an exception in matching or rendering ------------------------------------------------------


def boom(*args: object, **kwargs: object) -> Any:
    raise RuntimeError(f"cannot handle {SECRET} from {CALLER}")


SMS_PARTS = ["match_sms", "sms_reply", "message", "MessagingResponse", "current_router"]
VOICE_PARTS = ["ivr.start", "ivr.choose", "ivr.after_dial", "ivr.menu", "ivr.connect", "render", "link",
               "VoiceResponse", "GatherVerb", "current_router"]  # fmt: skip


@pytest.mark.parametrize("part", SMS_PARTS)
def test_an_exception_anywhere_in_a_text_answers_with_the_national_line(
    part: str, twilio: Twilio, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(routes.sms, part, boom)
    for body in ["WALES", "STOP", "", SECRET]:
        assert_fallback_text(sms(twilio, body))
    assert "RuntimeError at" in caplog.text
    assert SECRET not in caplog.text and CALLER not in caplog.text


@pytest.mark.parametrize("part", VOICE_PARTS)
def test_an_exception_anywhere_in_a_call_step_puts_the_caller_through(
    part: str, twilio: Twilio, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    target: Any = routes.voice
    *owner, name = part.split(".")
    for attr in owner:
        target = getattr(target, attr)

    def fallbacks() -> int:
        """How many steps answer with the fallback; each answer must be safe either way."""
        count = 0
        for path, params in every_call_step():
            reply = twilio.post(path, {"From": CALLER, **params})
            answer = check_voice(reply.status, reply.content_type, reply.text)
            if reply.text in FALLBACK_CALLS:
                assert_fallback_call(answer)
                count += 1
        return count

    by_design = fallbacks()  # the steps this version does not know
    monkeypatch.setattr(target, name, boom)
    fell_back = fallbacks()
    failures = [r for r in caplog.records if "Webhook failed" in r.getMessage()]
    assert fell_back > by_design and len(failures) == fell_back - by_design
    assert all("RuntimeError at" in r.getMessage() for r in failures)
    assert SECRET not in caplog.text and CALLER not in caplog.text


def test_a_call_whose_dial_outcome_step_breaks_still_reaches_the_national_line(
    twilio: Twilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    call = twilio.call(caller=CALLER).start().press("3")
    assert call.waiting_for == "Dial"
    monkeypatch.setattr(routes.voice.ivr, "after_dial", boom)
    call.dial_ends("busy")
    assert call.dialled[-1] == NATIONAL and call.waiting_for == "Dial"
    assert any("999" in s for s in call.said[-3:])


def test_a_failing_signature_check_is_a_refusal_not_a_500(
    twilio: Twilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Broken:
        def __init__(self, token: str) -> None:
            pass

        compute_signature = validate = staticmethod(boom)

    monkeypatch.setattr(routes.signature, "RequestValidator", Broken)
    assert twilio.sms("WALES").status == 403
    assert twilio.post("/voice", {"From": CALLER}).status == 403


@pytest.fixture
def hooked_app() -> Flask:
    return create_app({"TWILIO_AUTH_TOKEN": TOKEN, "PUBLIC_BASE_URL": "", "HELPLINE_DIRECTORY": ""})


def test_an_exception_outside_the_view_still_answers_safely_and_privately(
    hooked_app: Flask, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    """A request hook that fails (Flask itself, a future middleware) gets the fallback, not a 500,
    and the error is logged without its message."""
    hooked_app.before_request(boom)
    twilio = Twilio(hooked_app.test_client())
    assert_fallback_text(sms(twilio, SECRET))
    assert_fallback_call(step(twilio, "/voice", {}))
    assert_fallback_call(step(twilio, "/voice/choose/1", {"SpeechResult": SECRET}))
    assert "RuntimeError at" in caplog.text
    out, err = capfd.readouterr()
    for text in (caplog.text, out, err):
        assert SECRET not in text and CALLER not in text
    lines = [json.loads(line) for line in out.splitlines()]
    assert [(f["outcome"], f["how"]) for f in lines] == [("fallback", "error")] * 3


# --- no network on the request path -------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every way out of the process fails, and is written down."""
    attempts: list[str] = []

    def refuse(name: str) -> Callable[..., Any]:
        def refused(*args: object, **kwargs: object) -> Any:
            attempts.append(name)
            raise OSError(f"network call on the request path: {name}")

        return refused

    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("gethostbyname"))
    yield attempts


def test_no_network_call_at_start_or_in_whole_conversations(no_network: list[str]) -> None:
    app = create_app({"TWILIO_AUTH_TOKEN": TOKEN, "PUBLIC_BASE_URL": "", "HELPLINE_DIRECTORY": ""})
    twilio = Twilio(app.test_client())
    for body in ["WALES", "scotland or ni", "MEN", "HELP", "STOP", SECRET, ""]:
        answer = sms(twilio, body)
        assert answer.kind == "silent" or fallback.SMS not in answer.said
    for keys in ["1", "2", "3", "4", "5"]:
        call = twilio.call(caller=CALLER).start().press("9").press(keys).dial_ends("busy")
        assert call.dialled[-1] == NATIONAL
        if not call.ended:  # the national line itself was busy: its number is read out
            call.dial_ends("no-answer")
        assert call.ended
    call = twilio.call(caller=CALLER).start().press("7").say(SECRET).silence()
    assert call.dialled == [NATIONAL]
    for path, params in every_call_step():
        step(twilio, path, params)
    assert app.test_client().get("/healthz").status_code == 200
    assert no_network == []


def test_the_guard_would_see_a_network_call(no_network: list[str]) -> None:
    """The test above proves something only if a connection attempt is caught."""
    with pytest.raises(OSError), socket.socket() as sock:
        sock.connect(("127.0.0.1", 9))
    assert no_network == ["connect"]


COLD_START = textwrap.dedent(
    """
    import json, socket, sys
    attempts = []
    def refuse(*args, **kwargs):
        attempts.append(1)
        raise OSError("no network")
    socket.socket.connect = socket.socket.connect_ex = refuse
    socket.create_connection = socket.getaddrinfo = socket.gethostbyname = refuse
    from twilio.request_validator import RequestValidator
    import app  # the cold start: `app = create_app()` from the environment
    client = app.app.test_client()
    url = "http://localhost/sms"
    params = {"From": "+447700900555", "Body": "WALES"}
    signature = RequestValidator(sys.argv[1]).compute_signature(url, params)
    sms = client.post("/sms", data=params, headers={"X-Twilio-Signature": signature})
    voice = client.post("/voice", data={}, headers={
        "X-Twilio-Signature": RequestValidator(sys.argv[1]).compute_signature("http://localhost/voice", {})})
    print(json.dumps({"sms": [sms.status_code, sms.get_data(as_text=True)],
                      "voice": [voice.status_code, voice.get_data(as_text=True)],
                      "healthz": client.get("/healthz").get_json(), "attempts": len(attempts)}))
    """
)


def cold_start(env: dict[str, str], token: str) -> tuple[dict[str, Any], str]:
    """Import the app in a fresh process, as Lambda does, with no network at all."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "HELPLINE_", "PUBLIC_"))}
    done = subprocess.run(
        [sys.executable, "-c", COLD_START, token],
        cwd=ROOT,
        env={**clean, "PYTHONDONTWRITEBYTECODE": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


@pytest.mark.slow
def test_a_cold_start_with_a_missing_directory_answers_and_says_so_loudly(tmp_path: Path) -> None:
    result, stderr = cold_start(
        {"TWILIO_AUTH_TOKEN": TOKEN, "HELPLINE_DIRECTORY": str(tmp_path / "gone.toml")}, TOKEN
    )
    assert "CRITICAL" in stderr and "gone.toml" in stderr
    status, body = result["sms"]
    assert status == 200 and fallback.SMS in body
    status, body = result["voice"]
    assert status == 200 and fallback.NATIONAL_NUMBER in body and "999" in body
    assert result["healthz"]["status"] == "degraded" and result["attempts"] == 0


@pytest.mark.slow
def test_a_cold_start_without_a_token_fails_closed_even_if_a_lookup_is_named() -> None:
    """No token in the environment (and any parameter-store lookup unreachable): the app still
    starts, refuses every webhook, and says why."""
    env = {
        "TWILIO_AUTH_TOKEN_SSM_PARAMETER": "/helpline/twilio-auth-token",
        "AWS_DEFAULT_REGION": "eu-west-2",
    }
    result, stderr = cold_start(env, TOKEN)
    assert result["sms"][0] == 403 and result["voice"][0] == 403
    assert "0808" not in result["sms"][1] + result["voice"][1]
    assert result["healthz"]["status"] == "ok"
    assert "TWILIO_AUTH_TOKEN" in stderr and TOKEN not in stderr


def test_the_last_resort_speaks_in_the_words_of_the_directory_called(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error answers with the directory's own texts for its 24/7 line, not the built-in ones."""
    path = tmp_path / "own-words.toml"
    source = DEFAULT_DIRECTORY.read_text()
    own = source.replace('sms_free = ", free"', 'sms_free = ", free to call"').replace(
        'voice_greeting = "You have reached the helpline finder.', 'voice_greeting = "Helpline finder here.'
    )
    assert own.count("free to call") == 1 and own.count("Helpline finder here.") == 1
    path.write_text(own)
    twilio = Twilio(create_app({"TWILIO_AUTH_TOKEN": TOKEN, "HELPLINE_DIRECTORY": str(path)}).test_client())
    monkeypatch.setattr(routes.sms, "match_sms", boom)
    monkeypatch.setattr(routes.voice.ivr, "start", boom)
    (text,) = check_sms(*sms_reply(twilio, "WALES"), sent="WALES").said
    assert "0808 2000 247, free to call" in text and "999" in text
    call = step(twilio, "/voice", {})
    assert (
        call.kind == "dial"
        and call.dialled == (NATIONAL,)
        and call.said[0].startswith("Helpline finder here.")
    )


def sms_reply(twilio: Twilio, body: str) -> tuple[int, str, str]:
    reply = twilio.sms(body, sender=CALLER)
    return reply.status, reply.content_type, reply.text
