"""Events written by others (AWS Powertools, SAM CLI, Zappa, serverless-wsgi; tests/fixtures/events):
the URL the app would check against Twilio's signature is the URL the client called.

Each expected URL is read from the event's own fields: the Host header (or `domainName`), then the
path as called (a REST API's `path` lacks the stage on the `execute-api` host; an HTTP API's path
carries a named stage; `$default` is never in a URL), then the query. The site is the one the
event's own library tested it with (Zappa's test settings name stage `dev` and domain `example.com`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask, Response, jsonify
from flask.typing import ResponseReturnValue
from twilio.request_validator import RequestValidator

from lambda_gateway import gateway
from lambda_gateway.events import Site
from routes.signature import is_signed, signed_url
from tests.twilio_fake import TOKEN

FIXTURES = Path(__file__).parent / "fixtures" / "events"
QUERY = "parameter1=value1&parameter1=value2&parameter2=value"
POWERTOOLS_API = "https://id.execute-api.us-east-1.amazonaws.com"
# Powertools' function URL events hold a placeholder where the URL's id goes; filled with a sample id.
URL_ID_PLACEHOLDER = "<url-id>"
URL_ID = "https://k3xampl3lambdaurlid0000000000000.lambda-url"
ZAPPA = Site(stage="dev", domain="example.com")
ZAPPA_API = "https://1234567890.execute-api.us-east-1.amazonaws.com"
SLS_API = "https://3z6kd9fbb1.execute-api.us-east-1.amazonaws.com"
SLS_QUERY = "param1=value1&param2=value2"
# SAM CLI's templates, filled as `sam local generate-event apigateway aws-proxy|http-api-proxy` fills them.
SAM_VALUES = {
    '"{{{querystringparameters}}}"': '{"foo": "bar"}',
    "{{{body}}}": "eyJ0ZXN0IjoiYm9keSJ9",
    "{{{resource}}}": "/{proxy+}",
    "{{{path}}}": "path/to/resource",
    "{{{method}}}": "POST",
    "{{{dns_suffix}}}": "amazonaws.com",
    "{{{account_id}}}": "123456789012",
}

# file: (site, the URL the client called). None: the event names no host, so no URL can be known.
EXPECTED: dict[str, tuple[Site, str | None]] = {
    # HTTP API, payload 1.0, stage $default
    "powertools-apiGatewayProxyEvent.json": (Site(), f"{POWERTOOLS_API}/my/path?{QUERY}"),
    "powertools-apiGatewayProxyEventAnotherPath.json": (Site(), f"{POWERTOOLS_API}/my/anotherPath?{QUERY}"),
    "powertools-apiGatewayProxyEventNoOrigin.json": (Site(), f"{POWERTOOLS_API}/my/path?{QUERY}"),
    "powertools-apiGatewayProxyEventPathTrailingSlash.json": (Site(), f"{POWERTOOLS_API}/my/path/?{QUERY}"),
    "powertools-apiGatewayProxyOtherEvent.json": (Site(), f"{POWERTOOLS_API}/other/path?{QUERY}"),
    # the same without `version`: stage $default still marks an HTTP API
    "powertools-apiGatewayProxyEvent_noVersionAuth.json": (Site(), f"{POWERTOOLS_API}/my/path?{QUERY}"),
    # a REST event with no host, no stage, no domain
    "powertools-apiGatewayProxyEventPrincipalId.json": (Site(), None),
    # HTTP API, payload 2.0, stage $default
    "powertools-apiGatewayProxyV2Event.json": (Site(), f"{POWERTOOLS_API}/my/path?{QUERY}"),
    "powertools-apiGatewayProxyV2EventPathTrailingSlash.json": (Site(), f"{POWERTOOLS_API}/my/path/?{QUERY}"),
    "powertools-apiGatewayProxyV2Event_GET.json": (Site(), f"{POWERTOOLS_API}/my/path?{QUERY}"),
    "powertools-apiGatewayProxyV2IamEvent.json": (Site(), f"{POWERTOOLS_API}/my/path?{QUERY}"),
    "powertools-apiGatewayProxyV2LambdaAuthorizerEvent.json": (Site(), f"{POWERTOOLS_API}/my/path?{QUERY}"),
    "powertools-apiGatewayProxyV2OtherGetEvent.json": (Site(), f"{POWERTOOLS_API}/other/path?{QUERY}"),
    # function URLs
    "powertools-lambdaFunctionUrlEvent.json": (Site(), f"{URL_ID}.us-east-1.on.aws/"),
    "powertools-lambdaFunctionUrlEventWithHeaders.json": (Site(), f"{URL_ID}.us-east-1.on.aws/"),
    "powertools-lambdaFunctionUrlEventPathTrailingSlash.json": (
        Site(),
        f"{URL_ID}.us-west-2.on.aws/my/path/?{QUERY}",
    ),
    "powertools-lambdaFunctionUrlIAMEvent.json": (Site(), f"{URL_ID}.us-west-2.on.aws/my/path?{QUERY}"),
    # SAM CLI: REST (stage prod on the execute-api host) and HTTP API ($default)
    # (its `headers` say Host 1234567890.execute-api..., its `multiValueHeaders` 0123456789.execute-api...;
    # API Gateway writes both from one request, and the multi-value ones hold every value)
    "sam-AwsProxy.json": (
        Site(),
        "https://0123456789.execute-api.amazonaws.com/prod/path/to/resource?foo=bar",
    ),
    "sam-HttpApi.json": (Site(), f"https://id.execute-api.amazonaws.com/path/to/resource?{QUERY}"),
    # Zappa's own handler tests, with the URL those tests expect
    "zappa-on-aws-url.json": (ZAPPA, f"{ZAPPA_API}/dev/return/request/url"),
    "zappa-on-domain-url.json": (ZAPPA, "https://example.com/return/request/url"),
    "zappa-with-multi-value-querystring.json": (
        ZAPPA,
        "https://example.com/return/request/url?multi=value&multi=qs",
    ),
    "zappa-on-test-request.json": (ZAPPA, None),
    "zappa-on-alb-event.json": (ZAPPA, f"{ZAPPA_API}/return/request/url"),
    "zappa-on-v2-formatted-event-function-url.json": (ZAPPA, f"{ZAPPA_API}/return/request/url"),
    "zappa-on-v2-formatted-event-with-stage-in-path.json": (ZAPPA, f"{ZAPPA_API}/dev/return/request/url"),
    # serverless-wsgi's handler tests: REST (stage dev), its custom domain and base path variants,
    # an HTTP API event whose path lacks its stage (as a custom domain sends it), a load balancer
    "serverless-wsgi-event-v1.json": (Site(), f"{SLS_API}/dev/some/path?{SLS_QUERY}"),
    "serverless-wsgi-event-v1-custom-domain.json": (
        Site(),
        f"https://custom.domain.com/some/path?{SLS_QUERY}",
    ),
    "serverless-wsgi-event-v1-base-path.json": (
        Site(base_path="prod"),
        f"https://custom.domain.com/prod/some/path?{SLS_QUERY}",
    ),
    "serverless-wsgi-event-v2.json": (Site(), f"{SLS_API}/some/path?{SLS_QUERY}&param2=value3"),
    "serverless-wsgi-event-v2-encoded-path.json": (
        Site(),
        f"{SLS_API}/city/new%20york?{SLS_QUERY}&param2=value3",
    ),
    "serverless-wsgi-elb-event.json": (Site(), "http://xxxx-203391234.us-east-1.elb.amazonaws.com/cats"),
    # apig-wsgi's event builders, as its tests call them
    "apig-wsgi-v1-get.json": (Site(), "https://example.com/"),
    "apig-wsgi-v1-post.json": (Site(), "https://example.com/"),
    "apig-wsgi-v1-path-unquoting.json": (Site(), "https://example.com/api/path%2Finfo"),
    "apig-wsgi-v1-elb-health-check.json": (Site(), None),
    "apig-wsgi-v2-get.json": (Site(), "https://example.com/"),
}
# The app sees the path decoded (WSGI's PATH_INFO): an escaped slash reads as a slash. The router's
# own URLs, the only ones Twilio calls, never hold one.
MISSED = {"apig-wsgi-v1-path-unquoting.json"}


# Bodies flagged isBase64Encoded that are not base64: a request that cannot be read (400).
NOT_BASE64 = {
    "powertools-apiGatewayProxyEventAnotherPath.json",
    "powertools-apiGatewayProxyEventPathTrailingSlash.json",
    "powertools-apiGatewayProxyEvent_noVersionAuth.json",
}


def load(name: str) -> dict[str, Any]:
    text = (FIXTURES / name).read_text()
    for placeholder, value in SAM_VALUES.items():
        text = text.replace(placeholder, value)
    text = text.replace("{{{stage}}}", "$default" if "rawPath" in text else "prod")
    text = text.replace(URL_ID_PLACEHOLDER, URL_ID.removeprefix("https://").split(".")[0])
    event: dict[str, Any] = json.loads(text)
    return event


@pytest.fixture(scope="module")
def probe() -> Flask:
    """An app that answers every request with the URLs the webhooks check the signature against."""
    app = Flask(__name__)
    app.config["PUBLIC_BASE_URL"] = ""

    @app.route("/", defaults={"path": ""}, methods=["GET", "POST"])
    @app.route("/<path:path>", methods=["GET", "POST"])
    def urls(path: str) -> ResponseReturnValue:
        return jsonify(seen=signed_url(), quoted=signed_url(quoted=True))

    return app


def test_every_fixture_is_listed_with_its_origin() -> None:
    files = sorted(path.name for path in FIXTURES.glob("*.json"))
    assert files == sorted(EXPECTED)
    readme = (FIXTURES / "README.md").read_text()
    assert not [name for name in files if name not in readme]


def known_misses(names: list[str]) -> list[Any]:
    return [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason="an escaped slash"))
        if name in MISSED
        else name
        for name in names
    ]


@pytest.mark.parametrize("name", known_misses(sorted(EXPECTED)))
def test_the_app_checks_the_url_the_client_called(probe: Flask, name: str) -> None:
    site, expected = EXPECTED[name]
    event = load(name)
    if name in NOT_BASE64:
        event["body"] = None  # the URL is the question here; the body has its own test below
    result = gateway.respond(probe, event, site)
    assert result is not None and result["statusCode"] == 200, result
    urls = json.loads(result["body"])
    if expected is None:
        assert urls["seen"].endswith(load(name)["path"])
        return
    assert expected in (urls["seen"], urls["quoted"])


@pytest.mark.parametrize("name", sorted(NOT_BASE64))
def test_a_body_that_is_not_the_base64_it_claims_is_a_bad_request(probe: Flask, name: str) -> None:
    result = gateway.respond(probe, load(name), EXPECTED[name][0])
    assert result is not None and result["statusCode"] == 400 and result["body"] == "Bad Request\n"


@pytest.fixture(scope="module")
def signed_only() -> Flask:
    """An app whose every page is behind the webhooks' signature check."""
    app = Flask(__name__)
    app.config.update(TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL="")

    @app.route("/", defaults={"path": ""}, methods=["POST"])
    @app.route("/<path:path>", methods=["POST"])
    def signed(path: str) -> Response:
        if not is_signed():
            return Response("Forbidden\n", status=403, mimetype="text/plain")
        return Response("signed", mimetype="text/plain")

    return app


@pytest.mark.parametrize("name", known_misses([name for name, (_, url) in sorted(EXPECTED.items()) if url]))
def test_twilios_signature_of_that_url_is_accepted(signed_only: Flask, name: str) -> None:
    """The fixture made into a signed POST of Twilio's form: accepted; signed for another URL: refused."""
    site, url = EXPECTED[name]
    assert url is not None
    form = {"From": "+447700900123", "To": "+441234567890", "Body": "WALES", "MessageSid": "SM" + "0" * 32}
    validator = RequestValidator(TOKEN)
    for signed_for, status in ((url, 200), (url + "x", 403), (url.replace("://", "://evil.", 1), 403)):
        event = as_twilio_post(load(name), form, validator.compute_signature(signed_for, form))
        result = gateway.respond(signed_only, event, site)
        assert result is not None and result["statusCode"] == status, (signed_for, result)


def as_twilio_post(event: dict[str, Any], form: dict[str, str], signature: str) -> dict[str, Any]:
    """The event with Twilio's method, body and headers in place of its own."""
    event.update(body=urlencode(form), isBase64Encoded=False)
    if "httpMethod" in event:
        event["httpMethod"] = "POST"
    http = event.get("requestContext", {}).get("http")
    if isinstance(http, dict):
        http["method"] = "POST"
    for field in ("headers", "multiValueHeaders"):
        headers = event.get(field)
        if isinstance(headers, dict):
            for key in [key for key in headers if key.lower() in ("content-type", "content-length")]:
                del headers[key]
            added = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}
            headers.update({k: [v] if field == "multiValueHeaders" else v for k, v in added.items()})
    return event
