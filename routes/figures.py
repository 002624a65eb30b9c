"""Anonymous figures for operators: one JSON line per request, which is also a CloudWatch metric.

Each line says which channel and step was asked, the directory answering, the outcome (and the
helplines given), how the request was recognised, the HTTP status and the latency. It is written
in CloudWatch Embedded Metric Format, so CloudWatch counts requests per service and per outcome
from the log alone, with no API call on the request path.

Nothing a caller sent is written: no number, no message text, no speech, no keys pressed, no
MessageSid or CallSid, no path. Every value comes from a fixed vocabulary or from the directory.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable
from typing import Any

from flask import Response, current_app, g, request

from routes.state import Router, current_router, is_whatsapp

NAMESPACE = "HelplineRouter"
BUILT_IN = "built-in national line"
NO_SERVICE = "none"
SEVERAL = "+"

# Which channel and step each endpoint is; anything else is "other", or the webhook its path is near.
STEPS = {
    "sms.incoming_sms": ("sms", "message"),
    "voice.incoming_call": ("voice", "start"),
    "voice.choose": ("voice", "choose"),
    "voice.dialled": ("voice", "dialled"),
    "health.healthz": ("health", "healthz"),
}
METRICS = [
    {
        "Namespace": NAMESPACE,
        "Dimensions": [["channel", "outcome"], ["channel", "service"]],
        "Metrics": [{"Name": "Requests", "Unit": "Count"}],
    },
    {
        "Namespace": NAMESPACE,
        "Dimensions": [["channel"]],
        "Metrics": [{"Name": "Latency", "Unit": "Milliseconds"}],
    },
]


def record(
    outcome: str, *, how: str = "none", services: Iterable[str] = (), router: Router | None = None
) -> None:
    """Say what this request came to (and the router that answered it, where the view has it);
    the line is written when the response leaves."""
    g.helpline_figures = (outcome, how, tuple(services), router)


def start_clock() -> None:
    g.helpline_started = time.perf_counter()


def write_line(response: Response) -> Response:
    """Write the line, bare, to stdout: Lambda sends it to CloudWatch, where an EMF line must be
    pure JSON (a logging prefix would hide it). Flushed: the process may be frozen as soon as the
    response leaves."""
    try:
        sys.stdout.write(json.dumps(document(response.status_code), separators=(",", ":")) + "\n")
        sys.stdout.flush()
    except Exception as exc:  # figures must never cost a caller their answer
        current_app.logger.error("Figures not written: %s", type(exc).__name__)
    return response


def document(status: int) -> dict[str, Any]:
    """The current request's figures as one EMF document: the fields, and which are metrics."""
    started = g.get("helpline_started")
    latency = round((time.perf_counter() - started) * 1000, 3) if started is not None else None
    channel, step = _step()
    outcome, how, services, router = g.get("helpline_figures", (_outcome_of(status), "none", (), None))
    router = router or _router()
    known = router.directory.services if router is not None else {}
    services = tuple(s if s in known else "unknown" for s in services)
    metrics = METRICS if latency is not None else METRICS[:1]
    return {
        "_aws": {"Timestamp": int(time.time() * 1000), "CloudWatchMetrics": metrics},
        "channel": channel,
        "step": step,
        "directory": router.directory.name if router is not None else BUILT_IN,
        "outcome": outcome,
        "service": SEVERAL.join(sorted(services)) or NO_SERVICE,
        "services": list(services),
        "how": how,
        "status": status,
        "latency_ms": latency,
        "Requests": 1,
        "Latency": latency,
    }


def _step() -> tuple[str, str]:
    known = STEPS.get(request.endpoint or "")
    signed = g.get("channel") is not None  # the form of an unsigned request is never read
    if known == ("sms", "message") and signed and is_whatsapp(request.form.get("To", "")):
        return "whatsapp", "message"
    if known is not None:
        return known
    channel = g.get("channel")  # set once a webhook's signature is checked
    return (channel, "unknown-path") if channel is not None else ("other", "none")


def _router() -> Router | None:
    """The router that answered: the directory of the number texted or called."""
    if g.get("channel") is None:  # never read the form of an unsigned request
        return current_router()
    return current_router(request.form.get("To", ""))


def _outcome_of(status: int) -> str:
    if status == 200:
        return "answered"
    if status == 403:
        return "refused"
    return f"http-{status}"
