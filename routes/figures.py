"""Anonymous figures for operators: one JSON line per request, which is also a CloudWatch metric.

Each line says which channel and step was asked, the directory answering, the outcome (and the
helplines given), how the request was recognised, the HTTP status and the latency. The same line
is in CloudWatch Embedded Metric Format, so CloudWatch counts requests per service and per
outcome from the log alone, with no API call on the request path.

Nothing a caller sent is written: no number, no message text, no speech, no keys pressed, no
MessageSid or CallSid, no path. Every value comes from a fixed vocabulary or from the directory.

The format is written here rather than with aws-lambda-powertools: its metrics module added about
10 ms of imports to every cold start (measured with `python -X importtime` after Flask), brings
another package into the Lambda zip, and keeps one dimension set per flush, where these figures
need two (per service and per outcome) from one line.
"""

from __future__ import annotations

import functools
import json
import sys
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import Flask, Response, current_app, g, request

from routes.state import Router, current_router

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

NAMESPACE = "HelplineRouter"
BUILT_IN = "built-in national line"
NO_SERVICE = "none"
SEVERAL = "+"
STARTED = "helpline.started"
# Twilio writes WhatsApp senders and numbers as "whatsapp:+44...", on the SMS webhook.
WHATSAPP = "whatsapp:"

# Which channel and step each endpoint is; anything else (404s, 405s) is "other".
STEPS = {
    "sms.incoming_sms": ("sms", "message"),
    "sms.unknown_sms_path": ("sms", "unknown-path"),
    "voice.incoming_call": ("voice", "start"),
    "voice.choose": ("voice", "choose"),
    "voice.dialled": ("voice", "dialled"),
    "voice.unknown_step": ("voice", "unknown-step"),
    "health.healthz": ("health", "healthz"),
}

_EMF = {
    "Namespace": NAMESPACE,
    "Dimensions": [["channel", "outcome"], ["channel", "service"]],
    "Metrics": [{"Name": "Requests", "Unit": "Count"}],
}
_EMF_LATENCY = {
    "Namespace": NAMESPACE,
    "Dimensions": [["channel"]],
    "Metrics": [{"Name": "Latency", "Unit": "Milliseconds"}],
}
_encode = json.JSONEncoder(separators=(",", ":")).encode
# The metric declarations never change: written out once, not on every request.
_DECLARED = {True: _encode([_EMF, _EMF_LATENCY]), False: _encode([_EMF])}


def record(
    outcome: str, *, how: str = "none", services: Iterable[str] = (), router: Router | None = None
) -> None:
    """Say what this request came to, and the router that answered it if the view has it at
    hand; the line is written when the response leaves."""
    g.helpline_figures = (outcome, how, tuple(services), router)


def install(app: Flask) -> None:
    """Time each request from the moment the server hands it over, and write its line last."""
    inner = app.wsgi_app

    def timed(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        environ[STARTED] = time.perf_counter()
        return inner(environ, start_response)

    app.wsgi_app = timed  # type: ignore[method-assign]
    app.after_request(_finish)


def _finish(response: Response) -> Response:
    """Write the line, bare, to stdout: Lambda sends it to CloudWatch, where an EMF line must be
    pure JSON (a logging prefix would hide it). One write, flushed: the process may be frozen
    as soon as the response leaves."""
    try:
        sys.stdout.write(line(response.status_code) + "\n")
        sys.stdout.flush()
    except Exception as exc:  # figures must never cost a caller their answer
        current_app.logger.error("Figures not written: %s", type(exc).__name__)
    return response


def line(status: int) -> str:
    """The current request's figures as one EMF document: the fields, and which are metrics."""
    started = request.environ.get(STARTED)
    latency = round((time.perf_counter() - started) * 1000, 3) if started is not None else None
    declared = _DECLARED[latency is not None]
    envelope = f'{{"_aws":{{"Timestamp":{int(time.time() * 1000)},"CloudWatchMetrics":{declared}}}'
    timing = "null" if latency is None else repr(latency)  # a finite float's repr is its JSON
    return f'{envelope},{figures(status)},"latency_ms":{timing},"Requests":1,"Latency":{timing}}}'


def figures(status: int) -> str:
    """What the current request came to, as JSON members: every value is from a fixed vocabulary
    or the directory, so there are few distinct sets, and each is encoded once per process."""
    channel, step = STEPS.get(request.endpoint or "", ("other", "none"))
    if channel == "sms" and _form("To").startswith(WHATSAPP):
        channel = "whatsapp"
    outcome, how, services, router = g.get("helpline_figures", (_outcome_of(status), "none", (), None))
    router = router or _router()
    known = router.directory.services if router is not None else {}
    services = tuple(s if s in known else "unknown" for s in services)
    directory = router.directory.name if router is not None else BUILT_IN
    return _members(channel, step, directory, outcome, services, how, status)


@functools.lru_cache(maxsize=1024)
def _members(
    channel: str, step: str, directory: str, outcome: str, services: tuple[str, ...], how: str, status: int
) -> str:
    fields = {
        "channel": channel,
        "step": step,
        "directory": directory,
        "outcome": outcome,
        "service": SEVERAL.join(sorted(services)) or NO_SERVICE,
        "services": list(services),
        "how": how,
        "status": status,
    }
    return _encode(fields)[1:-1]


def _form(name: str) -> str:
    try:
        return request.form.get(name, "")
    except Exception:  # a body too large or unreadable: it was never answered from a directory
        return ""


def _router() -> Router | None:
    """The router that answered: the directory of the number texted or called."""
    return current_router(_form("To").removeprefix(WHATSAPP))


def _outcome_of(status: int) -> str:
    if status == 200:
        return "answered"
    if status == 403:
        return "refused"
    return f"http-{status}"
