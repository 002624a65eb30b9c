"""Follow the app's TwiML as Twilio does, one text or one call at a time.

The engine only records what happens (events); showing them is the command's job. Whatever
it cannot follow faithfully (a verb it does not know, a reply that is not TwiML, an HTTP
error, a redirect loop) ends the conversation with a Problem event that says so: nothing
is skipped in silence.

Twilio's rules followed here: relative URLs resolve against the URL of the current document;
requests are POST unless `method` says GET; a <Gather> ends on `numDigits` keys, on its
`finishOnKey` (default #, not sent) or when the caller stops; no input (silence, or the finish
key alone) goes on to the next verb, or to `action` when `actionOnEmptyResult="true"`; a
<Gather> without `action` posts to the current document; a <Dial> without `action` goes on
to the next verb when the dialled call ends; the end of a document ends the call. A key or a
phrase is heard from the moment a <Gather> starts, its nested prompts included.

A call keeps two clocks of the seconds of audio and waiting since the answer, at a speaking rate
of WORDS_PER_SECOND plus each <Gather>'s timeout: `seconds` for a caller who hears every prompt
before answering, `seconds_at_once` for one who answers the moment an answer counts. A phrase
is taken as said in no time; a <Play> of unknown length counts as none.
"""

from __future__ import annotations

import contextlib
import copy
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import NoReturn
from urllib.parse import urljoin

from helpline.text import sms_segments
from simulator import params
from simulator.transport import Reply, Transport, Unreachable, message_body

DIAL_OUTCOMES = ("completed", "busy", "no-answer", "failed")
"""How a dialled call can end, as the caller picks it (Twilio's DialCallStatus)."""
DIAL_STATUSES = (*DIAL_OUTCOMES, "canceled", "answered")
KEYS = frozenset("0123456789*#")
MAX_HOPS = 20
"""Requests in a row with no input from the caller before a loop is reported."""
MAX_REQUESTS = 300
"""Requests in one call or text, whatever the caller does."""
WORDS_PER_SECOND = 2.5
"""An ordinary speaking rate, for the seconds a <Say> takes."""

VOICE_VERBS = frozenset(
    {"Say", "Play", "Pause", "Gather", "Dial", "Redirect", "Hangup", "Reject", "Record", "Enqueue",
     "Leave", "Connect", "Start", "Stop", "Pay", "Prompt", "Refer", "Sms", "Echo", "Queue"}
)  # fmt: skip
"""Every TwiML voice verb, to tell "not followed here" from "not TwiML at all"."""


@dataclass(frozen=True)
class Said:
    text: str
    loop: int = 1


@dataclass(frozen=True)
class Played:
    url: str


@dataclass(frozen=True)
class Paused:
    seconds: int


@dataclass(frozen=True)
class Listening:
    """A <Gather> waits for the caller: keys, a phrase, or silence."""

    dtmf: bool
    speech: bool
    num_digits: int | None
    finish_on_key: str
    timeout: int
    prompts_seconds: float = field(default=0.0, compare=False)
    """Seconds of the prompts nested in the <Gather>, during which an answer already counts."""


@dataclass(frozen=True)
class Dialling:
    number: str
    name: str
    seconds: float = field(default=0.0, compare=False)
    """Seconds since the answer when the line starts ringing, for a caller who heard every prompt."""
    seconds_at_once: float = field(default=0.0, compare=False)
    """The same, for a caller who answered each menu the moment an answer counted."""


@dataclass(frozen=True)
class DialEnded:
    status: str


@dataclass(frozen=True)
class Input:
    """What the caller did at a <Gather>: keys, a phrase, or nothing."""

    keys: str = ""
    phrase: str = ""


@dataclass(frozen=True)
class Redirected:
    method: str
    url: str


@dataclass(frozen=True)
class Requested:
    method: str
    url: str
    params: Mapping[str, str]


@dataclass(frozen=True)
class Message:
    """A <Message> as the phone shows it."""

    text: str
    to: str
    media: tuple[str, ...]
    channel: str = "sms"  # or "whatsapp"

    @property
    def encoding(self) -> str:
        return sms_segments(self.text)[0]

    @property
    def segments(self) -> int:
        return sms_segments(self.text)[1]


@dataclass(frozen=True)
class NoReply:
    """An empty <Response/>: Twilio sends nothing back."""


@dataclass(frozen=True)
class Note:
    text: str


@dataclass(frozen=True)
class Ended:
    reason: str


@dataclass(frozen=True)
class Problem:
    text: str


Event = (
    Said | Played | Paused | Listening | Dialling | DialEnded | Input | Redirected | Requested
    | Message | NoReply | Note | Ended | Problem
)  # fmt: skip


class CallError(Exception):
    """The caller tried something the call is not waiting for (keys during a Dial, say)."""


class _Stop(Exception):
    """Internal: a Problem has ended the conversation."""


def _problem_in_reply(reply: Reply, method: str, url: str) -> str | None:
    where = f"{method} {url}"
    if reply.status == 403:
        return (
            f"{where} was refused (HTTP 403): the signature did not match. Check the token "
            "(--token or TWILIO_AUTH_TOKEN) and, behind a proxy, the app's PUBLIC_BASE_URL."
        )
    if not 200 <= reply.status < 300:
        return (
            f"{where} answered HTTP {reply.status}: Twilio would report error 11200 and try the "
            "number's Fallback URL; without one, a caller hears that an application error has "
            "occurred and a texter gets no reply."
        )
    if reply.xml_error:
        return f"{where} answered XML that does not parse ({reply.xml_error}): not valid TwiML."
    if reply.xml is None:
        return f"{where} answered {reply.content_type or 'no content type'}, not TwiML (text/xml)."
    if reply.xml.tag != "Response":
        return f"{where} answered <{reply.xml.tag}> where TwiML must be a <Response>."
    return None


def _attr_int(verb: ET.Element, name: str, default: int | None, minimum: int) -> int | None:
    value = verb.get(name)
    if value is None:
        return default
    if not value.strip().isdigit() or int(value) < minimum:
        raise ValueError(f'<{verb.tag} {name}="{value}">: must be a whole number of at least {minimum}')
    return int(value)


def spoken_seconds(text: str) -> float:
    """Seconds a voice takes to read `text` at WORDS_PER_SECOND ("999" and "5 5" as written)."""
    return len(text.split()) / WORDS_PER_SECOND


def _method(verb: ET.Element) -> str:
    method = (verb.get("method") or "POST").upper()
    if method not in ("GET", "POST"):
        raise ValueError(f'<{verb.tag} method="{verb.get("method")}">: must be GET or POST')
    return method


class Conversation:
    """What texts and calls share: requests with bounds, TwiML checks, an event log."""

    def __init__(self, transport: Transport, *, max_hops: int = MAX_HOPS) -> None:
        self.transport = transport
        self.events: list[Event] = []
        self.problem: str | None = None
        self.ended = False
        self.max_hops = max_hops
        self.hops = 0
        self.requests = 0
        self.url = ""

    def _fail(self, text: str) -> NoReturn:
        self.problem = text
        self.ended = True
        self.events.append(Problem(text))
        raise _Stop

    def _request(self, method: str, url: str, form: Mapping[str, str]) -> ET.Element:
        """Fetch a TwiML document, resolving `url` against the current one, within the bounds.

        `hops` counts requests since the caller last did something: the caller's actions reset it.
        """
        self.hops += 1
        self.requests += 1
        target = urljoin(self.url, url) if self.url else url
        if self.hops > self.max_hops:
            self._fail(
                f"Redirect loop: {self.max_hops} requests in a row without the caller doing anything "
                f"(the next would be {method} {target}). The simulator stops here."
            )
        if self.requests > MAX_REQUESTS:
            self._fail(f"More than {MAX_REQUESTS} requests in one conversation: stopped.")
        self.url = target
        self.events.append(Requested(method, target, dict(form)))
        try:
            reply = self.transport.send(method, target, form)
        except Unreachable as exc:
            self._fail(str(exc))
        problem = _problem_in_reply(reply, method, target)
        if problem:
            self._fail(problem)
        assert reply.xml is not None
        return reply.xml


class Text(Conversation):
    """One incoming SMS and the reply the phone would show."""

    channel = "sms"

    def __init__(
        self,
        transport: Transport,
        body: str,
        *,
        sender: str = params.CALLER,
        to: str = params.HELPLINE_NUMBER,
        media: tuple[str, ...] = (),
        max_hops: int = MAX_HOPS,
    ) -> None:
        super().__init__(transport, max_hops=max_hops)
        self.form = params.sms(body, sender, to, media)

    def send(self) -> Text:
        with contextlib.suppress(_Stop):
            self._follow(self._request("POST", self.transport.base.rstrip("/") + "/sms", self.form))
        self.ended = True
        return self

    @property
    def messages(self) -> list[Message]:
        return [e for e in self.events if isinstance(e, Message)]

    def _follow(self, document: ET.Element) -> None:
        while True:
            if len(document) == 0 and not self.messages:
                self.events.append(NoReply())
            for verb in document:
                if verb.tag == "Message":
                    media = tuple((m.text or "").strip() for m in verb.findall("Media"))
                    self.events.append(Message(message_body(verb), verb.get("to", ""), media, self.channel))
                elif verb.tag == "Redirect":
                    try:
                        method = _method(verb)
                    except ValueError as exc:
                        self._fail(f"Invalid TwiML at {self.url}: {exc}")
                    self.events.append(Redirected(method, urljoin(self.url, (verb.text or "").strip())))
                    document = self._request(method, (verb.text or "").strip(), self.form)
                    break
                else:
                    self._fail(
                        f"Unsupported verb <{verb.tag}> in the reply to a text at {self.url}: messaging "
                        "TwiML has only <Message> and <Redirect>."
                    )
            else:
                return


class WhatsApp(Text):
    """One incoming WhatsApp message (text, media or a location pin) and the reply the chat shows.
    Twilio sends it to the same Messaging webhook as a text."""

    channel = "whatsapp"

    def __init__(
        self,
        transport: Transport,
        body: str = "",
        *,
        sender: str = params.CALLER,
        to: str = params.HELPLINE_NUMBER,
        media: tuple[tuple[str, str], ...] = (),
        pin: tuple[str, str] | None = None,
        address: str = "",
        label: str = "",
        profile: str = params.PROFILE_NAME,
        max_hops: int = MAX_HOPS,
    ) -> None:
        super().__init__(transport, body, sender=sender, to=to, max_hops=max_hops)
        self.form = params.whatsapp(
            body, sender, to, media=media, pin=pin, address=address, label=label, profile=profile
        )


class Call(Conversation):
    """One incoming call, driven by the caller's keys, words, silences and Dial outcomes."""

    def __init__(
        self,
        transport: Transport,
        *,
        caller: str = params.CALLER,
        to: str = params.HELPLINE_NUMBER,
        names: Mapping[str, str] | None = None,
        max_hops: int = MAX_HOPS,
    ) -> None:
        super().__init__(transport, max_hops=max_hops)
        self.caller = caller
        self.to = to
        self.names = dict(names or {})
        self.sid = params.new_sid("CA")
        self.current: ET.Element | None = None
        self.position = 0
        self.pending: ET.Element | None = None
        self.started = False
        self.seconds = 0.0
        self.seconds_at_once = 0.0
        self.prompts_seconds = 0.0
        self.timeout = 0
        self._in_gather = False
        self.first_answer_counts: float | None = None
        """Seconds of audio before the call's first <Gather> starts hearing keys and phrases."""

    # What the caller does ------------------------------------------------------------------

    def start(self) -> Call:
        if self.started:
            raise CallError("the call has already started")
        self.started = True
        return self._act(
            lambda: self._fetch("POST", self.transport.base.rstrip("/") + "/voice", {}, "ringing")
        )

    def press(self, keys: str) -> Call:
        """Keys typed at the keypad, one after another (a Gather takes what it needs), during its
        prompts or after them."""
        gather = self._waiting("Gather", "keys")
        bad = sorted(set(keys) - KEYS)
        if bad:
            raise CallError(f"not keys on a phone keypad: {''.join(bad)!r}")
        return self._act(lambda: self._keys(gather, keys))

    def say(self, phrase: str, confidence: float = 0.9) -> Call:
        """A spoken phrase, as Twilio's speech recognition would hand it over."""
        gather = self._waiting("Gather", "a phrase")
        return self._act(lambda: self._speech(gather, phrase.strip(), confidence))

    def silence(self) -> Call:
        """The caller says and presses nothing until the Gather times out."""
        gather = self._waiting("Gather", "silence")
        return self._act(lambda: self._no_input(gather, Input()))

    def dial_ends(self, status: str) -> Call:
        """The dialled call ends with this DialCallStatus (completed, busy, no-answer, failed)."""
        dial = self._waiting("Dial", "a Dial outcome")
        if status not in DIAL_STATUSES:
            raise CallError(f"a Dial ends as one of {', '.join(DIAL_OUTCOMES)}, not {status!r}")
        return self._act(lambda: self._dial_ended(dial, status))

    def hang_up(self) -> Call:
        self.events.append(Ended("the caller hung up"))
        self.ended = True
        self.pending = None
        return self

    def fork(self) -> Call:
        """An independent copy of the call as it stands, to try another path from here."""
        twin = copy.copy(self)
        twin.events = list(self.events)
        return twin

    # What the caller has heard ------------------------------------------------------------

    @property
    def said(self) -> list[str]:
        return [e.text for e in self.events if isinstance(e, Said)]

    @property
    def dialled(self) -> list[str]:
        return [e.number for e in self.events if isinstance(e, Dialling)]

    @property
    def waiting_for(self) -> str:
        """What the call waits for: "Gather", "Dial", or "nothing" once it has ended."""
        return "nothing" if self.pending is None else self.pending.tag

    # Following the TwiML ------------------------------------------------------------------

    def _waiting(self, tag: str, what: str) -> ET.Element:
        if not self.started:
            raise CallError("the call has not started")
        if self.pending is None or self.pending.tag != tag:
            if self.ended:
                raise CallError("the call has ended")
            raise CallError(f"the call is waiting for the {self.waiting_for}, not for {what}")
        return self.pending

    def _act(self, step: Callable[[], None]) -> Call:
        self.hops = 0
        try:
            step()
        except _Stop:
            self.pending = None
        return self

    def _fetch(self, method: str, url: str, extra: Mapping[str, str], status: str = "in-progress") -> None:
        form = {**params.call(self.sid, self.caller, self.to, status), **extra}
        self.pending = None
        self.current = self._request(method, url, form)
        self.position = 0
        self._run()

    def _redirect(self, verb: ET.Element) -> None:
        target = (verb.text or "").strip()
        if not target:
            self._fail(f"<Redirect> with no URL at {self.url}.")
        try:
            method = _method(verb)
        except ValueError as exc:
            self._fail(f"Invalid TwiML at {self.url}: {exc}")
        self.events.append(Redirected(method, urljoin(self.url, target)))
        self.current = self._request(
            method, target, params.call(self.sid, self.caller, self.to, "in-progress")
        )
        self.position = 0

    def _run(self) -> None:
        """Play verbs until the call waits for the caller or ends."""
        while not self.ended:
            assert self.current is not None
            if self.position >= len(self.current):
                self._end("no more TwiML: Twilio hangs up")
                return
            verb = self.current[self.position]
            self.position += 1
            if verb.tag in ("Say", "Play", "Pause"):
                self._sound(verb)
            elif verb.tag == "Gather":
                self._gather(verb)
                return
            elif verb.tag == "Dial":
                self._dial(verb)
                return
            elif verb.tag == "Redirect":
                self._redirect(verb)
            elif verb.tag == "Hangup":
                self._end("<Hangup>")
            elif verb.tag == "Reject":
                self._end(f"<Reject>: the caller hears {verb.get('reason', 'rejected')}")
            elif verb.tag in VOICE_VERBS:
                self._fail(f"Unsupported verb <{verb.tag}> at {self.url}: not followed by this simulator.")
            else:
                self._fail(f"Unknown verb <{verb.tag}> at {self.url}: not a TwiML voice verb.")

    def _end(self, reason: str) -> None:
        self.events.append(Ended(reason))
        self.ended = True
        self.pending = None

    def _sound(self, verb: ET.Element) -> None:
        try:
            if verb.tag == "Say":
                loop = _attr_int(verb, "loop", 1, 0)
                text = " ".join("".join(verb.itertext()).split())  # SSML tags inside <Say> are read as text
                self.events.append(Said(text, 1 if loop is None else loop))
                self._play(spoken_seconds(text) * max(1, loop or 0))
            elif verb.tag == "Play":
                self.events.append(Played((verb.text or "").strip()))
            else:
                length = _attr_int(verb, "length", 1, 0) or 0
                self.events.append(Paused(length))
                self._play(length)
        except ValueError as exc:
            self._fail(f"Invalid TwiML at {self.url}: {exc}")

    def _play(self, seconds: float) -> None:
        """Audio before a <Gather> delays every caller; inside one, only a caller who waits it out."""
        if self._in_gather:
            self.prompts_seconds += seconds
        else:
            self.seconds += seconds
            self.seconds_at_once += seconds

    def _answered(self) -> None:
        """A key or a phrase was heard: after the prompts, or at once, as they interrupt them."""
        self.seconds += self.prompts_seconds

    def _waited_out(self) -> None:
        """Nothing was heard: every caller sat through the prompts and the timeout."""
        self.seconds += self.prompts_seconds + self.timeout
        self.seconds_at_once += self.prompts_seconds + self.timeout

    def _gather(self, verb: ET.Element) -> None:
        try:
            inputs = set((verb.get("input") or "dtmf").split())
            if not inputs or not inputs <= {"dtmf", "speech"}:
                raise ValueError(
                    f'<Gather input="{verb.get("input")}">: must be dtmf, speech or "dtmf speech"'
                )
            finish = verb.get("finishOnKey", "#")
            if len(finish) > 1 or (finish and finish not in KEYS):
                raise ValueError(f'<Gather finishOnKey="{finish}">: must be one of 0-9, #, * or empty')
            if verb.get("actionOnEmptyResult", "false") not in ("true", "false"):
                raise ValueError(f'<Gather actionOnEmptyResult="{verb.get("actionOnEmptyResult")}">')
            num_digits = _attr_int(verb, "numDigits", None, 1)
            timeout = _attr_int(verb, "timeout", 5, 1) or 5
            _method(verb)
        except ValueError as exc:
            self._fail(f"Invalid TwiML at {self.url}: {exc}")
        self.prompts_seconds, self.timeout, self._in_gather = 0.0, timeout, True
        if self.first_answer_counts is None:
            self.first_answer_counts = self.seconds_at_once
        try:
            for nested in verb:
                if nested.tag not in ("Say", "Play", "Pause"):
                    self._fail(
                        f"<{nested.tag}> inside <Gather> at {self.url}: only Say, Play and Pause may be."
                    )
                self._sound(nested)
        finally:
            self._in_gather = False
        self.events.append(
            Listening("dtmf" in inputs, "speech" in inputs, num_digits, finish, timeout, self.prompts_seconds)
        )
        self.pending = verb

    def _gather_action(self, gather: ET.Element, extra: Mapping[str, str]) -> None:
        if extra:
            self._answered()
        else:
            self._waited_out()
        self._fetch(_method(gather), gather.get("action") or self.url, extra)

    def _keys(self, gather: ET.Element, keys: str) -> None:
        if "dtmf" not in (gather.get("input") or "dtmf").split():
            self.events.append(Note("this Gather listens for speech only: the keys go unheard"))
            self._no_input(gather, Input(keys=keys))
            return
        finish = gather.get("finishOnKey", "#")
        wanted = _attr_int(gather, "numDigits", None, 1)
        digits, finished, rest = "", "", ""
        for i, key in enumerate(keys):
            if finish and key == finish:
                finished, rest = key, keys[i + 1 :]
                break
            digits += key
            if wanted is not None and len(digits) == wanted:
                rest = keys[i + 1 :]
                break
        self.events.append(Input(keys=keys))
        if rest:
            self.events.append(Note(f"the Gather had finished: {rest} went unheard"))
        if not digits:
            self._no_input(gather, None)
        else:
            self._gather_action(gather, params.gather_digits(digits, finished))

    def _speech(self, gather: ET.Element, phrase: str, confidence: float) -> None:
        if "speech" not in (gather.get("input") or "dtmf").split():
            self.events.append(Note("this Gather listens for keys only: Twilio hears silence"))
            self._no_input(gather, Input(phrase=phrase))
        elif not phrase:
            self._no_input(gather, Input())
        else:
            self.events.append(Input(phrase=phrase))
            self._gather_action(gather, params.gather_speech(phrase, confidence))

    def _no_input(self, gather: ET.Element, heard: Input | None) -> None:
        """Timeout, or the finish key alone: next verb, or the action when asked for."""
        if heard is not None:
            self.events.append(heard)
        if gather.get("actionOnEmptyResult") == "true":
            self._gather_action(gather, {})
        else:
            self._waited_out()
            self.pending = None
            self._run()

    def _dial(self, verb: ET.Element) -> None:
        try:
            _method(verb)
        except ValueError as exc:
            self._fail(f"Invalid TwiML at {self.url}: {exc}")
        numbers = [(n.text or "").strip() for n in verb if n.tag == "Number"]
        others = [n.tag for n in verb if n.tag != "Number"]
        if others:
            self._fail(
                f"<Dial> at {self.url} holds <{others[0]}>: only <Number> is followed by this simulator."
            )
        if not numbers and (verb.text or "").strip():
            numbers = [(verb.text or "").strip()]
        if not numbers or not all(numbers):
            self._fail(f"<Dial> at {self.url} has no number to dial.")
        for number in numbers:
            self.events.append(
                Dialling(number, self.names.get(number, ""), self.seconds, self.seconds_at_once)
            )
        for noun in verb.findall("Number"):
            if noun.get("url"):
                self.events.append(
                    Note(f"the answering line would first hear {noun.get('url')}: not followed")
                )
        self.pending = verb

    def _dial_ended(self, dial: ET.Element, status: str) -> None:
        self.events.append(DialEnded(status))
        action = dial.get("action")
        if action:
            self._fetch(_method(dial), action, params.dial_outcome(status))
        else:
            self.pending = None
            self._run()
