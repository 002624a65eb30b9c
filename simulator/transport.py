"""Send one signed webhook request, as Twilio does, to the app in-process or over HTTP.

Twilio signs each request with the account's auth token (X-Twilio-Signature): a POST signs the
URL plus its form parameters, a GET signs the full URL with the parameters in its query string.
"""

from __future__ import annotations

import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol
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


def signed(token: str, method: str, url: str, params: Mapping[str, str]) -> tuple[str, dict[str, str], str]:
    """The URL to request, the form to send and the X-Twilio-Signature, for POST or GET."""
    validator = RequestValidator(token)
    if method == "GET":
        full = url + ("&" if "?" in url else "?") + urlencode(params) if params else url
        return full, {}, validator.compute_signature(full, {})
    return url, dict(params), validator.compute_signature(url, dict(params))


class Transport(Protocol):
    base: str

    def send(
        self,
        method: str,
        url: str,
        params: Mapping[str, str],
        *,
        sign: bool = True,
        headers: Mapping[str, str] | None = None,
    ) -> Reply: ...


@dataclass
class InProcess:
    """Calls a Flask app directly (its test client) as if it were served at `base`."""

    client: FlaskClient
    token: str
    base: str = "http://localhost"
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
        base = self.base.rstrip("/")
        if url != base and not url.startswith(base + "/"):
            raise Unreachable(f"{url} is not on the app being simulated ({base}); try --url")
        full, form, signature = signed(self.token, method, url, params)
        all_headers = {"User-Agent": USER_AGENT, **(headers or {})}
        if sign:
            all_headers["X-Twilio-Signature"] = signature
        self.sent.append(dict(params))
        response = self.client.open(
            full[len(base) :] or "/", method=method, data=form or None, headers=all_headers, base_url=base
        )
        return parse_reply(response.status_code, response.content_type or "", response.get_data(as_text=True))


@dataclass
class OverHttp:
    """Calls a running server or a deployed API over HTTP(S)."""

    token: str
    base: str
    timeout: float = 15.0
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
        if not url.startswith(("http://", "https://")):
            raise Unreachable(f"{url} is not an http(s) URL")
        full, form, signature = signed(self.token, method, url, params)
        all_headers = {"User-Agent": USER_AGENT, **(headers or {})}
        if sign:
            all_headers["X-Twilio-Signature"] = signature
        data = None
        if method == "POST":
            data = urlencode(form).encode()
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.sent.append(dict(params))
        request = urllib.request.Request(full, data=data, headers=all_headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read(MAX_BODY_BYTES)
                return _decoded(response.status, response.headers.get("Content-Type", ""), body)
        except urllib.error.HTTPError as exc:
            return _decoded(exc.code, exc.headers.get("Content-Type", ""), exc.read(MAX_BODY_BYTES))
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise Unreachable(f"could not reach {url}: {reason}") from exc


def _decoded(status: int, content_type: str, body: bytes) -> Reply:
    return parse_reply(status, content_type, body.decode("utf-8", errors="replace"))
