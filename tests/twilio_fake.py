"""Play Twilio's side against the Flask app, for tests: a thin layer over the simulator's engine.

The engine signs each request with twilio's RequestValidator, sends the parameters Twilio
sends, and follows the TwiML as Twilio does. Here anything the engine reports as a problem
(an HTTP error, a reply that is not TwiML, an unknown verb) fails the test.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field

from flask.testing import FlaskClient

from simulator import engine, params
from simulator.transport import InProcess, Reply

__all__ = ["BASE", "CALLER", "HELPLINE_NUMBER", "TOKEN", "Call", "Reply", "Twilio"]

TOKEN = "test-auth-token-0123456789abcdef"
BASE = "https://router.example.org"
CALLER = params.CALLER
HELPLINE_NUMBER = params.HELPLINE_NUMBER


@dataclass
class Twilio:
    """Sends signed webhooks to one app, like Twilio calling the configured URL."""

    client: FlaskClient
    token: str = TOKEN
    base: str = BASE
    sent: list[dict[str, str]] = field(default_factory=list)

    @property
    def transport(self) -> InProcess:
        return InProcess(self.client, self.token, self.base, self.sent)

    def post(
        self,
        path_or_url: str,
        params: dict[str, str],
        *,
        sign: bool = True,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        url = path_or_url if "://" in path_or_url else self.base + path_or_url
        assert url.startswith(self.base), f"{url} is not on this app ({self.base})"
        return self.transport.send("POST", url, params, sign=sign, headers=headers)

    def sms(self, body: str, sender: str = CALLER, **extra: str) -> Reply:
        """One incoming text with the parameters Twilio sends; `extra` adds or overrides some."""
        return self.post("/sms", {**params.sms(body, sender, HELPLINE_NUMBER), **extra})

    def whatsapp(
        self,
        body: str = "",
        sender: str = CALLER,
        to: str = HELPLINE_NUMBER,
        *,
        pin: tuple[str, str] | None = None,
        media: tuple[tuple[str, str], ...] = (),
        address: str = "",
        label: str = "",
        profile: str = params.PROFILE_NAME,
        **extra: str,
    ) -> Reply:
        """One incoming WhatsApp message as Twilio sends it to the Messaging webhook: text, media
        or a location `pin` (latitude, longitude as sent); `extra` adds or overrides fields."""
        form = params.whatsapp(
            body, sender, to, media=media, pin=pin, address=address, label=label, profile=profile
        )
        return self.post("/sms", {**form, **extra})

    def call(self, caller: str = CALLER, to: str = HELPLINE_NUMBER) -> Call:
        return Call(self, caller, to)


class Call(engine.Call):
    """One phone call, followed by the engine; a problem it reports fails the test."""

    def __init__(self, twilio: Twilio, caller: str = CALLER, to: str = HELPLINE_NUMBER) -> None:
        super().__init__(twilio.transport, caller=caller, to=to)
        self.twilio = twilio

    def params(self, **extra: str) -> dict[str, str]:
        """What Twilio sends with every request of this call, plus `extra`."""
        return {**params.call(self.sid, self.caller, self.to, "in-progress"), **extra}

    def _waiting(self, tag: str, what: str) -> ET.Element:
        try:
            return super()._waiting(tag, what)
        except engine.CallError as exc:
            raise AssertionError(str(exc)) from exc

    def _act(self, step: Callable[[], None]) -> Call:
        super()._act(step)
        assert self.problem is None, self.problem
        return self
