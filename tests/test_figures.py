"""Operators' figures: one JSON line per request, counted by CloudWatch, holding no caller data.

A whole suite of conversations (texts, calls down every path, failures, forgeries, a broken
directory) runs while every log record and everything printed is captured; then every record
is scanned for the callers' numbers, words, speech and message or call SIDs.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

import routes.figures
import routes.sms
from app import create_app
from helpline.directory import Directory
from tests.twilio_fake import TOKEN, Twilio

CALLER = "+447700900987"
# Every form a number can take in a log line, and words nobody else would send.
NUMBER_FORMS = [CALLER, CALLER[1:], "07700900987", "7700 900987", "07700 900987", "7700900987"]
WORDS = ["Zanzibar", "quokka", "Marmalade", "periwinkle", "Ottoline", "Ravenscar", "Quillon"]
SID = re.compile(r"\b(?:SM|MM|CA)[0-9a-f]{32}\b", re.IGNORECASE)
FIELDS = {"_aws", "channel", "step", "directory", "outcome", "service", "services", "how", "status",
          "latency_ms", "Requests", "Latency"}  # fmt: skip
CHANNELS = {"sms", "voice", "health", "other"}
OUTCOMES = {"services", "menu", "silent", "fallback", "refused", "not-understood", "connect", "ended",
            "answered", "http-404", "http-405"}  # fmt: skip
HOWS = {"keyword", "opt-out", "empty", "menu-word", "unknown", "none", "keypad", "speech", "no-input",
        "completed", "answered", "busy", "no-answer", "failed", "canceled", "other", "error",
        "no-directory", "unknown-step", "unknown-path", "stray"}  # fmt: skip


def sid(prefix: str, n: int) -> str:
    return f"{prefix}{n:032x}"


def conversations(twilio: Twilio, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every kind of exchange, from the caller's side, each text with its own MessageSid."""
    sent = iter(range(1_000))

    def text(body: str) -> None:
        n = next(sent)
        twilio.sms(body, sender=CALLER, MessageSid=sid("SM", n), SmsMessageSid=sid("SM", n))

    bodies = ["WALES", "scotland please, Zanzibar", "MEN", "ni", "england", "cymru and alba", "HELP", "",
              "Zanzibar quokka he took my phone " + CALLER, "STOP", "start", "0" + CALLER[3:]]  # fmt: skip
    for body in bodies:
        text(body)
    calls = [
        lambda c: c.press("2").dial_ends("completed"),
        lambda c: c.press("3").dial_ends("busy").dial_ends("no-answer"),
        lambda c: c.say("Marmalade periwinkle Wales").dial_ends("failed").dial_ends("completed"),
        lambda c: c.press("7").say("Ottoline Ravenscar").silence(),
        lambda c: c.press("9").press("1").dial_ends("canceled"),
        lambda c: c.say(CALLER).press("5").dial_ends("busy"),
    ]
    for follow in calls:
        call = twilio.call(caller=CALLER).start()
        if call.waiting_for == "Gather":  # with a broken directory the call is put straight through
            follow(call)
    twilio.post("/voice/dialled/men", {"From": CALLER, "DialCallStatus": "whatever Quillon"})
    twilio.post("/voice/no/such/step", {"From": CALLER, "Digits": "Zanzibar"})
    twilio.post("/sms//", {"From": CALLER, "Body": "Zanzibar"})
    Twilio(twilio.client, token="not-the-token").sms("Zanzibar quokka", sender=CALLER)

    def boom(body: str, *args: object) -> None:
        raise ValueError(f"cannot match {body!r} from {CALLER}")

    monkeypatch.setattr(routes.sms, "match_sms", boom)
    text("Quillon wales")
    twilio.client.get("/healthz")
    twilio.client.get(f"/nowhere/{CALLER}")


def figure_lines(out: str) -> list[dict[str, Any]]:
    """Every line the app printed is a figures line: JSON, one object a line."""
    return [json.loads(line) for line in out.splitlines()]


def caller_data_in(text: str) -> list[str]:
    lowered = text.lower()
    found = [s for s in NUMBER_FORMS + WORDS if s.lower() in lowered]
    return found + SID.findall(text)


@dataclass
class Suite:
    records: str  # every log record, all loggers, all levels, with its arguments and traceback
    out: str
    err: str
    lines: list[dict[str, Any]]


def run_suite(
    app: Flask,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Suite:
    caplog.set_level(logging.DEBUG)
    capfd.readouterr()
    requests: list[str] = []
    # first of the hooks: the signature check answers an unsigned request before later ones run
    app.before_request_funcs.setdefault(None, []).insert(0, lambda: requests.append("x") and None)
    conversations(Twilio(app.test_client()), monkeypatch)
    out, err = capfd.readouterr()
    lines = figure_lines(out)
    assert len(lines) == len(requests) > 20, "one figures line per request"
    records = "\n".join(
        f"{r.name} {r.levelname} {r.getMessage()} {r.exc_text or ''} {r.args!r} {r.stack_info or ''}"
        for r in caplog.records
    )
    return Suite(records, out, err, lines)


def test_a_whole_suite_logs_and_prints_no_caller_data(
    app: Flask,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    suite = run_suite(app, caplog, monkeypatch=monkeypatch, capfd=capfd)
    assert "Webhook refused" in suite.records and "ValueError at" in suite.records, "logs must be seen"
    assert caller_data_in(suite.records) == []
    assert caller_data_in(suite.out + suite.err) == []


def test_a_broken_directory_logs_no_caller_data_either(
    broken_directory: Path,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = create_app({"TWILIO_AUTH_TOKEN": TOKEN, "HELPLINE_DIRECTORY": str(broken_directory)})
    suite = run_suite(app, caplog, capfd, monkeypatch)
    assert caller_data_in(suite.records + suite.out + suite.err) == []
    assert {line["directory"] for line in suite.lines} == {routes.figures.BUILT_IN}
    webhooks = [f for f in suite.lines if f["channel"] in ("sms", "voice") and f["status"] == 200]
    # every answer is the built-in line, but opt-out words, which get no reply at all
    assert webhooks and {f["outcome"] for f in webhooks} == {"fallback", "silent"}
    assert {f["how"] for f in webhooks if f["outcome"] == "silent"} == {"opt-out"}


def test_every_line_is_embedded_metric_format_from_a_fixed_vocabulary(
    app: Flask,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    directory: Directory,
) -> None:
    suite = run_suite(app, caplog, capfd, monkeypatch)
    services = set(directory.services) | {"unknown"}
    for line in suite.lines:
        assert set(line) == FIELDS, line
        assert line["channel"] in CHANNELS and line["outcome"] in OUTCOMES and line["how"] in HOWS, line
        assert set(line["services"]) <= services and line["directory"] == directory.name, line
        expected = "+".join(sorted(line["services"])) or "none"
        assert line["service"] == expected and isinstance(line["status"], int), line
        assert line["Requests"] == 1 and line["Latency"] == line["latency_ms"] >= 0, line
        meta = line["_aws"]
        assert isinstance(meta["Timestamp"], int) and meta["Timestamp"] > 1_600_000_000_000
        for directive in meta["CloudWatchMetrics"]:
            assert directive["Namespace"] == routes.figures.NAMESPACE
            for dimension_set in directive["Dimensions"]:
                assert all(isinstance(line[name], str) for name in dimension_set), dimension_set
            for metric in directive["Metrics"]:
                assert isinstance(line[metric["Name"]], (int, float)) and metric["Unit"], metric


def test_lines_say_what_each_request_came_to(
    twilio: Twilio, capfd: pytest.CaptureFixture[str], directory: Directory
) -> None:
    capfd.readouterr()
    twilio.sms("wales or scotland")
    twilio.sms("STOP")
    twilio.sms("women")
    call = twilio.call().start().press("8").press("4").dial_ends("busy").dial_ends("completed")
    assert call.ended
    Twilio(twilio.client, token="wrong").sms("WALES")
    lines = figure_lines(capfd.readouterr().out)
    got = [(f["channel"], f["step"], f["outcome"], f["service"], f["how"]) for f in lines]
    assert got == [
        ("sms", "message", "services", "scotland+wales", "keyword"),
        ("sms", "message", "silent", "none", "opt-out"),
        ("sms", "message", "menu", "none", "unknown"),
        ("voice", "start", "menu", "none", "none"),
        ("voice", "choose", "not-understood", "none", "keypad"),
        ("voice", "choose", "connect", "northern-ireland", "keypad"),
        ("voice", "dialled", "connect", directory.national, "busy"),
        ("voice", "dialled", "ended", "none", "completed"),
        ("sms", "message", "refused", "none", "none"),
    ]


def test_only_the_directory_names_services_in_a_line(app: Flask) -> None:
    """A service key from anywhere else (a URL path) could carry anything: it is "unknown"."""
    with app.test_request_context(f"/voice/dialled/Quillon{CALLER}", method="POST"):
        routes.figures.record("connect", services=["wales", f"Quillon{CALLER}"])
        line = routes.figures.document(200)
    assert line["services"] == ["wales", "unknown"] and line["service"] == "unknown+wales"
    assert line["step"] == "dialled" and caller_data_in(json.dumps(line)) == []


def test_a_failure_to_write_figures_never_costs_the_answer(
    twilio: Twilio, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> str:
        raise TypeError(f"not serialisable: {CALLER}")

    monkeypatch.setattr(routes.figures, "document", broken)
    (text,) = twilio.sms("WALES").messages()
    assert "0808 80 10 800" in text
    assert "Figures not written: TypeError" in caplog.text and CALLER not in caplog.text
