"""The phone menu as rules: given where a call is and what the caller did, what happens next.

Each function returns plain verbs. A verb that leads on names the next *state* (a Choose or a
Dialled), never a URL: the web layer turns states into URLs, keeping the state in the path.

Every path ends with a helpline: silence and wrong keys are re-prompted a bounded number of
times and then put through to the national 24/7 line; a failed call goes to the national line;
a failed national line is read out slowly and the call ends.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from helpline.directory import Directory, Service
from helpline.hours import Status, opening
from helpline.match import Matcher
from helpline.text import spoken_number, words

# Statuses Twilio sends to a Dial action when the call was answered and has ended.
ANSWERED_STATUSES = frozenset({"completed", "answered"})

_NUMBER_WORDS = {
    "ZERO": "0", "OH": "0", "ONE": "1", "TWO": "2", "THREE": "3", "FOUR": "4",
    "FIVE": "5", "SIX": "6", "SEVEN": "7", "EIGHT": "8", "NINE": "9",
}  # fmt: skip


@dataclass(frozen=True)
class Choose:
    """The caller is answering the menu; `attempt` counts the failed answers so far."""

    attempt: int


@dataclass(frozen=True)
class Dialled:
    """A Dial to `service` has ended; what next depends on how."""

    service: str


@dataclass(frozen=True)
class Say:
    text: str


@dataclass(frozen=True)
class Gather:
    """Ask with `prompts`, listen for one key or a phrase, send the answer to `then`."""

    prompts: tuple[str, ...]
    then: Choose
    hints: tuple[str, ...]


@dataclass(frozen=True)
class Redirect:
    then: Choose


@dataclass(frozen=True)
class Dial:
    number: str
    then: Dialled


@dataclass(frozen=True)
class Hangup:
    pass


Verb = Say | Gather | Redirect | Dial | Hangup


def start(directory: Directory) -> list[Verb]:
    """A new call: the 999 advice first, then the menu."""
    return [Say(directory.texts["voice_greeting"]), *menu(directory, attempt=0)]


def menu(directory: Directory, attempt: int) -> list[Verb]:
    """The keypad menu. Silence falls through the Gather to the same Choose, with no answer."""
    texts = directory.texts
    prompts = [
        texts["voice_menu_option"].format(label=directory.services[o.service].label, digit=o.digit)
        for o in directory.menu
    ]
    prompts.append(texts["voice_menu_repeat"].format(digit=directory.repeat_digit))
    prompts.append(texts["voice_menu_speech"])
    hints = tuple(directory.services[o.service].label for o in directory.menu)
    state = Choose(attempt)
    return [Gather(tuple(prompts), state, hints), Redirect(state)]


def choose(
    directory: Directory,
    matcher: Matcher,
    attempt: int,
    digits: str,
    speech: str,
    now: dt.datetime | None = None,
) -> list[Verb]:
    """The caller pressed `digits` or said `speech` (either may be empty) at `now`."""
    attempt = max(0, min(attempt, directory.max_attempts))
    choice = _choice(directory, matcher, digits.strip(), speech)
    if choice == "repeat":
        return menu(directory, attempt)
    if isinstance(choice, Service):
        if opening(choice.hours, now or dt.datetime.now(dt.UTC)).status is Status.CLOSED:
            national = directory.national_service
            closed = directory.texts["voice_closed"].format(name=choice.name, national_name=national.name)
            return [Say(closed), Dial(national.number, Dialled(national.key))]
        return connect(directory, choice, directory.texts["voice_connecting"])
    failures = attempt + 1
    if failures >= directory.max_attempts:
        return connect(directory, directory.national_service, directory.texts["voice_no_choice"])
    return [Say(directory.texts["voice_not_understood"]), *menu(directory, failures)]


def connect(directory: Directory, service: Service, announcement: str) -> list[Verb]:
    return [Say(announcement.format(name=service.name)), Dial(service.number, Dialled(service.key))]


def after_dial(directory: Directory, service_key: str, status: str) -> list[Verb]:
    """A Dial ended. Answered: goodbye. Otherwise the national line, and if that failed, read out."""
    texts = directory.texts
    if status.strip().lower() in ANSWERED_STATUSES:
        return [Say(texts["voice_goodbye"]), Hangup()]
    national = directory.national_service
    if service_key != national.key:
        return connect(directory, national, texts["voice_failover"])
    readout = texts["voice_readout"].format(name=national.name, number=spoken_number(national.written))
    return [Say(readout), Hangup()]


def _choice(directory: Directory, matcher: Matcher, digits: str, speech: str) -> Service | str | None:
    if digits:
        if digits == directory.repeat_digit:
            return "repeat"
        return directory.service_for_digit(digits)
    tokens = words(speech)
    if not tokens:
        return None
    offered = {o.service for o in directory.menu}
    for key in matcher.find(tokens):
        if key in offered:
            return directory.services[key]
    for token in tokens:
        digit = _NUMBER_WORDS.get(token, token)
        if digit == directory.repeat_digit:
            return "repeat"
        by_digit = directory.service_for_digit(digit)
        if by_digit is not None:
            return by_digit
    sizes = {len(p) for p in directory.repeat_words}
    for size in sizes:
        for i in range(len(tokens) - size + 1):
            if tokens[i : i + size] in directory.repeat_words:
                return "repeat"
    return None
