"""Read a Lambda event as an HTTP request, checking the type of every field it uses.

Shapes: API Gateway REST (payload 1.0), HTTP API (payload 1.0 or 2.0), function URLs (2.0) and
load balancers (1.0-like). Anything else is not a request. A request whose fields have the wrong
type, or whose body or path cannot be decoded, raises `Unreadable` naming the field, so that the
caller answers 400 instead of failing the invocation.

The URL the app sees must be the URL the client called (Twilio signs it):
- REST API on its `execute-api` host: `path` lacks the stage, which becomes SCRIPT_NAME
  (`/production` + `/sms`); on a custom domain nothing is added.
- HTTP API, either payload format: the path carries a named stage (`/production/sms`), which moves
  into SCRIPT_NAME; the `$default` stage, function URLs and custom domains carry none.
- A custom domain's API mapping (`base_path`) becomes SCRIPT_NAME too.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote, urlencode

Event = Mapping[str, Any]
Format = Literal["1.0", "2.0"]


class Unreadable(ValueError):
    """The event is an HTTP request but cannot be read; the message is a field name of ours."""


@dataclass(frozen=True)
class Site:
    """Where the function is deployed, from Zappa's settings: its stage, domain and base path."""

    stage: str = ""
    domain: str = ""
    base_path: str = ""


@dataclass(frozen=True)
class Request:
    """One HTTP request, as WSGI needs it: paths and query as text, the body as bytes."""

    format: Format
    method: str
    script_name: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    source_ip: str


def request_format(event: Event) -> Format | None:
    """The payload format of an HTTP request event, or None for any other event."""
    context = event.get("requestContext")
    if event.get("version") == "2.0" and isinstance(context, Mapping) and "http" in context:
        return "2.0"
    if "httpMethod" in event:
        return "1.0"
    return None


def read(event: Event, site: Site) -> Request:
    """The request an event carries. Raises Unreadable."""
    form = request_format(event)
    if form is None:
        raise Unreadable("event")
    context = _mapping(event, "requestContext")
    if form == "2.0":
        http = _mapping(context, "http")
        method = _text(http, "method")
        path = _text(event, "rawPath") or _text(http, "path") or "/"
        headers = _headers(event)
        cookies = _texts(event, "cookies")
        if cookies:
            headers["cookie"] = "; ".join(cookies)
        query = _text(event, "rawQueryString")
        source_ip = _text(http, "sourceIp")
    else:
        method = _text(event, "httpMethod")
        path = _text(event, "path") or "/"
        headers = _headers(event)
        query = _v1_query(event)
        source_ip = _text(_mapping(context, "identity"), "sourceIp")
    if not method or not method.isascii() or not method.isprintable():
        raise Unreadable("httpMethod")
    host = _header(headers, "host")
    if not host and _text(context, "domainName"):  # hand-made events; AWS's carry the Host header
        host = headers["Host"] = _text(context, "domainName")
    script_name, path = _split_stage(event, form, unquote(path), host, site)
    return Request(
        format=form,
        method=method,
        script_name=script_name,
        path=path,
        query=query,
        headers=headers,
        body=_body(event),
        source_ip=source_ip,
    )


def _split_stage(event: Event, form: Format, path: str, host: str, site: Site) -> tuple[str, str]:
    """(SCRIPT_NAME, PATH_INFO): the stage or base path in front, the app's route after it."""
    context = _mapping(event, "requestContext")
    if site.base_path:
        prefix = "/" + site.base_path.strip("/")
        return prefix, _without(prefix, path)
    stage = _text(context, "stage")
    if stage == "$default":  # HTTP API's unnamed stage, served at the root
        return "", path
    if form == "2.0" or event.get("version") == "1.0":  # HTTP API: a named stage is in the path
        prefix = f"/{stage}"
        route = _without(prefix, path) if stage else path
        return (prefix if route != path else ""), route
    if "elb" in context:  # a load balancer has no stage
        return "", path
    stage = stage or site.stage
    on_aws_host = "amazonaws.com" in host if host else not site.domain  # no host: the console's test
    return (f"/{stage}" if on_aws_host and stage else ""), path


def _without(prefix: str, path: str) -> str:
    """`path` after `prefix`, or the whole path when it does not start with it."""
    if path == prefix or path.startswith(prefix + "/"):
        return path[len(prefix) :] or "/"
    return path


def _mapping(event: Event, field: str) -> Mapping[str, Any]:
    value = event.get(field)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise Unreadable(field)
    return value


def _text(event: Event, field: str) -> str:
    value = event.get(field)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Unreadable(field)
    return value


def _texts(event: Event, field: str) -> list[str]:
    value = event.get(field)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise Unreadable(field)
    return value


def _headers(event: Event) -> dict[str, str]:
    """The headers, joined as HTTP joins repeated ones; multiValueHeaders win where present."""
    multi = _mapping(event, "multiValueHeaders")
    if multi:
        joined: dict[str, str] = {}
        for key, values in multi.items():
            if values is None:
                continue
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise Unreadable("multiValueHeaders")
            joined[key] = ", ".join(values)
        return joined
    single = _mapping(event, "headers")
    if not all(isinstance(value, str) or value is None for value in single.values()):
        raise Unreadable("headers")
    return {key: value for key, value in single.items() if value is not None}


def _header(headers: Mapping[str, str], name: str) -> str:
    return next((value for key, value in headers.items() if key.lower() == name), "")


def _v1_query(event: Event) -> str:
    multi = _mapping(event, "multiValueQueryStringParameters")
    if multi:
        if not all(
            isinstance(values, list) and all(isinstance(v, str) for v in values) for values in multi.values()
        ):
            raise Unreadable("multiValueQueryStringParameters")
        return urlencode(multi, doseq=True)
    single = _mapping(event, "queryStringParameters")
    if not all(isinstance(value, str) for value in single.values()):
        raise Unreadable("queryStringParameters")
    return urlencode(single)


def _body(event: Event) -> bytes:
    body = event.get("body")
    if body is None:
        return b""
    if not isinstance(body, str):
        raise Unreadable("body")
    encoded = event.get("isBase64Encoded")
    if encoded is not None and not isinstance(encoded, bool):
        raise Unreadable("isBase64Encoded")
    try:
        return base64.b64decode(body) if encoded else body.encode("utf-8")
    except (binascii.Error, ValueError):  # bad base64; a lone surrogate is a UnicodeEncodeError
        raise Unreadable("body") from None
