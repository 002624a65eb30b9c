"""The Lambda package, proven offline: built by `zappa package`, unpacked as Lambda unpacks it, and run
in a fresh Python process that sees only the package (and boto3, as Lambda's runtime provides it).
Events are shaped like API Gateway's and signed for the URL Twilio would call."""

from __future__ import annotations

import base64
import json
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pytest
from flask.testing import FlaskClient
from twilio.request_validator import RequestValidator

from simulator.transport import Reply, Request, Transport, parse_reply
from tests import lambda_events as events
from tests.lambda_sandbox import ROOT, Sandbox, build_package, lambda_runtime, unpack, without_network
from tests.test_privacy import CALLER, SPEECH, WORDS, caller_data_in
from tests.twilio_fake import TOKEN, Twilio

pytestmark = pytest.mark.slow

API = f"https://{events.API_HOST}"
CUSTOM_DOMAIN = "https://helpline.example.org"
WALES = "0808 80 10 800"
SSM_PARAMETER = "/helpline/production/twilio-auth-token"
MAX_ZIP_BYTES = 5_000_000

Event = Callable[..., dict[str, Any]]


@pytest.fixture(scope="session")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_package(tmp_path_factory.mktemp("package") / "helpline-router-production.zip")


@pytest.fixture(scope="session")
def task(package: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return unpack(package, tmp_path_factory.mktemp("var-task"))


@pytest.fixture(scope="session")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return lambda_runtime(tmp_path_factory.mktemp("var-runtime"))


@dataclass
class ApiGateway(Transport):
    """Twilio calling a Lambda function through API Gateway: each webhook becomes an event."""

    sandbox: Sandbox | None = None
    event: Event = events.rest_v1
    stage: str = "production"
    base64_body: bool = True
    delivered: list[dict[str, Any]] = field(default_factory=list)

    def deliver(self, request: Request) -> Reply:
        assert request.url.startswith(self.base), f"{request.url} is not on this API ({self.base})"
        assert self.sandbox is not None
        signature = request.headers.get("X-Twilio-Signature")
        event = self.event(
            request.url, request.form, signature, stage=self.stage, base64_body=self.base64_body
        )
        self.delivered.append(event)
        return as_reply(self.sandbox.invoke(event)["result"])


@dataclass
class LambdaTwilio(Twilio):
    """The test Twilio, with its requests delivered as API Gateway events to the sandbox."""

    gateway: ApiGateway | None = None

    @property
    def transport(self) -> ApiGateway:
        assert self.gateway is not None
        return self.gateway

    @property
    def delivered(self) -> list[dict[str, Any]]:
        return self.transport.delivered


def as_reply(result: dict[str, Any]) -> Reply:
    body = result["body"]
    text = base64.b64decode(body).decode() if result["isBase64Encoded"] else body
    headers = {key.lower(): value for key, value in result["headers"].items()}
    return parse_reply(result["statusCode"], headers.get("content-type", ""), text)


def twilio(sandbox: Sandbox, base: str, event: Event, stage: str, **options: Any) -> LambdaTwilio:
    token = options.pop("token", TOKEN)
    gateway = ApiGateway(token, base, sandbox=sandbox, event=event, stage=stage, **options)
    return LambdaTwilio(cast(FlaskClient, None), token=token, base=base, gateway=gateway)


@pytest.fixture
def instance(task: Path, runtime: Path) -> Iterator[Sandbox]:
    """A cold Lambda instance with the token set as a Lambda environment variable."""
    with Sandbox(
        task, runtime, env={"TWILIO_AUTH_TOKEN": TOKEN}, options={"count_requests": True}
    ) as sandbox:
        assert sandbox.ready["ready"], sandbox.ready
        yield sandbox
    assert caller_data_in(sandbox.stdout + sandbox.stderr) == []


def test_package_is_built_without_network_or_aws_credentials(package: Path) -> None:
    """The `package` fixture ran `zappa package` with AWS_* variables removed and, here, no network."""
    if not without_network():
        pytest.skip("this machine cannot start a process without network (`unshare --net`)")
    assert zipfile.is_zipfile(package)


def test_package_holds_the_app_and_nothing_it_never_imports(package: Path) -> None:
    names = zipfile.ZipFile(package).namelist()
    tops = {name.split("/")[0] for name in names}
    for needed in ("app.py", "lambda_gateway/handler.py", "routes/sms.py", "helpline/ivr.py", "data/uk.toml"):
        assert needed in names
    # the tables the app reads, and not the larger one tools/place_table.py derives them from
    assert {"data/places/names.tsv", "data/locations/uk.txt", "data/postcodes/uk.toml"} <= set(names)
    assert "data/places/uk.tsv" not in names
    assert {"flask", "werkzeug", "twilio", "zappa_settings.py"} <= tops
    never_imported = {"boto3", "botocore", "zappa", "handler.py", "aiohttp", "requests", "jwt", "urllib3"}
    tooling = {
        "troposphere",
        "yaml",
        "pip",
        "setuptools",
        "tests",
        "tools",
        "simulator",
        "bench",
        "build",
        ".venv",
    }
    assert tops.isdisjoint(never_imported | tooling)
    assert "twilio/twiml/voice_response.py" in names
    assert not [name for name in names if name.startswith(("twilio/rest/", "twilio/jwt/", "twilio/http/"))]
    assert package.stat().st_size <= MAX_ZIP_BYTES


def test_package_bytecode_survives_new_timestamps(package: Path) -> None:
    """Shipped bytecode is "unchecked-hash" (PEP 552), so Lambda can use it although the unpacked
    files' times differ; stale bytecode of the project's own modules is left out."""
    archive = zipfile.ZipFile(package)
    pyc = f"flask/__pycache__/app.{sys.implementation.cache_tag}.pyc"
    flags = int.from_bytes(archive.read(pyc)[4:8], "little")
    assert flags == 0b01  # hash-based, source not checked
    assert not [
        name for name in archive.namelist() if name.startswith(("__pycache__/", "routes/__pycache__/"))
    ]


def test_settings_are_quiet_and_hold_no_token(package: Path) -> None:
    raw = (ROOT / "zappa_settings.json").read_text()
    assert 'TWILIO_AUTH_TOKEN"' not in raw and TOKEN not in raw
    settings = json.loads(raw)
    for stage in settings.values():
        resolved = {**settings[stage["extends"]], **stage} if "extends" in stage else stage
        assert resolved["log_level"] in ("WARNING", "ERROR", "CRITICAL")
        assert resolved["debug"] is False
        assert resolved["keep_warm"] is True
        assert resolved["runtime"] == "python3.11" and resolved["aws_region"] == "eu-west-2"
        assert resolved["app_function"] == "app.app"
        assert resolved["lambda_handler"] == "lambda_gateway.handler.handler"
    generated: dict[str, Any] = {}
    exec(zipfile.ZipFile(package).read("zappa_settings.py").decode(), generated)
    assert generated["LOG_LEVEL"] == "WARNING" and generated["DEBUG"] is False
    assert generated["API_STAGE"] == "production"
    assert "TWILIO_AUTH_TOKEN" not in generated["ENVIRONMENT_VARIABLES"]


def test_rest_api_texts_and_calls_through_the_lambda_handler(instance: Sandbox, task: Path) -> None:
    base = f"{API}/production"
    rest = twilio(instance, base, events.rest_v1, "production")
    reply = rest.sms("WALES")
    assert reply.status == 200 and reply.content_type == "text/xml"
    assert WALES in reply.messages()[0]
    plain = twilio(instance, base, events.rest_v1, "production", base64_body=False)
    assert "0800 027 1234" in plain.sms("scotland").messages()[0]
    # a slip (rapidfuzz, as packaged) and a postcode (the table in data/) route too
    assert "0800 027 1234" in rest.sms("scotlnd").messages()[0]
    assert WALES in rest.sms("I'm in Cardiff CF10 1AA").messages()[0]
    assert "rapidfuzz" in instance.report()["modules"]
    # a WhatsApp location pin is placed from the table packaged in data/
    assert WALES in rest.whatsapp(pin=("51.48", "-3.18")).messages()[0]

    call = rest.call().start()
    assert call.pending is not None and call.pending.get("action") == "/production/voice/choose/0"
    call.press("2")
    assert call.dialled == ["+448088010800"]
    call.dial_ends("busy")
    assert call.dialled[-1] == "+448082000247"

    assert twilio(instance, base, events.rest_v1, "production", token="forged").sms("WALES").status == 403
    unsigned = rest.post("/voice", call.params(), sign=False)
    assert unsigned.status == 403 and "0808" not in unsigned.text

    report = instance.report()
    assert "boto3" not in report["modules"] and "botocore" not in report["modules"]
    assert not (task / "routes" / "__pycache__").exists(), "the instance wrote bytecode"


def test_keep_warm_is_answered_without_running_a_webhook(instance: Sandbox) -> None:
    warm = instance.invoke(events.keep_warm())
    assert warm["result"] is None and warm["requests"] == 0
    assert instance.invoke({})["result"] is None  # what Zappa's keep_warm_callback sends
    assert instance.report()["requests"] == 0
    base = f"{API}/production"
    assert twilio(instance, base, events.rest_v1, "production").sms("WALES").status == 200
    assert instance.report()["requests"] == 1, "the request counter does not count: the test proves nothing"


def test_hostile_events_get_a_plain_answer_not_an_invocation_error(instance: Sandbox) -> None:
    """The handler itself, as Lambda runs it: each event gets a 4xx result, and the instance lives on."""
    for event in events.hostile():
        result = instance.invoke(event)["result"]
        assert result is not None and 400 <= result["statusCode"] < 500, (sorted(event), result)
    base = f"{API}/production"
    assert WALES in twilio(instance, base, events.rest_v1, "production").sms("WALES").messages()[0]


def test_healthz_answers_zappas_touch(instance: Sandbox) -> None:
    event = events.rest_v1(f"{API}/production/healthz", {}, None, stage="production", base64_body=False)
    event["httpMethod"] = event["requestContext"]["httpMethod"] = "GET"
    result = instance.invoke(event)["result"]
    assert result["statusCode"] == 200 and json.loads(result["body"])["status"] == "ok"


@pytest.mark.parametrize(
    ("event", "base", "stage", "action"),
    [
        (events.http_v2, f"{API}/production", "production", "/production/voice/choose/0"),  # named stage
        (events.http_v2, API, "$default", "/voice/choose/0"),  # HTTP API, $default stage
        (
            events.http_v2,
            f"https://{events.FUNCTION_URL_HOST}",
            "$default",
            "/voice/choose/0",
        ),  # function URL
        (events.http_v1, f"{API}/production", "production", "/production/voice/choose/0"),  # payload 1.0
        (events.http_v1, API, "$default", "/voice/choose/0"),
    ],
)
def test_http_api_and_function_url_events(
    instance: Sandbox, event: Event, base: str, stage: str, action: str
) -> None:
    http = twilio(instance, base, event, stage)
    reply = http.sms("wales")
    assert reply.status == 200 and WALES in reply.messages()[0]
    assert "0808 802 1414" in twilio(instance, base, event, stage, base64_body=False).sms("NI").messages()[0]
    call = http.call().start()
    assert call.pending is not None and call.pending.get("action") == action
    call.say("Scotland")
    assert call.dialled == ["+448000271234"]
    assert twilio(instance, base, event, stage, token="forged").sms("WALES").status == 403


@pytest.mark.parametrize("event", [events.rest_v1, events.http_v2])
def test_custom_domain_without_the_stage(task: Path, runtime: Path, event: Event) -> None:
    """Twilio calls https://helpline.example.org/sms; API Gateway's mapping strips the stage."""
    env = {"TWILIO_AUTH_TOKEN": TOKEN, "PUBLIC_BASE_URL": CUSTOM_DOMAIN}
    with Sandbox(task, runtime, env=env) as sandbox:
        domain = twilio(sandbox, CUSTOM_DOMAIN, event, "production")
        assert WALES in domain.sms("Wales").messages()[0]
        call = domain.call().start()
        assert call.pending is not None and call.pending.get("action") == f"{CUSTOM_DOMAIN}/voice/choose/0"
        call.press("2").dial_ends("no-answer")
        assert call.dialled == ["+448088010800", "+448082000247"]
        # signed for the execute-api URL, delivered on the custom domain: refused
        signed_elsewhere = RequestValidator(TOKEN).compute_signature(
            f"{API}/production/sms", {"Body": "WALES"}
        )
        forged = event(f"{CUSTOM_DOMAIN}/sms", {"Body": "WALES"}, signed_elsewhere, stage="production")
        assert sandbox.invoke(forged)["result"]["statusCode"] == 403
    assert caller_data_in(sandbox.stdout + sandbox.stderr) == []


def test_nothing_printed_holds_caller_data_even_at_debug(task: Path, runtime: Path) -> None:
    options = {"log_everything": True}
    delivered: list[dict[str, Any]] = []
    with Sandbox(task, runtime, env={"TWILIO_AUTH_TOKEN": TOKEN}, options=options) as sandbox:
        for event, stage, base in [
            (events.rest_v1, "production", f"{API}/production"),
            (events.http_v2, "$default", API),
        ]:
            for encoded in (True, False):
                api = twilio(sandbox, base, event, stage, base64_body=encoded, delivered=delivered)
                api.sms(WORDS, sender=CALLER)
                api.sms("WALES " + WORDS, sender=CALLER)
                api.call(caller=CALLER).start().say(SPEECH).dial_ends("failed")
                twilio(sandbox, base, event, stage, token="forged", delivered=delivered).sms(
                    WORDS, sender=CALLER
                )
        broken = events.rest_v1(
            f"{API}/production/sms", {"From": CALLER, "Body": WORDS}, "x", stage="production"
        )
        broken["body"] = broken["body"][:-3]  # base64 cut short
        assert sandbox.invoke(broken)["result"]["statusCode"] == 400
        assert sandbox.invoke({"Records": [{"body": WORDS, "From": CALLER}]})["result"] is None
    printed = sandbox.stdout + sandbox.stderr
    assert "Webhook refused" in printed and "not an HTTP request (fields: 1)" in printed, (
        "nothing was printed: the test proves nothing"
    )
    assert "Records" not in printed  # an unknown event's keys are its sender's words
    assert caller_data_in(printed) == []
    assert len(delivered) == 24
    assert not [event["body"] for event in delivered if event["body"] in printed]


def test_token_read_from_ssm_at_cold_start(task: Path, runtime: Path) -> None:
    secret = "ssm-held-token-7a1c9e"
    env = {"TWILIO_AUTH_TOKEN_SSM_PARAMETER": SSM_PARAMETER}
    options = {"ssm": {"name": SSM_PARAMETER, "value": secret}}
    with Sandbox(task, runtime, env=env, options=options) as sandbox:
        assert sandbox.ready["ready"], sandbox.ready
        base = f"{API}/production"
        assert twilio(sandbox, base, events.rest_v1, "production", token=secret).sms("WALES").status == 200
        assert twilio(sandbox, base, events.rest_v1, "production", token=TOKEN).sms("WALES").status == 403
    assert secret not in sandbox.stdout + sandbox.stderr


@pytest.mark.parametrize(
    "failure", [{"error": "ParameterNotFound"}, {"error": "AccessDeniedException"}, {"value": " "}]
)
def test_unreadable_ssm_token_fails_closed(task: Path, runtime: Path, failure: dict[str, str]) -> None:
    """The instance refuses to start: Lambda answers nothing from it, and Twilio turns to the fallback URL."""
    env = {"TWILIO_AUTH_TOKEN_SSM_PARAMETER": SSM_PARAMETER, "TWILIO_AUTH_TOKEN": "stale-token-in-env"}
    with Sandbox(task, runtime, env=env, options={"ssm": {"name": SSM_PARAMETER, **failure}}) as sandbox:
        ready = sandbox.ready
    assert ready["ready"] is False and ready["error"] == "TokenUnavailable"
    assert SSM_PARAMETER in ready["message"] and failure.get("error", "empty") in ready["message"]
    assert "stale-token-in-env" not in ready["message"] + sandbox.stdout + sandbox.stderr
