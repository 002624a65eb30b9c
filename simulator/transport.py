"""Send one signed webhook request, as Twilio does, to the app in-process or over HTTP.

Twilio signs each request with the account's auth token (X-Twilio-Signature): a POST signs the
URL plus its form parameters, a GET signs the full URL with the parameters in its query string.
"""

from __future__ import annotations

import contextlib
import io
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask.testing import FlaskClient
from twilio.request_validator import RequestValidator

TWIML_TYPES = frozenset({"text/xml", "application/xml"})
MAX_BODY_BYTES = 1024 * 1024
USER_AGENT = "TwilioProxy/1.1"  # what Twilio's webhook requests call themselves


class Unreachable(Exception):
    """The request could not be made at all (no server, a URL off the app, a timeout)."""


@dataclass
class Reply:
    """One HTTP answer, with its TwiML parsed when it is XML."""

    status: int
    content_type: str
    xml: ET.Element | None
    text: str
    xml_error: str = ""

    def messages(self) -> list[str]:
        """The text of each <Message>, as the phone would show it."""
        assert self.xml is not None, f"not TwiML: {self.text[:200]!r}"
        return [message_body(m) for m in self.xml.findall("Message")]


def message_body(message: ET.Element) -> str:
    """A <Message> holds its text directly or in a <Body> noun."""
    body = message.find("Body")
    return (body.text if body is not None else message.text) or ""


def parse_reply(status: int, content_type: str, text: str) -> Reply:
    mimetype = content_type.split(";")[0].strip().lower()
    if mimetype not in TWIML_TYPES:
        return Reply(status, mimetype, None, text)
    try:
        return Reply(status, mimetype, ET.fromstring(text), text)
    except ET.ParseError as exc:
        return Reply(status, mimetype, None, text, xml_error=str(exc))


@dataclass(frozen=True)
class Request:
    """One webhook request as Twilio makes it: the URL (with the query for a GET), form, headers."""

    method: str
    url: str
    form: dict[str, str]
    headers: dict[str, str]


def signed(
    token: str,
    method: str,
    url: str,
    params: Mapping[str, str],
    *,
    sign: bool = True,
    headers: Mapping[str, str] | None = None,
) -> Request:
    """A POST signs the URL and its form; a GET carries the parameters in the URL it signs."""
    form = dict(params)
    if method == "GET":
        url = url + ("&" if "?" in url else "?") + urlencode(form) if form else url
        form = {}
    all_headers = {"User-Agent": USER_AGENT, **(headers or {})}
    if sign:
        all_headers["X-Twilio-Signature"] = RequestValidator(token).compute_signature(url, form)
    return Request(method, url, form, all_headers)


@dataclass
class Transport:
    """Where the requests go: signs each as Twilio would, then hands it to `deliver`."""

    token: str
    base: str
    sent: list[dict[str, str]] = field(default_factory=list)

    def send(
        self,
        method: str,
        url: str,
        params: Mapping[str, str],
        *,
        sign: bool = True,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """Sign (unless `sign` is false) and send one request, and return the answer."""
        self.sent.append(dict(params))
        return self.deliver(signed(self.token, method, url, params, sign=sign, headers=headers))

    def deliver(self, request: Request) -> Reply:
        raise NotImplementedError


class InProcess(Transport):
    """Calls a Flask app directly (its test client) as if it were served at `base`."""

    def __init__(
        self,
        client: FlaskClient,
        token: str,
        base: str = "http://localhost",
        sent: list[dict[str, str]] | None = None,
        *,
        quiet: bool = False,
    ) -> None:
        super().__init__(token, base.rstrip("/"), [] if sent is None else sent)
        self.client = client
        self.quiet = quiet

    def deliver(self, request: Request) -> Reply:
        if request.url != self.base and not request.url.startswith(self.base + "/"):
            raise Unreachable(f"{request.url} is not on the app being simulated ({self.base}); try --url")
        # quiet: the app's own per-request figures line (stdout) is not part of the conversation
        with contextlib.redirect_stdout(io.StringIO()) if self.quiet else contextlib.nullcontext():
            response = self.client.open(
                request.url[len(self.base) :] or "/",
                method=request.method,
                data=request.form or None,
                headers=request.headers,
                base_url=self.base,
            )
        return parse_reply(response.status_code, response.content_type or "", response.get_data(as_text=True))


@dataclass
class OverHttp(Transport):
    """Calls a running server or a deployed API over HTTP(S)."""

    timeout: float = 15.0

    def deliver(self, request: Request) -> Reply:
        if not request.url.startswith(("http://", "https://")):
            raise Unreachable(f"{request.url} is not an http(s) URL")
        data, headers = None, dict(request.headers)
        if request.method == "POST":
            data = urlencode(request.form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        outgoing = urllib.request.Request(request.url, data=data, headers=headers, method=request.method)
        try:
            with urllib.request.urlopen(outgoing, timeout=self.timeout) as response:
                body = response.read(MAX_BODY_BYTES)
                return _decoded(response.status, response.headers.get("Content-Type", ""), body)
        except urllib.error.HTTPError as exc:
            return _decoded(exc.code, exc.headers.get("Content-Type", ""), exc.read(MAX_BODY_BYTES))
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise Unreachable(f"could not reach {request.url}: {reason}") from exc


def _decoded(status: int, content_type: str, body: bytes) -> Reply:
    return parse_reply(status, content_type, body.decode("utf-8", errors="replace"))
