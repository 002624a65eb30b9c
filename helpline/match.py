"""What a text message or a spoken phrase asks for.

Matching is on whole words, never substrings (WOMEN is not MEN), after case, accents and
punctuation are folded away. Multi-word keywords (NORTHERN IRELAND) match as a run of words.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from helpline.directory import Directory
from helpline.text import words

# Twilio handles opt-out and opt-in itself and still forwards these words; a reply would be
# unwanted (or, after STOP, undeliverable). They count only as the whole message.
OPT_OUT_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"})
OPT_IN_WORDS = frozenset({"START", "UNSTOP", "YES"})


class Intent(enum.Enum):
    SILENT = "silent"
    MENU = "menu"
    SERVICES = "services"


@dataclass(frozen=True)
class Match:
    """The outcome of reading a message: what to answer, and how it was recognised."""

    intent: Intent
    services: tuple[str, ...] = ()
    how: str = "none"
    language: str | None = None


class Matcher:
    """A keyword index for one directory, built once and read on every request."""

    def __init__(self, phrases: Mapping[tuple[str, ...], str]) -> None:
        self._phrases = MappingProxyType(dict(phrases))
        self._longest = max((len(p) for p in phrases), default=0)

    @classmethod
    def for_directory(cls, directory: Directory) -> Matcher:
        return cls({phrase: s.key for s in directory.services.values() for phrase in s.keywords})

    @classmethod
    def for_languages(cls, directory: Directory) -> Matcher:
        """Words that ask for a language (CYMRU -> cy), for the languages the directory has."""
        return cls({phrase: code for code, lang in directory.languages.items() for phrase in lang.words})

    def find(self, tokens: tuple[str, ...]) -> tuple[str, ...]:
        """Services named in the words, in the order they appear, each once."""
        found: list[str] = []
        i = 0
        while i < len(tokens):
            for size in range(min(self._longest, len(tokens) - i), 0, -1):
                service = self._phrases.get(tokens[i : i + size])
                if service is not None:
                    if service not in found:
                        found.append(service)
                    i += size
                    break
            else:
                i += 1
        return tuple(found)


def match_sms(
    body: str,
    matcher: Matcher,
    menu_words: Iterable[tuple[str, ...]],
    languages: Matcher | None = None,
) -> Match:
    """Read an incoming text: a helpline, the menu, or silence for opt-out words.

    A language word (CYMRU) also selects the language of the reply, where the directory has it.
    """
    tokens = words(body)
    if len(tokens) == 1 and (tokens[0] in OPT_OUT_WORDS or tokens[0] in OPT_IN_WORDS):
        return Match(Intent.SILENT, how="opt-out")
    asked = languages.find(tokens) if languages is not None else ()
    language = asked[0] if asked else None
    services = matcher.find(tokens)
    if services:
        return Match(Intent.SERVICES, services, how="keyword", language=language)
    if not tokens:
        return Match(Intent.MENU, how="empty")
    if tokens in set(menu_words):
        return Match(Intent.MENU, how="menu-word", language=language)
    return Match(Intent.MENU, how="language" if language else "unknown", language=language)
