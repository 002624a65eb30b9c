"""The phone menu as rules: given where a call is and what the caller did, what happens next.

Each function returns plain verbs. A verb that leads on names the next *state* (a Choose or a
Dialled), never a URL: the web layer turns states into URLs, keeping the state in the path.

Every path ends with a helpline: wrong keys and unclear speech are re-prompted a bounded number
of times and then put through to the national 24/7 line; silence is put through sooner (a silent
caller may be one who must not be heard); a failed call goes to the national line; a failed
national line is read out slowly and the call ends. Everything said before the caller can answer
is inside the Gather, so a key pressed at any moment of it counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from helpline.directory import GATHER_TIMEOUT, Directory, Service
from helpline.hours import Status, opening
from helpline.match import Matcher
from helpline.place_hints import HINTS
from helpline.places import NATION_KEYS
from helpline.text import spoken_number, words

# Twilio's limit on speech hints (a comma-separated list of up to 500, each of 100 characters).
MAX_HINTS = 500
# Statuses Twilio sends to a Dial action when the call was answered and has ended.
ANSWERED_STATUSES = frozenset({"completed", "answered"})

_NUMBER_WORDS = {
    "ZERO": "0", "OH": "0", "ONE": "1", "TWO": "2", "THREE": "3", "FOUR": "4",
    "FIVE": "5", "SIX": "6", "SEVEN": "7", "EIGHT": "8", "NINE": "9",
}  # fmt: skip


@dataclass(frozen=True)
class Choose:
    """The caller is answering the menu in `language` ("" for the directory's first);
    `attempt` counts the failed answers so far."""

    attempt: int
    language: str = ""


@dataclass(frozen=True)
class Dialled:
    """A Dial to `service` has ended; what next depends on how."""

    service: str
    language: str = ""


@dataclass(frozen=True)
class Say:
    """Words to read out, in the voice of `language` ("" for the directory's first)."""

    text: str
    language: str = ""


@dataclass(frozen=True)
class Gather:
    """Ask with `prompts`, listen for one key or a phrase in `then.language`, send the answer to `then`.

    The caller may answer during the prompts; `timeout` is the seconds of silence after them
    before the call moves on."""

    prompts: tuple[Say, ...]
    then: Choose
    hints: tuple[str, ...]
    timeout: int = GATHER_TIMEOUT[0]


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


def language_of(directory: Directory, language: str) -> str:
    """The language a call step speaks: `language` if the directory has it, else "" (its first)."""
    return language if language in directory.languages and language != directory.default_language else ""


def texts_of(directory: Directory, language: str) -> Mapping[str, str]:
    return directory.languages[language or directory.default_language].texts


def start(directory: Directory) -> list[Verb]:
    """A new call: the 999 advice first, then the menu, all of it open to a key."""
    return menu(directory, attempt=0, before=(Say(directory.texts["voice_greeting"]),))


def menu(directory: Directory, attempt: int, language: str = "", before: tuple[Say, ...] = ()) -> list[Verb]:
    """The keypad menu, after the words `before`. Silence falls through the Gather to the same
    Choose, with no answer.

    Other languages that have a key are offered in their own words and voice."""
    texts = texts_of(directory, language)
    code = language or directory.default_language
    prompts = [*before] + [
        Say(
            texts["voice_menu_option"].format(
                label=directory.services[o.service].label_in(code), digit=o.digit
            ),
            language,
        )
        for o in directory.menu
    ]
    prompts.append(Say(texts["voice_menu_repeat"].format(digit=directory.repeat_digit), language))
    prompts.append(Say(texts["voice_menu_speech"], language))
    for other in directory.languages.values():
        if other.digit and other.code != code:
            offer = other.texts["voice_menu_language"].format(digit=other.digit)
            prompts.append(Say(offer, language_of(directory, other.code)))
    hints = _hints(directory, code)
    state = Choose(attempt, language)
    return [Gather(tuple(prompts), state, hints, directory.gather_timeout), Redirect(state)]


def choose(
    directory: Directory,
    matcher: Matcher,
    attempt: int,
    digits: str,
    speech: str,
    now: dt.datetime | None = None,
    language: str = "",
    languages: Matcher | None = None,
) -> list[Verb]:
    """The caller pressed `digits` or said `speech` (either may be empty) at `now`."""
    language = language_of(directory, language)
    texts = texts_of(directory, language)
    attempt = max(0, min(attempt, directory.max_attempts))
    choice = _choice(directory, matcher, languages, digits.strip(), speech)
    if choice == "repeat":
        return menu(directory, attempt, language)
    if isinstance(choice, tuple):  # another language: the menu again, in it
        return menu(directory, attempt, language_of(directory, choice[0]))
    if isinstance(choice, Service):
        if opening(choice.hours, now or dt.datetime.now(dt.UTC)).status is Status.CLOSED:
            national = directory.national_service
            code = language or directory.default_language
            closed = texts["voice_closed"].format(
                name=choice.name_in(code), national_name=national.name_in(code)
            )
            return [Say(closed, language), Dial(national.number, Dialled(national.key, language))]
        return connect(directory, choice, texts["voice_connecting"], language)
    failures = attempt + 1
    if failures >= _allowed_misses(directory, silent=not digits.strip() and not speech.strip()):
        return connect(directory, directory.national_service, texts["voice_no_choice"], language)
    sorry = (Say(texts["voice_not_understood"], language),)
    return menu(directory, failures, language, before=sorry)


def _allowed_misses(directory: Directory, silent: bool) -> int:
    """How many misses, this one included, put the caller through: fewer when this one was silence."""
    return directory.max_silences if silent else directory.max_attempts


def connect(directory: Directory, service: Service, announcement: str, language: str = "") -> list[Verb]:
    name = service.name_in(language or directory.default_language)
    return [
        Say(announcement.format(name=name), language),
        Dial(service.number, Dialled(service.key, language)),
    ]


def after_dial(directory: Directory, service_key: str, status: str, language: str = "") -> list[Verb]:
    """A Dial ended. Answered: goodbye. Otherwise the national line, and if that failed, read out."""
    language = language_of(directory, language)
    texts = texts_of(directory, language)
    if status.strip().lower() in ANSWERED_STATUSES:
        return [Say(texts["voice_goodbye"], language), Hangup()]
    national = directory.national_service
    if service_key != national.key:
        return connect(directory, national, texts["voice_failover"], language)
    name = national.name_in(language or directory.default_language)
    readout = texts["voice_readout"].format(name=name, number=spoken_number(national.written))
    return [Say(readout, language), Hangup()]


def _hints(directory: Directory, code: str) -> tuple[str, ...]:
    """What callers are likely to say, for Twilio's speech recognition (at most MAX_HINTS): the
    menu's labels, then, where the directory routes by nation, the most-used place names."""
    hints = [directory.services[o.service].label_in(code) for o in directory.menu]
    if directory.country == "GB" and not set(NATION_KEYS).isdisjoint(directory.services):
        hints += [h for h in HINTS if h not in hints][: MAX_HINTS - len(hints)]
    return tuple(hints)


def _choice(
    directory: Directory, matcher: Matcher, languages: Matcher | None, digits: str, speech: str
) -> Service | str | tuple[str] | None:
    """A service, "repeat", a language to switch to (as a 1-tuple), or None."""
    if digits:
        if digits == directory.repeat_digit:
            return "repeat"
        for code, lang in directory.languages.items():
            if lang.digit and digits == lang.digit:
                return (code,)
        return directory.service_for_digit(digits)
    tokens = words(speech)
    if not tokens:
        return None
    offered = {o.service for o in directory.menu}
    heard = matcher.read(tokens, postcodes=False)  # a misheard letter would name another district
    if heard.ambiguous:  # a place in two nations, and nothing said which: not guessed
        return directory.national_service
    for key in heard.services:
        if key in offered:
            return directory.services[key]
    if languages is not None:
        for code in languages.find_exact(tokens):
            return (code,)
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
