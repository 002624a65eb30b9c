"""The webhook form is read by a short path of our own: it must give exactly werkzeug's form."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import Any

import pytest
from flask import Flask, request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
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


def environ(
    body: bytes, content_type: str | None = FORM_TYPE, length: str | None = "", chunked: bool = False
) -> dict[str, Any]:
    """A request carrying `body`; `length` "" is the body's true length, None no header."""
    env = EnvironBuilder(method="POST", path="/sms", input_stream=BytesIO(body)).get_environ()
    env.pop("CONTENT_TYPE", None)
    env.pop("CONTENT_LENGTH", None)
    if content_type is not None:
        env["CONTENT_TYPE"] = content_type
    if length is not None:
        env["CONTENT_LENGTH"] = length or str(len(body))
    if chunked:
        env["HTTP_TRANSFER_ENCODING"] = "chunked"
    return env


def read(env: dict[str, Any], reader: Callable[[dict[str, Any]], Any]) -> tuple[str, Any]:
    """What a request's form came to: its fields, or the HTTP error reading it raised."""
    try:
        return "form", list(reader(env).items(multi=True))
    except HTTPException as exc:
        return "error", exc.code


def forms(body: bytes, content_type: str | None = FORM_TYPE, **headers: Any) -> tuple[Any, Any]:
    """Our reading and werkzeug's of the same request."""

    def ours(env: dict[str, Any]) -> Any:
        with APP.request_context(env):
            assert isinstance(request._get_current_object(), WebhookRequest)  # type: ignore[attr-defined]
            assert not request.files
            return request.form

    def theirs(env: dict[str, Any]) -> Any:
        req = Request(env)
        req.max_content_length = LIMIT
        assert not req.files
        return req.form

    return read(environ(body, content_type, **headers), ours), read(
        environ(body, content_type, **headers), theirs
    )


CONTENT_TYPES = st.sampled_from(
    [FORM_TYPE, f"{FORM_TYPE}; charset=utf-8", f"{FORM_TYPE};charset=UTF-8", FORM_TYPE.upper(),
     f" {FORM_TYPE}", f"{FORM_TYPE} ", "text/plain", "multipart/form-data; boundary=x", None]
)  # fmt: skip
ODD_LENGTHS = ["", "0", "-1", "+3", " 3", "3 ", "1_0", "\u0663", "abc", "99", str(LIMIT + 1)]
LENGTHS = st.one_of(st.none(), st.sampled_from(ODD_LENGTHS), st.integers(0, 700).map(str))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BODIES)
def test_any_body_gives_werkzeugs_form(body: bytes) -> None:
    ours, theirs = forms(body)
    assert ours == theirs


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BODIES, CONTENT_TYPES, LENGTHS, st.booleans())
def test_any_headers_give_werkzeugs_form_or_error(
    body: bytes, content_type: str | None, length: str | None, chunked: bool
) -> None:
    ours, theirs = forms(body, content_type, length=length, chunked=chunked)
    assert ours == theirs


@pytest.mark.parametrize("length", [*ODD_LENGTHS, None])
@pytest.mark.parametrize("chunked", [False, True])
def test_every_odd_length_header_is_read_as_werkzeug_reads_it(length: str | None, chunked: bool) -> None:
    for body in (b"Body=WALES&To=%2B441632960000", b"", b"x"):
        ours, theirs = forms(body, length=length, chunked=chunked)
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
