"""What a text message or a spoken phrase asks for.

Matching is on whole words, never substrings (WOMEN is not MEN), after case, accents and
punctuation are folded away. Multi-word keywords (NORTHERN IRELAND) match as a run of words,
or run together (NORTHERNIRELAND); initials match too (N.I.). A slip in a keyword still
matches (SCOTLND, WAELS: see typos.py), unless it could be a slip of two services' keywords.
A UK postcode or district names its nation's service (texts only: see Matcher.read), and so
does a place name (see places.py): a full postcode wins over a place, and a place or a nation
named in the text wins over a word only shaped like a district (M8 for mate, B4 for before).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from helpline.directory import Directory
from helpline.places import PlaceHit, PlaceTable
from helpline.postcode import BFPO_WORD, Place, PostcodeHit, PostcodeTable
from helpline.text import words
from helpline.typos import SIMILARITY, TypoIndex

# Twilio handles opt-out and opt-in itself and still forwards these words; a reply would be
# unwanted (or, after STOP, undeliverable). They count only as the whole message.
OPT_OUT_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"})
OPT_IN_WORDS = frozenset({"START", "UNSTOP", "YES"})
# The work per text is bounded: a text is read up to this many characters and words.
MAX_CHARS = 2000
MAX_WORDS = 200
# Slips are looked for in the first MAX_SLIP_WORDS words only: the costliest lookup, and a
# keyword is named early.
MAX_SLIP_WORDS = 40
# Districts that are also texting shorthand (m8 mate, b4 before, l8 late, w8 wait, ne1 anyone):
# in a longer text they count only after a word that says a place follows ("in M8").
SHORTHAND_DISTRICTS = frozenset({"M8", "B4", "L8", "W8", "NE1"})
_DISTRICT_CUES = frozenset({"IN", "AT", "NEAR", "NR", "POSTCODE", "AREA", "IS"})


class Intent(enum.Enum):
    SILENT = "silent"
    MENU = "menu"
    SERVICES = "services"
    ELSEWHERE = "elsewhere"  # a place this directory has no service for (Isle of Man, BFPO...)


@dataclass(frozen=True)
class Match:
    """The outcome of reading a message: what to answer, and how it was recognised."""

    intent: Intent
    services: tuple[str, ...] = ()
    how: str = "none"
    places: tuple[Place, ...] = ()
    language: str | None = None


@dataclass(frozen=True)
class Reading:
    """Everything a message names, in the order it names it."""

    services: tuple[str, ...] = ()
    how: tuple[str, ...] = ()
    elsewhere: tuple[Place, ...] = ()
    doubtful: bool = False
    ambiguous: bool = False
    """A place name held by two nations, with nothing in the text to say which."""


_Phrase = tuple[str, ...]
# Digits typed for the letters they look like: N1 for NI, M3N for MEN.
_LOOKALIKES = str.maketrans("0135", "OIES")


class Matcher:
    """A keyword index for one directory, with its typo index and postcode table, built once
    per process and only read on each request."""

    def __init__(
        self,
        phrases: Mapping[_Phrase, str],
        postcodes: PostcodeTable | None = None,
        reserved: Iterable[str] = (),
        similarity: float = SIMILARITY,
        places: PlaceTable | None = None,
        digits: Mapping[str, str] | None = None,
    ) -> None:
        everything = dict(phrases)
        for phrase, service in phrases.items():  # NORTHERN IRELAND, typed as one word
            everything.setdefault(("".join(phrase),), service)
        self._phrases = MappingProxyType(everything)
        self._longest = max((len(p) for p in everything), default=0)
        self._words = frozenset(word for phrase in everything for word in phrase)
        self._longest_word = max((len(w) for w in self._words), default=0)
        self._reserved = frozenset(reserved)
        self._typos = TypoIndex(self._words - self._reserved, similarity)
        by_first: dict[str, list[tuple[_Phrase, str]]] = {}
        for phrase, service in sorted(everything.items(), key=lambda item: -len(item[0])):
            by_first.setdefault(phrase[0], []).append((phrase, service))
        self._by_first = MappingProxyType({w: tuple(p) for w, p in by_first.items()})
        self._postcodes = postcodes
        self._services = frozenset(everything.values())  # a postcode's place must be one of these
        self._places = places
        self.digits: Mapping[str, str] = MappingProxyType(dict(digits or {}))

    @classmethod
    def for_directory(
        cls,
        directory: Directory,
        postcodes: PostcodeTable | None = None,
        similarity: float = SIMILARITY,
        places: PlaceTable | None = None,
    ) -> Matcher:
        """The matcher for a directory; postcodes and place names route to the service keyed as
        their nation; a text of one menu key routes to that key's service."""
        return cls(
            {phrase: s.key for s in directory.services.values() for phrase in s.keywords},
            postcodes,
            reserved={w for phrase in directory.menu_words for w in phrase} | OPT_OUT_WORDS | OPT_IN_WORDS,
            similarity=similarity,
            places=places,
            digits={option.digit: option.service for option in directory.menu},
        )

    @property
    def routes_places(self) -> bool:
        return self._places is not None

    @classmethod
    def for_languages(cls, directory: Directory) -> Matcher:
        """Words that ask for a language (CYMRU -> cy), for the languages the directory has."""
        return cls({phrase: code for code, lang in directory.languages.items() for phrase in lang.words})

    def find(self, tokens: tuple[str, ...]) -> tuple[str, ...]:
        """Services named by keyword (exact or with a slip), in order, each once. No postcodes:
        for speech, where a misheard letter (B, D, P, T, V) would name the wrong district."""
        return self.read(tokens, postcodes=False).services

    def find_exact(self, tokens: tuple[str, ...]) -> tuple[str, ...]:
        """What the words name exactly (no slips, no postcodes), in order, each once."""
        found: list[str] = []
        i = 0
        while i < len(tokens):
            size, value, _ = self._exact(tokens, i)
            if value and value not in found:
                found.append(value)
            i += size or 1
        return tuple(found)

    def read(self, tokens: tuple[str, ...], postcodes: bool = True) -> Reading:
        """Services named by keyword, slip, postcode or place name, and places this directory does
        not serve. Evidence is weighed: a full postcode wins over place names; a place name or a
        nation's keyword wins over a district; a name held by two nations takes the one that the
        rest of the text names, if any."""
        tokens = tokens[:MAX_WORDS]
        named: list[tuple[int, str, str]] = []  # (word, service, how), keywords and slips
        postcode_hits: list[tuple[int, PostcodeHit]] = []
        slips: dict[int, frozenset[str]] = {}
        taken: set[int] = set()  # words a keyword was read from: no place name is read there
        i = 0
        while i < len(tokens):
            size, service, kind = self._exact(tokens, i)
            if not service and postcodes and not (tokens[i].isalpha() and tokens[i] != BFPO_WORD):
                hit = self._postcode(tokens, i)
                if hit is not None:
                    postcode_hits.append((i, hit))
                    i += hit.size
                    continue
            if not service and i < MAX_SLIP_WORDS:
                size, service, kind = self._slip(tokens, i, slips)
            if service:
                named.append((i, service, kind))
                taken.update(range(i, i + size))
            i += size or 1
        full = [(at, hit) for at, hit in postcode_hits if hit.how == "postcode"]
        districts = [(at, hit) for at, hit in postcode_hits if hit.how == "district"]
        everything_taken = len(taken) == len(tokens)  # (then the place index need not be built)
        places = (
            [] if full or everything_taken else [h for h in self._place_hits(tokens) if h.start not in taken]
        )
        nations = self._places.nations if self._places is not None else frozenset()
        definite = {service for _, service, _ in named if service in nations}
        definite.update(self._served(h)[0] for h in places if len(self._served(h)) == 1)
        if places or definite:  # districts are weak evidence: they only tell which of two nations
            context = definite | {p.key for _, hit in districts for p in hit.places}
            districts = []
        else:
            context = definite
            districts = [(at, hit) for at, hit in districts if _district_counts(tokens, at)]
        found: list[tuple[int, str, str]] = list(named)
        ambiguous = False
        for place_hit in places:
            served = self._served(place_hit)
            narrowed = [n for n in served if n in context] or served
            ambiguous = ambiguous or len(narrowed) > 1
            found += [(place_hit.start, nation, "place") for nation in narrowed]
        elsewhere: list[Place] = []
        doubtful = False
        for at, hit in full + districts:
            doubtful = doubtful or not hit.places
            for place in hit.places:
                if place.key in self._services:
                    found.append((at, place.key, hit.how))
                elif place not in elsewhere:
                    elsewhere.append(place)
        services: list[str] = []
        how: list[str] = []
        for _, service, kind in sorted(found, key=lambda item: item[0]):
            _add(services, how, service, kind)
        return Reading(tuple(services), tuple(how), tuple(elsewhere), doubtful, ambiguous)

    def _place_hits(self, tokens: tuple[str, ...]) -> list[PlaceHit]:
        if self._places is None:
            return []
        return [hit for hit in self._places.find(tokens) if self._served(hit)]

    def _served(self, hit: PlaceHit) -> list[str]:
        return [nation for nation in hit.name.nations if nation in self._services]

    def _postcode(self, tokens: tuple[str, ...], i: int) -> PostcodeHit | None:
        if self._postcodes is None:
            return None
        hit = self._postcodes.read(tokens, i)
        if hit is not None and hit.how == "district" and (tokens[i].translate(_LOOKALIKES),) in self._phrases:
            return PostcodeHit((), 1, "district")  # N1 (London) or NI, mistyped? Neither: the menu
        return hit

    def _exact(self, tokens: tuple[str, ...], i: int) -> tuple[int, str, str]:
        if tokens[i] not in self._words and len(tokens[i]) > 1:  # no keyword starts here
            return 0, "", ""
        for size in range(min(self._longest, len(tokens) - i), 0, -1):
            service = self._phrases.get(tokens[i : i + size])
            if service is not None:
                return size, service, "keyword"
        if _is_initial(tokens[i]) and (i == 0 or not _is_initial(tokens[i - 1])):  # N.I., M E N
            run = 1
            while i + run < len(tokens) and _is_initial(tokens[i + run]) and run <= self._longest_word:
                run += 1
            service = self._phrases.get(("".join(tokens[i : i + run]),)) if run > 1 else None
            if service is not None:
                return run, service, "keyword"
        return 0, "", ""

    def _slip(
        self, tokens: tuple[str, ...], i: int, slips: dict[int, frozenset[str]]
    ) -> tuple[int, str, str]:
        """The longest keyword starting at word i whose words each match exactly or with a slip,
        if only one service has such a keyword there."""
        best, found = 0, set[str]()
        for word in self._readings(tokens, i, slips):
            for phrase, service in self._by_first.get(word, ()):
                size = len(phrase)
                if size < best or i + size > len(tokens):
                    continue
                if all(phrase[j] in self._readings(tokens, i + j, slips) for j in range(1, size)):
                    if size > best:
                        best, found = size, set()
                    found.add(service)
        if len(found) == 1:
            return best, found.pop(), "typo"
        return 0, "", ""  # nothing, or a slip of two services' keywords: the menu is safer

    def _readings(self, tokens: tuple[str, ...], i: int, slips: dict[int, frozenset[str]]) -> frozenset[str]:
        """The keyword words token i is, exactly or with a slip (cached per message)."""
        if i not in slips:
            token = tokens[i]
            if token in self._words:
                slips[i] = frozenset({token})
            elif token in self._reserved:
                slips[i] = frozenset()
            else:
                slips[i] = self._typos.corrections(token)
        return slips[i]


def _is_initial(token: str) -> bool:
    return len(token) == 1 and token.isalpha()


def _add(services: list[str], how: list[str], service: str, kind: str) -> None:
    if service not in services:
        services.append(service)
    if kind not in how:
        how.append(kind)


def _district_counts(tokens: tuple[str, ...], at: int) -> bool:
    """A district counts unless it is a road ("on the M6") or texting shorthand in a longer text
    with no cue before it."""
    if at > 0 and tokens[at - 1] == "THE":
        return False
    return (
        tokens[at] not in SHORTHAND_DISTRICTS
        or len(tokens) == 1
        or (at > 0 and tokens[at - 1] in _DISTRICT_CUES)
    )


def read_words(body: str) -> tuple[str, ...]:
    """The words of a text, at most MAX_WORDS of them from its first MAX_CHARS characters."""
    if len(body) <= MAX_CHARS:
        return words(body)[:MAX_WORDS]
    return words(body[:MAX_CHARS])[:-1][:MAX_WORDS]  # the last word may have been cut


def is_opt_word(tokens: tuple[str, ...]) -> bool:
    """The whole text is one of Twilio's opt-out or opt-in words: no reply is right."""
    return len(tokens) == 1 and (tokens[0] in OPT_OUT_WORDS or tokens[0] in OPT_IN_WORDS)


def match_sms(
    body: str,
    matcher: Matcher,
    menu_words: Iterable[tuple[str, ...]],
    languages: Matcher | None = None,
) -> Match:
    """Read an incoming text: helplines, the menu, a place with no local service, or silence
    for opt-out words. A language word (CYMRU) also selects the language of the reply, where
    the directory has that language."""
    tokens = read_words(body)
    if is_opt_word(tokens):
        return Match(Intent.SILENT, how="opt-out")
    if len(tokens) == 1 and tokens[0] in matcher.digits:  # a key of the phone menu, texted
        return Match(Intent.SERVICES, (matcher.digits[tokens[0]],), how="digit")
    asked = languages.find_exact(tokens) if languages is not None else ()
    language = asked[0] if asked else None
    reading = matcher.read(tokens)
    if reading.services:
        return Match(Intent.SERVICES, reading.services, how="+".join(reading.how), language=language)
    if reading.elsewhere:
        return Match(Intent.ELSEWHERE, how="postcode", places=reading.elsewhere, language=language)
    if not tokens:
        return Match(Intent.MENU, how="empty")
    if tokens in set(menu_words):
        return Match(Intent.MENU, how="menu-word", language=language)
    if reading.doubtful:
        return Match(Intent.MENU, how="doubtful-postcode", language=language)
    return Match(Intent.MENU, how="language" if language else "unknown", language=language)
