"""UK postcodes: which nation (or Crown Dependency, or BFPO) holds a postcode or a district.

The table (data/postcodes/uk.toml, from the ONS Postcode Directory) gives one regular
expression per place over a postcode upper-cased with its spaces removed. It is read once per
process into one prefix tree per place, so a lookup is a walk of at most seven steps per place:
the request path reads no file and compiles no regular expression.

A full postcode (GL16 8PB) belongs to one place. An outward code alone (GL16) is answered from
a district view derived at load time: every place holding any postcode of that district, so a
district on a border names both nations.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeAlias

DEFAULT_TABLE = Path(__file__).resolve().parent.parent / "data" / "postcodes" / "uk.toml"

# Shapes of the parts of a postcode, as words() leaves them (upper-case letters and digits).
_OUTWARD = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?")
_INWARD = re.compile(r"[0-9][A-Z]{2}")
_FULL = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})")
_OUTWARD_START = re.compile(r"[A-Z](?:[A-Z](?:[0-9][A-Z0-9]?)?|[0-9][A-Z0-9]?)?")
BFPO_WORD = "BFPO"
# Districts ending in a letter (W1A, EC1A, SW1A) exist only in central London areas.
_LETTER_DISTRICT_AREAS = frozenset({"E", "EC", "N", "NW", "SE", "SW", "W", "WC"})

# A prefix tree: one child per character; the key _END marks "every postcode from here on".
_Node: TypeAlias = dict[str, "_Node"]
_END = ""
_ALPHANUMERIC = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_INWARD_STEPS = ("0123456789", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


class PostcodeTableError(ValueError):
    """The postcode table cannot be used (the app then routes without postcodes)."""


@dataclass(frozen=True)
class Place:
    """A place of the table: a nation, a Crown Dependency, or BFPO."""

    key: str
    label: str


@dataclass(frozen=True)
class PostcodeHit:
    """Postcode-shaped words in a message: `size` words, held by `places` (none: not a postcode)."""

    places: tuple[Place, ...]
    size: int
    how: str


class PostcodeTable:
    """Places by postcode and by district, built once and only read afterwards."""

    def __init__(self, places: Sequence[Place], patterns: Mapping[str, str], areas: Iterable[str]) -> None:
        self.places: Mapping[str, Place] = MappingProxyType({p.key: p for p in places})
        self.areas = frozenset(areas)
        self._trees = tuple((p, _tree(patterns[p.key], p.key)) for p in places)
        self._districts = MappingProxyType(_district_view(self._trees))
        bfpo = self.places.get("bfpo")
        self._bfpo = (bfpo,) if bfpo else ()

    @classmethod
    def load(cls, path: Path | str = DEFAULT_TABLE) -> PostcodeTable:
        try:
            with Path(path).open("rb") as handle:
                data: dict[str, Any] = tomllib.load(handle)
            places = [Place(key, str(entry["label"])) for key, entry in data["places"].items()]
            patterns = {key: str(entry["pattern"]) for key, entry in data["places"].items()}
            areas = [str(area) for area in data["table"]["areas"]]
        except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise PostcodeTableError(f"{path}: cannot be read ({type(exc).__name__}: {exc})") from None
        try:
            return cls(places, patterns, areas)
        except PostcodeTableError as exc:
            raise PostcodeTableError(f"{path}: {exc}") from None

    def serves(self, service_keys: Iterable[str]) -> bool:
        """Whether a directory with these services routes by postcode: only when some service is
        keyed like a place (england, wales...). Elsewhere a postcode would only ever find places
        the directory has no service for."""
        return any(key in self.places for key in service_keys)

    def unserved(self, service_keys: Iterable[str]) -> list[Place]:
        """The places a postcode can name that have no service among these keys."""
        keys = set(service_keys)
        return [place for key, place in self.places.items() if key not in keys]

    def postcode(self, postcode: str) -> tuple[Place, ...]:
        """The place of a full postcode without spaces (CF101AA). A postcode newer than the table
        gets its district's places; one in no known district gets ()."""
        parts = _FULL.fullmatch(postcode)
        if parts is None or not self._known_area(parts.group(1)):
            return ()
        found = tuple(place for place, tree in self._trees if _walk(tree, postcode) is True)
        return found or self.district(parts.group(1))

    def district(self, outward: str) -> tuple[Place, ...]:
        """Every place holding a postcode of this district (TD15: England and Scotland)."""
        if not _OUTWARD.fullmatch(outward) or not self._known_area(outward):
            return ()
        split = self._districts.get(outward)
        if split is not None:
            return split
        return tuple(place for place, tree in self._trees if _walk(tree, outward) is True)

    def _known_area(self, outward: str) -> bool:
        area = outward[:2] if outward[1].isalpha() else outward[:1]
        return area in self.areas and (outward[-1].isdigit() or area in _LETTER_DISTRICT_AREAS)

    def read(self, tokens: Sequence[str], i: int) -> PostcodeHit | None:
        """The postcode starting at word i: "CF10 1AA", "CF101AA", "CF10" or "BFPO".

        None when word i is not shaped like one; a hit with no places when it is shaped like
        one but is in no place of the table.
        """
        token = tokens[i]
        if token.startswith(BFPO_WORD) and (token == BFPO_WORD or token[len(BFPO_WORD) :].isdigit()):
            return PostcodeHit(self._bfpo, 1, "postcode")  # BFPO, BFPO 105, BFPO105
        if _OUTWARD.fullmatch(token):
            if i + 1 < len(tokens) and _INWARD.fullmatch(tokens[i + 1]):
                return PostcodeHit(self.postcode(token + tokens[i + 1]), 2, "postcode")
            return PostcodeHit(self.district(token), 1, "district")
        if _FULL.fullmatch(token):
            return PostcodeHit(self.postcode(token), 1, "postcode")
        return None


def _walk(tree: _Node, text: str) -> bool | _Node:
    """True if the tree holds every string starting with `text`; False if none; else the node
    reached, whose subtree holds some of them."""
    node = tree
    for char in text:
        if _END in node:
            return True
        child = node.get(char)
        if child is None:
            return False
        node = child
    return True if _END in node else node


def _tree(pattern: str, key: str) -> _Node:
    """Parse the table's regular-expression dialect (^, literals, [set], (?:...), |) into a tree."""
    if not pattern.startswith("^"):
        raise PostcodeTableError(f"places.{key}.pattern: must start with ^")
    root: _Node = {}
    parser = _Parser(pattern, 1, key)
    for end in parser.alternatives([root]):
        end.clear()  # anything below an end is already covered by it
        end[_END] = {}
    if parser.pos != len(pattern):
        raise PostcodeTableError(f"places.{key}.pattern: unexpected {pattern[parser.pos]!r} at {parser.pos}")
    return root


class _Parser:
    """Recursive descent over the pattern, adding each alternative's characters to the tree."""

    def __init__(self, pattern: str, pos: int, key: str) -> None:
        self.pattern, self.pos, self.key = pattern, pos, key

    def alternatives(self, starts: list[_Node]) -> list[_Node]:
        ends = self.sequence(starts)
        while self.pos < len(self.pattern) and self.pattern[self.pos] == "|":
            self.pos += 1
            ends += self.sequence(starts)
        return ends

    def sequence(self, nodes: list[_Node]) -> list[_Node]:
        pattern = self.pattern
        while self.pos < len(pattern) and pattern[self.pos] not in "|)":
            if pattern.startswith("(?:", self.pos):
                self.pos += 3
                nodes = self.alternatives(nodes)
                self.expect(")")
            elif pattern[self.pos] == "[":
                end = pattern.find("]", self.pos)
                nodes = self.characters(nodes, pattern[self.pos + 1 : end] if end > 0 else "")
                self.pos = end + 1
            else:
                nodes = self.characters(nodes, pattern[self.pos])
                self.pos += 1
        return nodes

    def characters(self, nodes: list[_Node], chars: str) -> list[_Node]:
        if not chars or not _ALPHANUMERIC.issuperset(chars):
            raise PostcodeTableError(f"places.{self.key}.pattern: unsupported syntax at {self.pos}")
        return [node.setdefault(c, {}) for node in nodes for c in chars]

    def expect(self, char: str) -> None:
        if self.pattern[self.pos : self.pos + 1] != char:
            raise PostcodeTableError(f"places.{self.key}.pattern: expected {char!r} at {self.pos}")
        self.pos += 1


def _district_view(trees: tuple[tuple[Place, _Node], ...]) -> dict[str, tuple[Place, ...]]:
    """Places per district, for every district that some tree splits below its outward code.

    Districts a tree holds whole (CF, or AL) need no entry: a walk answers them. For the rest,
    a place holds the district if its tree holds some postcode of it: the outward code followed
    by an inward code (digit, letter, letter). Without spaces, "SY16" is both district SY16 and
    the start of SY1 6xx, so a tree ending right after the sector digit of a one-digit district
    only counts when no place holds the district plainly: SY1 is England, though Wales holds
    every postcode starting SY16.
    """
    outwards: set[str] = set()
    for _, tree in trees:
        _split_outwards(tree, "", outwards)
    view: dict[str, tuple[Place, ...]] = {}
    for outward in sorted(outwards):
        plain, ambiguous = [], []
        for place, tree in trees:
            evidence = _evidence(tree, outward)
            if evidence == "plain":
                plain.append(place)
            elif evidence == "ambiguous":
                ambiguous.append(place)
        view[outward] = tuple(plain or ambiguous)
    return view


def _split_outwards(node: _Node, prefix: str, found: set[str]) -> None:
    for char, child in node.items():
        code = prefix + char
        if char == _END or _END in child or not _OUTWARD_START.fullmatch(code):
            continue
        if _OUTWARD.fullmatch(code):
            found.add(code)
        _split_outwards(child, code, found)


def _evidence(tree: _Node, outward: str) -> str | None:
    reached = _walk(tree, outward)
    if reached is True:
        return "plain"
    if reached is False:
        return None
    one_digit_district = outward[-1].isdigit() and not outward[-2].isdigit()
    best: str | None = None
    digits, letters, _ = _INWARD_STEPS
    for sector in (reached.get(d) for d in digits):
        if sector is None:
            continue
        if _END in sector:
            if not one_digit_district:
                return "plain"
            best = "ambiguous"
            continue
        for unit in (sector.get(c) for c in letters):
            if unit is not None and (_END in unit or any(_END in unit.get(c, {}) for c in letters)):
                return "plain"
    return best
