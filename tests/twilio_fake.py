"""Play Twilio's side against the Flask app: sign each request as Twilio does, parse the TwiML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import urljoin

from flask.testing import FlaskClient
from twilio.request_validator import RequestValidator

TOKEN = "test-auth-token-0123456789abcdef"
BASE = "https://router.example.org"
CALLER = "+447700900123"
HELPLINE_NUMBER = "+441632960000"


@dataclass
class Reply:
    status: int
    content_type: str
    xml: ET.Element | None
    text: str

    def messages(self) -> list[str]:
        assert self.xml is not None
        return [m.text or "" for m in self.xml.findall("Message")]


@dataclass
class Twilio:
    """Sends signed webhooks to one app, like Twilio calling the configured URL."""

    client: FlaskClient
    token: str = TOKEN
    base: str = BASE
    sent: list[dict[str, str]] = field(default_factory=list)

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
        path = url[len(self.base) :]
        all_headers = dict(headers or {})
        if sign:
            all_headers["X-Twilio-Signature"] = RequestValidator(self.token).compute_signature(url, params)
        self.sent.append(params)
        response = self.client.post(path, data=params, headers=all_headers, base_url=self.base)
        text = response.get_data(as_text=True)
        root = ET.fromstring(text) if response.mimetype == "text/xml" else None
        return Reply(response.status_code, response.mimetype, root, text)

    def sms(self, body: str, sender: str = CALLER, **extra: str) -> Reply:
        params = {
            "MessageSid": "SM" + "0" * 32,
            "AccountSid": "AC" + "1" * 32,
            "From": sender,
            "To": HELPLINE_NUMBER,
            "Body": body,
            "NumMedia": "0",
            **extra,
        }
        return self.post("/sms", params)

    def call(self, caller: str = CALLER) -> Call:
        return Call(self, caller)


@dataclass
class Call:
    """One phone call, following the TwiML the app returns as Twilio would."""

    twilio: Twilio
    caller: str
    said: list[str] = field(default_factory=list)
    dialled: list[str] = field(default_factory=list)
    url: str = ""
    ended: bool = False
    current: ET.Element | None = None

    def params(self, **extra: str) -> dict[str, str]:
        return {
            "CallSid": "CA" + "2" * 32,
            "AccountSid": "AC" + "1" * 32,
            "From": self.caller,
            "To": HELPLINE_NUMBER,
            "CallStatus": "in-progress",
            "Direction": "inbound",
            **extra,
        }

    def start(self) -> Call:
        self._fetch(self.twilio.base + "/voice", self.params())
        return self

    def _fetch(self, url: str, params: dict[str, str]) -> None:
        """Request `url`, resolved as Twilio does against the URL of the previous step."""
        self.url = urljoin(self.url, url) if self.url else url
        reply = self.twilio.post(self.url, params)
        assert reply.status == 200, reply.text
        assert reply.xml is not None and reply.xml.tag == "Response", reply.text
        self.current = reply.xml
        self._run_until_input()

    def _run_until_input(self) -> None:
        """Play verbs up to a Gather (waiting for the caller) or a Dial (waiting for the outcome)."""
        assert self.current is not None
        for verb in list(self.current):
            if verb.tag == "Say":
                self.said.append(verb.text or "")
            elif verb.tag == "Gather":
                self.said.extend(s.text or "" for s in verb.findall("Say"))
                self.pending = verb
                return
            elif verb.tag == "Dial":
                numbers = [n.text or "" for n in verb.findall("Number")]
                self.dialled.extend(numbers)
                self.pending = verb
                return
            elif verb.tag == "Redirect":
                self.pending = verb
                return
            elif verb.tag == "Hangup":
                self.ended = True
                self.pending = None
                return
            else:
                raise AssertionError(f"unexpected verb <{verb.tag}>")
        self.ended = True
        self.pending = None

    def _gather(self) -> ET.Element:
        assert self.pending is not None and self.pending.tag == "Gather", "the call is not waiting for input"
        return self.pending

    def press(self, digits: str) -> Call:
        gather = self._gather()
        self._fetch(gather.get("action", ""), self.params(Digits=digits))
        return self

    def say(self, phrase: str) -> Call:
        gather = self._gather()
        self._fetch(gather.get("action", ""), self.params(SpeechResult=phrase, Confidence="0.9"))
        return self

    def silence(self) -> Call:
        """No input: Twilio moves past the Gather to the next verb (our Redirect)."""
        assert self.current is not None
        verbs = list(self.current)
        after = verbs[verbs.index(self._gather()) + 1]
        assert after.tag == "Redirect", f"nothing follows the Gather but <{after.tag}>"
        self._fetch(after.text or "", self.params())
        return self

    def dial_ends(self, status: str) -> Call:
        dial = self.pending
        assert dial is not None and dial.tag == "Dial", "the call is not dialling"
        assert dial.get("action"), "the Dial has no action to report its outcome to"
        self._fetch(dial.get("action", ""), self.params(DialCallStatus=status))
        return self

    @property
    def waiting_for(self) -> str:
        return "nothing" if self.pending is None else self.pending.tag
