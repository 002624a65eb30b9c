"""The events AWS sends a Lambda function when Twilio posts a webhook, shaped like the real ones.

REST API (payload 1.0): `path` lacks the stage on the `execute-api` host; headers come twice
(`headers`, `multiValueHeaders`); Zappa's default binary support makes every body base64.
HTTP API payload 1.0: REST's shape, with the stage kept in `path` as in 2.0's `rawPath`.
HTTP API and function URL (payload 2.0): lower-case headers, `rawPath` keeps a named stage
(`$default` has none), form bodies arrive base64. Keep-warm: the EventBridge event that Zappa's
`zappa-keep-warm-handler.keep_warm_callback` rule sends through its input template.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode, urlsplit

API_ID = "abc123defg"
API_HOST = f"{API_ID}.execute-api.eu-west-2.amazonaws.com"
FUNCTION_URL_HOST = "k3xampl3lambdaurlid0000000000000.lambda-url.eu-west-2.on.aws"
TWILIO_IP = "54.172.60.1"


def _twilio_headers(host: str, signature: str | None) -> dict[str, str]:
    headers = {
        "Accept": "*/*",
        "Cache-Control": "max-age=259200",
        "Content-Type": "application/x-www-form-urlencoded",
        "Host": host,
        "I-Twilio-Idempotency-Token": "5f2d1c0e-8a7b-4c3d-9e1f-0a1b2c3d4e5f",
        "User-Agent": "TwilioProxy/1.1",
        "X-Amzn-Trace-Id": "Root=1-6762f0a1-0123456789abcdef01234567",
        "X-Forwarded-For": TWILIO_IP,
        "X-Forwarded-Port": "443",
        "X-Forwarded-Proto": "https",
    }
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    return headers


def _body(params: dict[str, str], base64_body: bool) -> str:
    body = urlencode(params)
    return base64.b64encode(body.encode()).decode() if base64_body else body


def rest_v1(
    url: str, params: dict[str, str], signature: str | None, *, stage: str, base64_body: bool = True
) -> dict[str, Any]:
    """A REST API proxy event for a POST to `url` (on the execute-api host or a custom domain)."""
    parts = urlsplit(url)
    full_path = parts.path
    path = full_path[len(stage) + 1 :] if parts.hostname == API_HOST else full_path
    headers = _twilio_headers(parts.netloc, signature)
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": "POST",
        "headers": headers,
        "multiValueHeaders": {key: [value] for key, value in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "resourceId": "x1y2z3",
            "resourcePath": "/{proxy+}",
            "httpMethod": "POST",
            "extendedRequestId": "Qm9vbXNoYWthbGFrYQ=",
            "requestTime": "18/Dec/2024:10:15:01 +0000",
            "path": full_path,
            "accountId": "123456789012",
            "protocol": "HTTP/1.1",
            "stage": stage,
            "domainPrefix": parts.netloc.split(".")[0],
            "requestTimeEpoch": 1734516901000,
            "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
            "identity": {"sourceIp": TWILIO_IP, "userAgent": "TwilioProxy/1.1", "user": None},
            "domainName": parts.netloc,
            "apiId": API_ID,
        },
        "body": _body(params, base64_body),
        "isBase64Encoded": base64_body,
    }


def http_v2(
    url: str, params: dict[str, str], signature: str | None, *, stage: str, base64_body: bool = True
) -> dict[str, Any]:
    """An HTTP API (or, with stage `$default` on a function URL host) payload 2.0 event."""
    parts = urlsplit(url)
    headers = {key.lower(): value for key, value in _twilio_headers(parts.netloc, signature).items()}
    route = "$default" if stage == "$default" else "ANY /{proxy+}"
    return {
        "version": "2.0",
        "routeKey": route,
        "rawPath": parts.path,
        "rawQueryString": parts.query,
        "headers": headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": parts.netloc.split(".")[0],
            "domainName": parts.netloc,
            "domainPrefix": parts.netloc.split(".")[0],
            "http": {
                "method": "POST",
                "path": parts.path,
                "protocol": "HTTP/1.1",
                "sourceIp": TWILIO_IP,
                "userAgent": "TwilioProxy/1.1",
            },
            "requestId": "JKJaXmPLvHcESHA=",
            "routeKey": route,
            "stage": stage,
            "time": "18/Dec/2024:10:15:01 +0000",
            "timeEpoch": 1734516901000,
        },
        "body": _body(params, base64_body),
        "isBase64Encoded": base64_body,
    }


def http_v1(
    url: str, params: dict[str, str], signature: str | None, *, stage: str, base64_body: bool = True
) -> dict[str, Any]:
    """An HTTP API event in payload format 1.0: REST's shape, but `path` keeps a named stage
    (`$default` has none), headers are lower-case, and `version` says 1.0."""
    parts = urlsplit(url)
    headers = {key.lower(): value for key, value in _twilio_headers(parts.netloc, signature).items()}
    route = "$default" if stage == "$default" else "ANY /{proxy+}"
    return {
        "version": "1.0",
        "resource": route,
        "path": parts.path,
        "httpMethod": "POST",
        "headers": headers,
        "multiValueHeaders": {key: [value] for key, value in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": parts.netloc.split(".")[0],
            "domainName": parts.netloc,
            "domainPrefix": parts.netloc.split(".")[0],
            "extendedRequestId": "JKJaXmPLvHcESHA=",
            "httpMethod": "POST",
            "identity": {"sourceIp": TWILIO_IP, "userAgent": "TwilioProxy/1.1", "user": None},
            "path": parts.path,
            "protocol": "HTTP/1.1",
            "requestId": "JKJaXmPLvHcESHA=",
            "requestTime": "18/Dec/2024:10:15:01 +0000",
            "requestTimeEpoch": 1734516901000,
            "resourceId": route,
            "resourcePath": route,
            "stage": stage,
        },
        "pathParameters": None if stage == "$default" else {"proxy": parts.path.lstrip("/")},
        "stageVariables": None,
        "body": _body(params, base64_body),
        "isBase64Encoded": base64_body,
    }


def keep_warm(function_name: str = "helpline-router-production") -> dict[str, Any]:
    """What Zappa's keep-warm EventBridge rule delivers (its input template adds `kwargs`)."""
    return {
        "time": "2024-12-18T10:16:00Z",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "region": "eu-west-2",
        "detail": {},
        "version": "0",
        "resources": [
            f"arn:aws:events:eu-west-2:123456789012:rule/{function_name}-zappa-keep-warm-handler.keep_warm_callback"
        ],
        "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
        "kwargs": {},
    }


def hostile() -> list[dict[str, Any]]:
    """Shapes that raised before: non-Latin-1 text in raw fields, wrong types in hand-made events."""
    api = f"https://{API_HOST}"
    form = {"From": "+447700900123", "To": "+441234567890", "Body": "WALES"}
    v2 = http_v2(f"{api}/sms", form, None, stage="$default")
    url = http_v2(f"https://{FUNCTION_URL_HOST}/sms", form, None, stage="$default")
    v1 = rest_v1(f"{api}/production/sms", form, None, stage="production")
    cases: list[dict[str, Any]] = []
    for base in (v2, url):
        cases += [
            {**base, "rawQueryString": "a=€"},
            {**base, "rawQueryString": "x=\ud800"},
            {**base, "rawPath": "/sms/€\ud800"},
            {**base, "headers": {**base["headers"], "host": "€.example", "x-€": "€"}},
            {**base, "cookies": "not-a-list"},
            {**base, "cookies": [1, 2]},
            {**base, "requestContext": {**base["requestContext"], "http": {"method": 5}}},
            {**base, "body": {"Body": "WALES"}},
            {**base, "isBase64Encoded": "yes"},
            {**base, "body": "not base64 at all!"},
        ]
    cases += [
        {**v1, "httpMethod": 5},
        {**v1, "httpMethod": "PO ST\n"},
        {**v1, "path": ["/sms"]},
        {**v1, "headers": ["Host"], "multiValueHeaders": None},
        {**v1, "multiValueHeaders": {"Host": "not-a-list"}},
        {**v1, "multiValueQueryStringParameters": {"a": "b"}},
        {**v1, "queryStringParameters": {"a": 1}},
        {**v1, "requestContext": "production"},
        {**v1, "requestContext": {**v1["requestContext"], "identity": []}},
        {**v1, "body": 12},
        {**v1, "isBase64Encoded": False, "body": "Body=\ud800"},
        {**v1, "path": "/production/sms%ZZ%ff"},
        {"version": "2.0", "requestContext": {"http": "GET"}},
        {"httpMethod": None},
    ]
    return cases
