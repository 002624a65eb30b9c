"""The Lambda entry point never raises, whatever the event: arbitrary JSON, realistic events with a
field changed, and known shapes that once escaped. An unreadable request gets a plain 400; a signed
one still gets its TwiML; nothing a sender chose reaches a log line.

`gateway.respond` is what `handler.handler` calls with the app and the site built at cold start;
tests/test_lambda.py runs the handler itself in a Lambda-like process.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from app import create_app
from lambda_gateway import gateway
from lambda_gateway.events import Site
from simulator.transport import Reply, Request, Transport, parse_reply
from tests import lambda_events as events
from tests.twilio_fake import TOKEN, Twilio

APP = create_app({"TWILIO_AUTH_TOKEN": TOKEN, "PUBLIC_BASE_URL": "", "HELPLINE_DIRECTORY": ""})
SITE = Site(stage="production")
WALES = "0808 80 10 800"
NATIONAL = "0808 2000 247"
FORM = {
    "From": "+447700900123",
    "To": "+441234567890",
    "Body": "WALES",
    "MessageSid": "SM" + "0" * 32,
    "AccountSid": "AC" + "0" * 32,
}
# What a sender may put in a field, to be looked for in the logs afterwards.
MARK = "zq7canary"
ANSWERS = {200, 400, 403, 404, 405, 413}

FAST = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]


def signed(event_for: Any, url: str, stage: str, **options: Any) -> dict[str, Any]:
    signature = RequestValidator(TOKEN).compute_signature(url, FORM)
    event: dict[str, Any] = event_for(url, FORM, signature, stage=stage, **options)
    return event


def realistic() -> list[dict[str, Any]]:
    """A signed text to /sms in every shape the router is deployed behind."""
    api = f"https://{events.API_HOST}"
    return [
        signed(events.rest_v1, f"{api}/production/sms", "production"),
        signed(events.rest_v1, f"{api}/production/sms", "production", base64_body=False),
        signed(events.rest_v1, "https://helpline.example.org/sms", "production"),
        signed(events.http_v2, f"{api}/production/sms", "production"),
        signed(events.http_v2, f"{api}/sms", "$default", base64_body=False),
        signed(events.http_v2, f"https://{events.FUNCTION_URL_HOST}/sms", "$default"),
        signed(events.http_v1, f"{api}/production/sms", "production"),
        signed(events.http_v1, f"{api}/sms", "$default", base64_body=False),
    ]


@dataclass
class Gateway(Transport):
    """Twilio calling the router through API Gateway, in this process: each webhook becomes an event."""

    event: Any = events.rest_v1
    stage: str = "production"

    def deliver(self, request: Request) -> Reply:
        assert request.url.startswith(self.base), request.url
        signature = request.headers.get("X-Twilio-Signature")
        result = gateway.respond(
            APP, self.event(request.url, request.form, signature, stage=self.stage), SITE
        )
        assert result is not None
        headers = {key.lower(): value for key, value in result["headers"].items()}
        return parse_reply(result["statusCode"], headers.get("content-type", ""), text_of(result))


@dataclass
class GatewayTwilio(Twilio):
    gateway: Gateway | None = None

    @property
    def transport(self) -> Gateway:  # type: ignore[override]  # a Transport, as the base's is
        assert self.gateway is not None
        return self.gateway


@pytest.mark.parametrize(
    ("event", "base", "stage", "action"),
    [
        (events.http_v1, f"https://{events.API_HOST}/production", "production", "/production/voice/choose/0"),
        (events.http_v1, f"https://{events.API_HOST}", "$default", "/voice/choose/0"),
        (events.http_v1, "https://helpline.example.org", "$default", "/voice/choose/0"),
        (events.rest_v1, f"https://{events.API_HOST}/production", "production", "/production/voice/choose/0"),
        (events.http_v2, f"https://{events.API_HOST}/production", "production", "/production/voice/choose/0"),
        (events.http_v2, f"https://{events.FUNCTION_URL_HOST}", "$default", "/voice/choose/0"),
    ],
)
def test_a_text_and_a_call_through_each_event_format(event: Any, base: str, stage: str, action: str) -> None:
    """Signed for the URL Twilio calls, answered: a text, then a call pressed through to a busy line."""
    twilio = GatewayTwilio(
        cast(FlaskClient, None),
        token=TOKEN,
        base=base,
        gateway=Gateway(TOKEN, base, event=event, stage=stage),
    )
    assert WALES in twilio.sms("WALES").messages()[0]
    call = twilio.call().start()
    assert call.pending is not None and call.pending.get("action") == action
    call.press("2").dial_ends("busy")
    assert call.dialled == ["+448088010800", "+448082000247"]
    forged = GatewayTwilio(
        cast(FlaskClient, None),
        token="forged",
        base=base,
        gateway=Gateway("forged", base, event=event, stage=stage),
    )
    assert forged.sms("WALES").status == 403


def text_of(result: dict[str, Any]) -> str:
    body: str = result["body"]
    return base64.b64decode(body).decode() if result["isBase64Encoded"] else body


def well_formed(result: Any) -> None:
    """What Lambda can return to API Gateway: None, or a JSON proxy result."""
    if result is None:
        return
    json.dumps(result)
    assert isinstance(result["statusCode"], int) and isinstance(result["body"], str)
    assert isinstance(result["headers"], dict)


@contextlib.contextmanager
def everything_logged() -> Iterator[io.StringIO]:
    """Every log record at every level, and all that is printed, into one buffer."""
    out = io.StringIO()
    root = logging.getLogger()
    handler = logging.StreamHandler(out)
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            yield out
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def test_every_realistic_event_is_answered() -> None:
    """The base of the mutation tests below: each is a signed text that gets the Wales line."""
    for event in realistic():
        result = gateway.respond(APP, event, SITE)
        assert result is not None and result["statusCode"] == 200, result
        assert WALES in text_of(result)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
# Keys the entry point looks at, so that arbitrary events reach its reading of them.
event_keys = st.sampled_from(
    [
        "version",
        "httpMethod",
        "path",
        "rawPath",
        "rawQueryString",
        "headers",
        "multiValueHeaders",
        "queryStringParameters",
        "multiValueQueryStringParameters",
        "requestContext",
        "body",
        "isBase64Encoded",
        "cookies",
        "detail-type",
    ]
) | st.text(max_size=12)
request_contexts = st.fixed_dictionaries(
    {},
    optional={
        "http": st.fixed_dictionaries(
            {}, optional={"method": json_values, "path": json_values, "sourceIp": json_values}
        )
        | json_values,
        "stage": json_values,
        "domainName": json_values,
        "identity": json_values,
        "elb": json_values,
    },
)
arbitrary_events = st.dictionaries(
    event_keys, json_values | request_contexts | st.just("2.0") | st.just("1.0"), max_size=10
)


@settings(max_examples=400, deadline=None, suppress_health_check=FAST)
@given(event=arbitrary_events | json_values)
def test_arbitrary_json_events_never_raise(event: Any) -> None:
    with everything_logged():
        result = gateway.respond(APP, event, SITE)
    well_formed(result)
    if result is not None:
        assert result["statusCode"] in ANSWERS


def paths_in(value: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every key path in a nested event."""
    found: list[tuple[str, ...]] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            found.append((*prefix, key))
            found.extend(paths_in(inner, (*prefix, key)))
    return found


def replaced(event: dict[str, Any], path: tuple[str, ...], value: Any, delete: bool) -> dict[str, Any]:
    changed: dict[str, Any] = json.loads(json.dumps(event))
    holder = changed
    for key in path[:-1]:
        holder = holder[key]
    if delete:
        del holder[path[-1]]
    else:
        holder[path[-1]] = value
    return changed


@settings(max_examples=400, deadline=None, suppress_health_check=FAST)
@given(data=st.data(), which=st.integers(0, len(realistic()) - 1), delete=st.booleans())
def test_realistic_events_with_a_field_changed_never_raise(
    data: st.DataObject, which: int, delete: bool
) -> None:
    event = realistic()[which]
    path = data.draw(st.sampled_from(paths_in(event)), label="field")
    value = data.draw(json_values | st.text(alphabet=st.characters(codec="utf-8")), label="value")
    changed = replaced(event, path, value, delete)
    with everything_logged():
        result = gateway.respond(APP, changed, SITE)
    well_formed(result)
    if result is None:  # no longer an HTTP request: only when what says so was changed
        assert path[-1] in ("httpMethod", "version", "requestContext", "http")
        return
    assert result["statusCode"] in ANSWERS, (path, value, result)
    if result["statusCode"] == 200:  # the text's answer, or the app's safe answer for a method it lacks
        text = text_of(result)
        assert (WALES in text or NATIONAL in text) and "999" in text


@pytest.mark.parametrize("event", events.hostile(), ids=lambda event: str(sorted(event))[:40])
def test_hostile_events_get_a_plain_answer(event: dict[str, Any]) -> None:
    with everything_logged() as logged:
        result = gateway.respond(APP, event, SITE)
    well_formed(result)
    assert result is not None and 400 <= result["statusCode"] < 500, result
    assert "€" not in logged.getvalue() and "Host" not in logged.getvalue()


def test_a_query_outside_latin_1_is_read_as_its_utf_8_bytes() -> None:
    """PEP 3333: what reaches the app is the UTF-8 of the query, one byte per character."""
    seen: dict[str, Any] = {}

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.update(environ)
        start_response("204 No Content", [])
        return []

    event = events.http_v2(f"https://{events.FUNCTION_URL_HOST}/sms?a=€", FORM, None, stage="$default")
    result = gateway.respond(app, event, SITE)
    assert result is not None and result["statusCode"] == 204
    assert seen["QUERY_STRING"].encode("latin-1").decode("utf-8") == "a=€"


def test_keep_warm_pings_are_answered_quietly() -> None:
    with everything_logged() as logged:
        assert gateway.respond(APP, events.keep_warm(), SITE) is None
        assert gateway.respond(APP, {}, SITE) is None
    assert logged.getvalue() == ""


def test_an_unknown_event_is_logged_by_its_size_not_its_keys() -> None:
    event = {f"{MARK}-{n}": f"{MARK} value" for n in range(3)} | {"Records": [{"body": MARK}]}
    with everything_logged() as logged:
        assert gateway.respond(APP, event, SITE) is None
        assert gateway.respond(APP, [MARK], SITE) is None
    text = logged.getvalue()
    assert "(fields: 4)" in text and "not a JSON object (list)" in text
    assert MARK not in text and "Records" not in text


sender_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20).map(
    lambda text: MARK + text
)


@settings(max_examples=150, deadline=None, suppress_health_check=FAST)
@given(
    which=st.integers(0, len(realistic()) - 1),
    path=sender_text,
    query=sender_text,
    header=sender_text,
    body=sender_text,
    signature=st.none() | sender_text,
)
def test_nothing_an_unsigned_sender_chose_reaches_a_log_line(
    which: int, path: str, query: str, header: str, body: str, signature: str | None
) -> None:
    """Unsigned or forged requests, with the sender's text in every field a sender controls."""
    event = realistic()[which]
    for key in ("path", "rawPath"):
        if key in event:
            event[key] = f"{event[key]}/{path}"
    if "rawQueryString" in event:
        event["rawQueryString"] = query
    else:
        event["multiValueQueryStringParameters"] = {query: [query]}
    for headers in (event["headers"], event.get("multiValueHeaders") or {}):
        multi = headers is event.get("multiValueHeaders")
        for key in [key for key in headers if key.lower() == "x-twilio-signature"]:
            del headers[key]
        headers[header] = [header] if multi else header
        if signature is not None:
            headers["X-Twilio-Signature"] = [signature] if multi else signature
    event["body"], event["isBase64Encoded"] = body, False
    with everything_logged() as logged:
        result = gateway.respond(APP, event, SITE)
    well_formed(result)
    assert result is not None and result["statusCode"] in ANSWERS - {200}
    assert MARK not in logged.getvalue()
