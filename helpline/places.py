"""UK place names -> nation: the towns, council areas, counties, regions and islands a text names.

The names (data/places/names.tsv, derived by tools/place_table.py from data/places/uk.tsv, itself
from GeoNames, ISO 3166-2 and a hand-kept list) are read once per process into one dictionary
keyed by a name's words, so a text is read in one pass of lookups.

A name that is also an ordinary English word or a first name (Hope, Street, Barry) only counts
as a place where the text says it is one: after a cue such as "in" or "near", or as the whole
text. How common a word must be for that, and which cues suffice, are measured by
`python -m bench.places` over texts that name no place.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from helpline.typos import TypoIndex

DEFAULT_NAMES = Path(__file__).resolve().parent.parent / "data" / "places" / "names.tsv"
NATION_KEYS = ("england", "wales", "scotland", "northern-ireland")

# How much a name is an ordinary word decides what it takes to count as a place (see tier()):
# its frequency as an English word (zipf scale, from wordfreq when the table is built), less
# WELL_KNOWN_SLOPE per tenfold population above WELL_KNOWN_FROM (a large town's name is written
# often because the town is large) and PHRASE_DISCOUNT per word after the first (wordfreq
# estimates a phrase from its words, far above how often the phrase itself is written).
ORDINARY = 3.5
COMMON = 4.6
VERY_COMMON = 5.35
WELL_KNOWN_FROM = 100_000
WELL_KNOWN_SLOPE = 1.0
# A town of WELL_KNOWN_FROM people or more is known as a place: its name is an ordinary word
# only from WELL_KNOWN_ORDINARY (Manchester, Edinburgh, Aberdeen are places wherever written).
WELL_KNOWN_ORDINARY = 4.0
PHRASE_DISCOUNT = 1.0
# A name written ENGLISH zipf more often in English than in other European languages, and at
# least ENGLISH_FROM, is an English word however large the town (Mold, Bath).
ENGLISH = 1.2
ENGLISH_FROM = 3.5
# A name that is a first name of FIRST_NAME percent of people or more (Barry, Heather) needs a
# cue even as the whole text: a text may be signed with a name, or be only a name.
FIRST_NAME = 0.05

# Words right before a name that say it is a place ("in", "near"); the strong ones for a name
# that is a very common word. Each is the words before the name, as words() leaves them.
CUES = frozenset(
    {("IN",), ("NEAR",), ("NR",), ("AROUND",), ("OUTSIDE",), ("INTO",), ("TOWARDS",)}
    | {(w, "FROM") for w in ("IM", "AM", "ARE", "IS", "COME", "COMES", "LIVE", "MOVED", "ORIGINALLY")}
)
STRONG_CUES = frozenset(
    {("LIVE", "IN"), ("LIVES", "IN"), ("LIVING", "IN"), ("BASED", "IN"), ("STAYING", "IN"), ("MOVED", "TO")}
    | {("LIVE", "NEAR"), ("LIVING", "NEAR"), ("LIVE", "IN", "THE"), ("IM", "FROM"), ("AM", "FROM")}
    | {("STAY", "IN"), ("TOWN", "OF"), ("VILLAGE", "OF"), ("CITY", "OF"), ("COUNTY", "OF")}
)
ALL_CUES = CUES | STRONG_CUES
# Slips are forgiven in names of these many letters (one slip), in the first SLIP_WORDS words
# (each lookup costs; a place is named early).
SLIP_LETTERS = (8, 13)
SLIP_WORDS = 24
_LONGEST_CUE = max(len(c) for c in ALL_CUES)


class PlaceTableError(ValueError):
    """The place table cannot be used (the app then routes without place names)."""


@dataclass(frozen=True)
class PlaceName:
    """What a name tells: the nations that hold a place of that name, and how much of an
    ordinary word it is. Names alike in both share one."""

    nations: tuple[str, ...]  # the most populous first
    tier: int = 0
    """0: a place wherever it is written; 1: after a cue ("in") or as the whole text; 2: after a
    cue; 3: after a strong cue ("live in"); 4: never alone. From tier 1, also right after
    another place ("Bangor, Co Down")."""
    town: bool = True
    """Some place of that name is a town (else a county, region, area or island)."""
    slips: bool = False
    """A slip in it is forgiven: a long name that is a place wherever written, and that no
    common English word is a slip of (tools/place_table.py measures it)."""


@dataclass(frozen=True)
class Thresholds:
    ordinary: float = ORDINARY
    common: float = COMMON
    very_common: float = VERY_COMMON
    english: float = ENGLISH
    first_name: float = FIRST_NAME
    well_known_slope: float = WELL_KNOWN_SLOPE
    well_known_ordinary: float = WELL_KNOWN_ORDINARY


DEFAULT_LIMITS = Thresholds()


def tier(
    key: tuple[str, ...],
    zipf: float,
    english: float,
    population: int,
    first_name: float = 0.0,
    limits: Thresholds = DEFAULT_LIMITS,
    town: bool = True,
) -> int:
    """How much of an ordinary word or first name a name is (see PlaceName.tier)."""
    level = _word_tier(key, zipf, english, population, limits, town)
    if first_name >= limits.first_name:
        return 4 if level >= 3 else 3 if level == 2 else 2
    return level


def _word_tier(
    key: tuple[str, ...], zipf: float, english: float, population: int, limits: Thresholds, town: bool
) -> int:
    score = zipf - PHRASE_DISCOUNT * (len(key) - 1)
    if population > WELL_KNOWN_FROM:
        score -= limits.well_known_slope * math.log10(population / WELL_KNOWN_FROM)
    if score >= limits.very_common:
        return 4
    if score >= limits.common:
        return 3
    if zipf >= ENGLISH_FROM and english >= limits.english:
        return 1
    # Measured: giving counties and regions the same allowance routes first names (Angus).
    ordinary = limits.well_known_ordinary if population >= WELL_KNOWN_FROM and town else limits.ordinary
    return 1 if score >= ordinary else 0


@dataclass(frozen=True)
class PlaceHit:
    """A place name found at word `start`, `size` words long."""

    start: int
    size: int
    name: PlaceName


class PlaceTable:
    """Place names by their words, built once and only read afterwards.

    Loaded from the names file, the index is built on the first text that has a word no keyword
    was read from: a cold start that answers a keyword does not pay for it."""

    def __init__(
        self,
        names: Mapping[tuple[str, ...], PlaceName] | None = None,
        groups: Sequence[tuple[PlaceName, str]] = (),
    ) -> None:
        self._given = names
        self._groups = tuple(groups)  # (what the names tell, the names written "A|B C|...")
        kinds = set(names.values()) if names is not None else {name for name, _ in self._groups}
        self.nations = frozenset(n for name in kinds for n in name.nations)
        self._typos: TypoIndex | None = None

    @functools.cached_property
    def names(self) -> Mapping[tuple[str, ...], PlaceName]:
        if self._given is not None:
            return MappingProxyType(dict(self._given))
        return MappingProxyType(
            {
                tuple(written.split(" ")): name
                for name, written_names in self._groups
                for written in written_names.split("|")
            }
        )

    @functools.cached_property
    def _sizes(self) -> Mapping[str, tuple[int, ...]]:
        sizes: dict[str, set[int]] = {}
        for key in self.names:
            sizes.setdefault(key[0], set()).add(len(key))
        return MappingProxyType({w: tuple(sorted(s, reverse=True)) for w, s in sizes.items()})

    @functools.cached_property
    def _slip_words(self) -> frozenset[str]:
        return frozenset(key[0] for key, name in self.names.items() if name.slips)

    @classmethod
    def load(cls, path: Path | str = DEFAULT_NAMES) -> PlaceTable:
        """Read the names file: one line per kind of name (nations, tier, town or not), its names
        separated by "|", each written as words() leaves it."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PlaceTableError(f"{path}: cannot be read ({type(exc).__name__}: {exc})") from None
        groups: list[tuple[PlaceName, str]] = []
        for number, line in enumerate(text.splitlines(), 1):
            if not line or line[0] == "#":
                continue
            cells = line.split("\t")
            nations = tuple(cells[0].split(","))
            kind = cells[2] if len(cells) == 4 else ""
            if kind.removesuffix("+slips") not in ("town", "other") or not set(nations) <= set(NATION_KEYS):
                raise PlaceTableError(f"{path}:{number}: expected nations, tier 0-4, kind and names")
            if cells[1] not in ("0", "1", "2", "3", "4") or not cells[3].strip():
                raise PlaceTableError(f"{path}:{number}: expected nations, tier 0-4, kind and names")
            name = PlaceName(nations, int(cells[1]), kind.startswith("town"), kind.endswith("+slips"))
            groups.append((name, cells[3]))
        if not groups:
            raise PlaceTableError(f"{path}: has no place names")
        return cls(groups=groups)

    def serves(self, service_keys: Iterable[str]) -> bool:
        """Whether a directory routes by place name: only when some service is keyed as a nation."""
        return not self.nations.isdisjoint(service_keys)

    def find(self, tokens: Sequence[str], start: int = 0) -> list[PlaceHit]:
        """Place names in the words, longest first at each word, that count as places here."""
        found: list[tuple[PlaceHit, bool]] = []  # every name, and whether it counts on its own
        after = -1  # where the last name that counts ended
        i = start
        names, sizes = self.names, self._sizes
        end = len(tokens)
        while i < end:
            for size in sizes.get(tokens[i], ()):
                if i + size <= end:
                    name = names.get(tuple(tokens[i : i + size]))
                    if name is not None:
                        counted = self.counts(tokens, i, size, name, after)
                        found.append((PlaceHit(i, size, name), counted))
                        after = i + size if counted else after
                        i += size - 1
                        break
            else:
                slipped = self._slip(tokens[i]) if i < SLIP_WORDS else None
                if slipped is not None:
                    found.append((PlaceHit(i, 1, slipped), True))
                    after = i + 1
            i += 1
        if len(found) < 2:
            return [hit for hit, counted in found if counted]
        hits = []
        for n, (hit, counted) in enumerate(found):
            pair = found[n + 1][0] if n + 1 < len(found) else None
            if not counted and pair is not None and _town_and_area(hit, pair):  # "Newcastle, Co Down"
                found[n + 1] = (pair, True)
                counted = True
            if counted:
                hits.append(hit)
        return hits

    def _slip(self, token: str) -> PlaceName | None:
        """The place a word is a slip of (GLASGW, ABERYSTWTH), if one and only one."""
        if (
            not SLIP_LETTERS[0] <= len(token) <= SLIP_LETTERS[1]
            or not self._slip_words
            or not token.isalpha()
        ):
            return None
        if self._typos is None:  # built on first need: most texts never need it
            self._typos = TypoIndex(self._slip_words)
        corrected = self._typos.corrections(token)
        if len(corrected) != 1:
            return None
        return self.names[(next(iter(corrected)),)]

    def counts(self, tokens: Sequence[str], start: int, size: int, name: PlaceName, after: int = -1) -> bool:
        """Whether a name found here is a place: always for a name that is no ordinary word; for
        one that is, when it is the whole text ("the" aside), when a cue comes right before it, or
        when it comes right after another place (`after`: where the last one ended)."""
        level = name.tier
        if level == 0:
            return True
        if start == after:  # "Bangor Co Down", "Newport, Shropshire"
            return True
        if level == 1 and start + size == len(tokens) and (start == 0 or tokens[:start] == ("THE",)):
            return True
        if level == 4:
            return False
        if level <= 2 and tokens[start + size : start + size + 1] in (["AREA"], ("AREA",)):  # "Bath area"
            return True
        before = tuple(tokens[max(0, start - _LONGEST_CUE) : start])
        cues = STRONG_CUES if level == 3 else ALL_CUES
        if any(before[-n:] in cues for n in range(1, min(_LONGEST_CUE, len(before)) + 1)):
            return True
        # "in the Highlands", "in the Borders": only for a region's name, never a town's (the Cove)
        return level == 1 and before[-2:] == ("IN", "THE") and not name.town


def _town_and_area(first: PlaceHit, then: PlaceHit) -> bool:
    """A name right before a county or region of the same nation: the pair says they are places."""
    return (
        then.start == first.start + first.size
        and not then.name.town
        and not set(first.name.nations).isdisjoint(then.name.nations)
    )
