"""Only requests signed by Twilio with our token are answered; everything else is 403."""

from __future__ import annotations

import logging

import pytest
from twilio.request_validator import RequestValidator

from app import create_app
from tests.twilio_fake import TOKEN, Twilio

PARAMS = {"From": "+447700900123", "To": "+441632960000", "Body": "WALES"}


def sign(url: str, params: dict[str, str], token: str = TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, params)


@pytest.mark.parametrize("path", ["/sms", "/voice", "/voice/choose/0", "/voice/dialled/wales", "/voice/x"])
def test_unsigned_requests_are_refused(twilio: Twilio, path: str) -> None:
    reply = twilio.post(path, PARAMS, sign=False)
    assert reply.status == 403
    assert "0808" not in reply.text


def test_tampered_body_is_refused(twilio: Twilio) -> None:
    signature = sign("https://router.example.org/sms", PARAMS)
    tampered = {**PARAMS, "Body": "SCOTLAND"}
    response = twilio.client.post(
        "/sms",
        data=tampered,
        headers={"X-Twilio-Signature": signature},
        base_url="https://router.example.org",
    )
    assert response.status_code == 403


def test_wrong_token_is_refused(twilio: Twilio) -> None:
    reply = Twilio(twilio.client, token="someone-elses-token").sms("WALES")
    assert reply.status == 403


def test_signature_for_another_url_is_refused(twilio: Twilio) -> None:
    signature = sign("https://router.example.org/voice", PARAMS)
    response = twilio.client.post(
        "/sms", data=PARAMS, headers={"X-Twilio-Signature": signature}, base_url="https://router.example.org"
    )
    assert response.status_code == 403


def test_no_token_configured_refuses_everything_and_says_why(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    app = create_app({"TWILIO_AUTH_TOKEN": "", "PUBLIC_BASE_URL": "", "HELPLINE_DIRECTORY": ""})
    twilio = Twilio(app.test_client(), token="")
    assert twilio.sms("WALES").status == 403
    assert twilio.post("/voice", {"From": "+447700900123"}).status == 403
    assert "TWILIO_AUTH_TOKEN is not set" in caplog.text


def test_signature_checked_against_public_base_url() -> None:
    base = "https://abc123.execute-api.eu-west-2.amazonaws.com/dev"
    app = create_app({"TWILIO_AUTH_TOKEN": TOKEN, "PUBLIC_BASE_URL": base, "HELPLINE_DIRECTORY": ""})
    client = app.test_client()
    good = sign(base + "/sms", PARAMS)
    local = sign("http://localhost/sms", PARAMS)
    assert client.post("/sms", data=PARAMS, headers={"X-Twilio-Signature": good}).status_code == 200
    assert client.post("/sms", data=PARAMS, headers={"X-Twilio-Signature": local}).status_code == 403


def test_public_base_url_makes_call_steps_absolute() -> None:
    base = "https://helpline.example.org"
    app = create_app({"TWILIO_AUTH_TOKEN": TOKEN, "PUBLIC_BASE_URL": base, "HELPLINE_DIRECTORY": ""})
    call = Twilio(app.test_client(), base=base).call().start()
    assert call.pending is not None and call.pending.get("action") == base + "/voice/choose/0"
    call.press("2")
    assert call.dialled == ["+448088010800"]


def test_query_string_is_part_of_the_signed_url(twilio: Twilio) -> None:
    reply = twilio.post("/sms?source=campaign", PARAMS)
    assert reply.status == 200
    signature = sign("https://router.example.org/sms", PARAMS)
    response = twilio.client.post(
        "/sms?source=campaign",
        data=PARAMS,
        headers={"X-Twilio-Signature": signature},
        base_url="https://router.example.org",
    )
    assert response.status_code == 403


def test_x_forwarded_proto_is_honoured(twilio: Twilio) -> None:
    """Behind a proxy that ends TLS, Flask sees http but Twilio signed https."""
    signature = sign("https://router.example.org/sms", PARAMS)
    response = twilio.client.post(
        "/sms",
        data=PARAMS,
        base_url="http://router.example.org",
        headers={"X-Twilio-Signature": signature, "X-Forwarded-Proto": "https"},
    )
    assert response.status_code == 200
    plain = twilio.client.post(
        "/sms", data=PARAMS, base_url="http://router.example.org", headers={"X-Twilio-Signature": signature}
    )
    assert plain.status_code == 403


def test_stage_prefix_seen_by_flask_is_signed(twilio: Twilio) -> None:
    """Behind Zappa on an amazonaws.com host the stage arrives as SCRIPT_NAME."""
    base = "https://abc123.execute-api.eu-west-2.amazonaws.com/dev"
    staged = Twilio(twilio.client, base=base)
    call = staged.call().start()
    assert call.pending is not None and call.pending.get("action") == "/dev/voice/choose/0"
    call.press("4")
    assert call.dialled == ["+448088021414"]


def test_healthz_needs_no_signature_and_shows_no_secret(twilio: Twilio) -> None:
    response = twilio.client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "directory": "UK domestic abuse helplines"}
    assert TOKEN not in response.get_data(as_text=True)
