"""A request read from an event in, WSGI in the middle, an API Gateway proxy result out."""

from __future__ import annotations

import base64
import io
import sys
from collections.abc import Callable, Iterable
from typing import Any

from lambda_gateway.events import Format, Request

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript")


def to_environ(request: Request) -> dict[str, Any]:
    """The WSGI environ of a request; every text is a "native string" as PEP 3333 defines it."""
    host = next((value for key, value in request.headers.items() if key.lower() == "host"), "")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": request.method,
        "SCRIPT_NAME": _wsgi_str(request.script_name),
        "PATH_INFO": _wsgi_str(request.path),
        "QUERY_STRING": _wsgi_str(request.query),
        "SERVER_NAME": _wsgi_str(host.split(":", 1)[0]) or "lambda",
        "SERVER_PORT": "443",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": _wsgi_str(request.source_ip) or "127.0.0.1",
        "CONTENT_LENGTH": str(len(request.body)),
        "HTTPS": "on",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(request.body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for key, value in request.headers.items():
        name = _wsgi_str(key.upper().replace("-", "_"))
        if name == "CONTENT_LENGTH":  # the body's own length stands
            continue
        environ[name if name == "CONTENT_TYPE" else "HTTP_" + name] = _wsgi_str(value)
    return environ


def _wsgi_str(text: str) -> str:
    """Text as WSGI carries it: its UTF-8 bytes, each read as one latin-1 character (PEP 3333)."""
    return text.encode("utf-8", "surrogatepass").decode("latin-1")


def call(app: WSGIApp, environ: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    """Run one request through a WSGI app: (status code, headers, body)."""
    started: list[Any] = []
    written: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        started[:] = [status, headers]
        return written.append

    result = app(environ, start_response)
    try:
        body = b"".join(written) + b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    status, headers = started
    return int(status.split(" ", 1)[0]), headers, body


def _encode_body(headers: list[tuple[str, str]], body: bytes) -> tuple[str, bool]:
    content_type = next((v for k, v in headers if k.lower() == "content-type"), "").lower()
    if content_type.startswith(TEXT_TYPES) or "+xml" in content_type or "+json" in content_type:
        try:
            return body.decode("utf-8"), False
        except UnicodeDecodeError:
            pass
    return base64.b64encode(body).decode("ascii"), True


def to_result(form: Format, status: int, headers: list[tuple[str, str]], body: bytes) -> dict[str, Any]:
    """The proxy integration's answer, in the payload format of the event that asked."""
    text, encoded = _encode_body(headers, body)
    result: dict[str, Any] = {"statusCode": status, "body": text, "isBase64Encoded": encoded}
    if form == "2.0":
        joined: dict[str, str] = {}
        for key, value in headers:
            if key.lower() != "set-cookie":
                joined[key] = f"{joined[key]},{value}" if key in joined else value
        result["headers"] = joined
        result["cookies"] = [value for key, value in headers if key.lower() == "set-cookie"]
    else:
        multi: dict[str, list[str]] = {}
        for key, value in headers:
            multi.setdefault(key, []).append(value)
        result["multiValueHeaders"] = multi
        result["headers"] = {key: values[-1] for key, values in multi.items()}
    return result


def plain(form: Format, status: int, text: str) -> dict[str, Any]:
    """A short plain-text answer that the app did not write (the request never reached it)."""
    return to_result(form, status, [("Content-Type", "text/plain; charset=utf-8")], text.encode())
