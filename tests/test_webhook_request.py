"""The webhook form is read by a short path of our own: it must give exactly werkzeug's form."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from flask import Flask, request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from app import create_app
from routes.webhook_request import FORM_TYPE, WebhookRequest
from tests.twilio_fake import Twilio

LIMIT = 4096
APP = create_app({"TWILIO_AUTH_TOKEN": "t", "MAX_CONTENT_LENGTH": LIMIT})

# The pieces a urlencoded body is made of, and the ones that break it.
PIECES = st.sampled_from(
    ["&", "=", "+", "%", "%2", "%26", "%3D", "%C3%A9", "%FF", "%E2%82", ";", "é", "\x00"]
)
BODIES = st.one_of(
    st.binary(max_size=600),
    st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=40).map(lambda parts: "".join(parts).encode()),
)


def environ(body: bytes, content_type: str | None = FORM_TYPE, length: int | None = None) -> dict[str, Any]:
    env = EnvironBuilder(method="POST", path="/sms", input_stream=BytesIO(body)).get_environ()
    env["CONTENT_LENGTH"] = str(len(body) if length is None else length)
    if content_type is None:
        env.pop("CONTENT_TYPE", None)
    else:
        env["CONTENT_TYPE"] = content_type
    return env


def forms(body: bytes, content_type: str | None = FORM_TYPE) -> tuple[Any, Any]:
    """Our form and werkzeug's for the same request, each as a list of (name, value) pairs."""
    with APP.request_context(environ(body, content_type)):
        assert isinstance(request._get_current_object(), WebhookRequest)  # type: ignore[attr-defined]
        ours = (list(request.form.items(multi=True)), dict(request.files))
    theirs = Request(environ(body, content_type))
    return ours, (list(theirs.form.items(multi=True)), dict(theirs.files))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BODIES)
def test_any_body_gives_werkzeugs_form(body: bytes) -> None:
    ours, theirs = forms(body)
    assert ours == theirs


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "application/json",
        f"{FORM_TYPE}; charset=utf-8",
        "multipart/form-data; boundary=x",
    ],
)
def test_other_content_types_are_read_as_werkzeug_reads_them(content_type: str | None) -> None:
    body = b"--x\r\nContent-Disposition: form-data; name=Body\r\n\r\nWALES\r\n--x--\r\n"
    for sample in (b"Body=WALES&To=%2B441632960000", body):
        ours, theirs = forms(sample, content_type)
        assert ours == theirs


def test_a_body_over_the_limit_is_refused_before_it_is_read() -> None:
    body = b"Body=" + b"x" * LIMIT
    stream = BytesIO(body)
    env = environ(body)
    env["wsgi.input"] = stream
    with APP.request_context(env), pytest.raises(RequestEntityTooLarge):
        _ = request.form
    assert stream.tell() == 0


def test_the_body_reads_as_consumed_after_the_form(app: Flask) -> None:
    with app.request_context(environ(b"Body=WALES")):
        assert request.form["Body"] == "WALES"
        assert request.get_data() == b""


def test_a_whole_text_and_call_go_through_it(twilio: Twilio) -> None:
    (text,) = twilio.sms("Scotland please, caf\u00e9 & m\u00e1s").messages()
    assert "0800 027 1234" in text
    call = twilio.call().start().press("2")
    assert call.dialled == ["+448088010800"]
