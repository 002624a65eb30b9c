"""API Gateway proxy events (REST v1, HTTP API and function URL v2) in, WSGI in the middle, proxy results out.

It follows what Zappa's own handler does, so that the URL the app sees is the URL Twilio called:
- REST API on its `*.amazonaws.com` host: the event's path lacks the stage, so the stage becomes
  SCRIPT_NAME (`/production` + `/sms`); on a custom domain nothing is added.
- HTTP API: `rawPath` carries a named stage (`/production/sms`), which moves into SCRIPT_NAME; the
  `$default` stage, function URLs and custom domains have none.
- `base_path` (a custom domain's API mapping) becomes SCRIPT_NAME too.
Bodies arrive base64-encoded whenever API Gateway treats them as binary (Zappa's default for REST APIs,
and form posts on HTTP APIs and function URLs).
"""

from __future__ import annotations

import base64
import io
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import unquote, urlencode

Event = Mapping[str, Any]
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript")


def is_http_v2(event: Event) -> bool:
    return event.get("version") == "2.0" and "http" in (event.get("requestContext") or {})


def is_http_v1(event: Event) -> bool:
    return "httpMethod" in event


def _body(event: Event) -> bytes:
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        return base64.b64decode(body)
    return body.encode("utf-8") if isinstance(body, str) else bytes(body)


def _v1_request(event: Event, stage: str, domain: str) -> tuple[str, str, dict[str, str], str, str]:
    """(method, path, headers, query, script_name) of a REST API event."""
    multi = event.get("multiValueHeaders") or {}
    if multi:
        headers = {key: ", ".join(values) for key, values in multi.items() if values is not None}
    else:
        headers = dict(event.get("headers") or {})
    query_multi = event.get("multiValueQueryStringParameters")
    query_single = event.get("queryStringParameters") or {}
    query = urlencode(query_multi, doseq=True) if query_multi else urlencode(query_single)
    host = next((value for key, value in headers.items() if key.lower() == "host"), "")
    stage = (event.get("requestContext") or {}).get("stage") or stage
    on_aws_host = "amazonaws.com" in host if host else not domain  # no host: the console's test button
    script_name = f"/{stage}" if on_aws_host and stage else ""
    return event["httpMethod"], unquote(event["path"]), headers, query, script_name


def _v2_request(event: Event) -> tuple[str, str, dict[str, str], str, str]:
    """(method, path, headers, query, script_name) of an HTTP API or function URL event."""
    context = event["requestContext"]
    headers = dict(event.get("headers") or {})
    if event.get("cookies"):
        headers["cookie"] = "; ".join(event["cookies"])
    path = unquote(event.get("rawPath") or context["http"].get("path") or "/")
    stage = context.get("stage") or ""
    prefix = f"/{stage}"
    named_stage_in_path = stage != "$default" and (path == prefix or path.startswith(prefix + "/"))
    script_name = prefix if stage and named_stage_in_path else ""
    if script_name:
        path = path[len(script_name) :] or "/"
    return context["http"]["method"], path, headers, event.get("rawQueryString") or "", script_name


def to_environ(event: Event, *, stage: str = "", domain: str = "", base_path: str = "") -> dict[str, Any]:
    """The WSGI environ for an API Gateway proxy event (v1 or v2)."""
    if is_http_v2(event):
        method, path, headers, query, script_name = _v2_request(event)
        source_ip = event["requestContext"]["http"].get("sourceIp", "")
    else:
        method, path, headers, query, script_name = _v1_request(event, stage, domain)
        source_ip = ((event.get("requestContext") or {}).get("identity") or {}).get("sourceIp", "")
    if base_path:
        script_name = "/" + base_path.strip("/")
        if path.startswith(script_name + "/") or path == script_name:
            path = path[len(script_name) :] or "/"
    body = _body(event)
    host = next((value for key, value in headers.items() if key.lower() == "host"), "")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": _wsgi_str(script_name),
        "PATH_INFO": _wsgi_str(path),
        "QUERY_STRING": query,
        "SERVER_NAME": host.split(":", 1)[0] or "lambda",
        "SERVER_PORT": "443",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": source_ip or "127.0.0.1",
        "CONTENT_LENGTH": str(len(body)),
        "HTTPS": "on",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for key, value in headers.items():
        if value is None:
            continue
        name = key.upper().replace("-", "_")
        if name in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            if name == "CONTENT_TYPE":
                environ[name] = value
            continue
        environ["HTTP_" + name] = value
    return environ


def _wsgi_str(text: str) -> str:
    """WSGI carries paths as UTF-8 bytes decoded as latin-1 (PEP 3333)."""
    return text.encode("utf-8").decode("latin-1")


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


def to_result(event: Event, status: int, headers: list[tuple[str, str]], body: bytes) -> dict[str, Any]:
    """The proxy integration's answer, in the format of the event that asked."""
    text, encoded = _encode_body(headers, body)
    result: dict[str, Any] = {"statusCode": status, "body": text, "isBase64Encoded": encoded}
    if is_http_v2(event):
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
