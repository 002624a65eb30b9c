"""What Twilio can safely act on: the checks every webhook answer must pass, whatever was sent.

An answer is a 200 carrying well-formed TwiML that Twilio can follow to a helpline: for a text,
one <Message> with a helpline number and the 999 advice (or an empty <Response/>); for a call,
verbs that either wait for the caller (the menu), put the call through to a known helpline, or
read a number out and hang up. Every URL it names is a step the app answers.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlsplit

from helpline import fallback
from helpline.directory import DEFAULT_DIRECTORY, load_directory
from helpline.match import is_opt_word
from helpline.text import words

DIRECTORY = load_directory(DEFAULT_DIRECTORY)
NATIONAL = DIRECTORY.national_service.number
NUMBERS = {s.number for s in DIRECTORY.services.values()} | {fallback.NATIONAL_NUMBER}
WRITTEN = {s.written for s in DIRECTORY.services.values()} | {fallback.NATIONAL_WRITTEN}
SMS_MAX = 1600  # Twilio's limit for one <Message> body
SAY_MAX = 4096  # Twilio's limit for one <Say>
STEP = re.compile(r"/voice/(?:choose/(?P<attempt>[0-9]+)|dialled/(?P<service>[^/?#]+))$")
VOICE_VERBS = {"Say", "Gather", "Redirect", "Dial", "Hangup"}


@dataclass(frozen=True)
class Answer:
    """What a checked answer does: `kind` is message, silent, menu, dial or ended."""

    kind: str
    xml: ET.Element
    said: tuple[str, ...] = ()
    dialled: tuple[str, ...] = ()
    next_url: str = ""
    dial_url: str = ""
    attempt: int | None = None


def parse(status: int, mimetype: str, body: str) -> ET.Element:
    assert status == 200, f"status {status}: {body[:300]!r}"
    assert mimetype == "text/xml", f"{mimetype}: {body[:300]!r}"
    root = ET.fromstring(body)
    assert root.tag == "Response" and not root.attrib, body[:300]
    return root


def check_sms(status: int, mimetype: str, body: str, *, sent: str | None) -> Answer:
    """`sent` is the Body the text carried (None where no text was read, as on a stray path):
    silence is right only when that whole text is an opt-out or opt-in word."""
    root = parse(status, mimetype, body)
    children = list(root)
    if not children:
        assert sent is not None and is_opt_word(words(sent)), f"silence for {sent!r}: no helpline given"
        return Answer("silent", root)
    assert [c.tag for c in children] == ["Message"], body
    (message,) = children
    assert not list(message) and not message.attrib, body
    text = message.text or ""
    assert 0 < len(text) <= SMS_MAX, body
    assert "999" in text, f"no 999 advice: {text!r}"
    assert any(number in text for number in WRITTEN), f"no helpline number: {text!r}"
    return Answer("message", root, said=(text,))


def step_path(url: str) -> str:
    """The path of a URL the TwiML names, checked to be one of the app's call steps."""
    parts = urlsplit(url)
    assert not parts.query and not parts.fragment, f"call state must be in the path: {url}"
    assert STEP.search(parts.path), f"not a call step: {url}"
    return parts.path


def check_voice(status: int, mimetype: str, body: str) -> Answer:
    root = parse(status, mimetype, body)
    verbs = list(root)
    assert verbs, "an empty call answer hangs up on the caller"
    tags = [v.tag for v in verbs]
    assert set(tags) <= VOICE_VERBS, tags
    said: list[str] = []
    for verb in verbs:
        for say in [verb] if verb.tag == "Say" else verb.findall("Say"):
            text = say.text or ""
            assert 0 < len(text) <= SAY_MAX and say.get("voice") and say.get("language"), body
            said.append(text)
    if "Hangup" in tags:
        assert tags[-1] == "Hangup" and tags.count("Hangup") == 1, tags
    last = verbs[-1]
    if "Gather" in tags:
        gather = verbs[tags.index("Gather")]
        assert tags.index("Gather") == len(tags) - 2 and last.tag == "Redirect", tags
        assert {c.tag for c in gather} <= {"Say"} and gather.get("method") == "POST", body
        assert gather.get("input") == "dtmf speech" and gather.get("numDigits") == "1", body
        action = step_path(gather.get("action", ""))
        assert action == step_path(last.text or "") and last.get("method") == "POST", body
        match = STEP.search(action)
        assert match is not None and match.group("attempt") is not None, action
        attempt = int(match.group("attempt"))
        assert 0 <= attempt <= DIRECTORY.max_attempts, action  # a hand-made URL is clamped
        return Answer("menu", root, tuple(said), next_url=gather.get("action", ""), attempt=attempt)
    assert "Redirect" not in tags, tags
    if "Dial" in tags:
        dial = verbs[tags.index("Dial")]
        numbers = tuple(n.text or "" for n in dial)
        assert [n.tag for n in dial] == ["Number"] and set(numbers) <= NUMBERS, body
        assert dial.get("answerOnBridge") == "true" and dial.get("timeout"), body
        after = tags[tags.index("Dial") + 1 :]
        if dial.get("action"):
            assert not after and dial.get("method") == "POST", tags
            step_path(dial.get("action", ""))
        else:  # the built-in fallback: when the Dial ends, read the number out and hang up
            assert after == ["Say", "Hangup"] and "08082000247" in re.sub(r"[ ,]", "", said[-1]), body
        return Answer("dial", root, tuple(said), numbers, dial_url=dial.get("action", ""))
    assert last.tag == "Hangup", f"the call would end in silence: {tags}"
    assert said, body
    return Answer("ended", root, tuple(said))
